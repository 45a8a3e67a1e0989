// The agreement's rules as a client meets them through the gateway: every
// refusal is a CONFLICT naming exactly the broken rules, only the parties act
// (each in its own role), illegal transitions are refused, and a refusal
// writes nothing. Four cities: the three parties' cities plus Uppsala, which
// offers only two interventions; Göteborg is in the network but no party to
// this agreement.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limit } from '../../schema/contract/agreements';
import { addMonths, dayBefore } from '../../schema/contract/dates';
import {
  accepted,
  active,
  canDeliver,
  COMPLETE,
  CONSULT_PLAN,
  cost,
  DECIDE_PLAN,
  failure,
  FULL,
  planItem,
  PROPOSE_PLAN,
  proposed,
  RECORD_COST,
  RESPOND_WITH,
  sentBy,
  TERMINATE,
  UNIT,
  viewAs,
  WITHDRAW,
} from '../support/assignments';
import { DEMO_CITIES, startTestNetwork, type TestNetwork } from '../support/network';
import {
  agreementInForceToday,
  answer,
  brokenRules,
  ok,
  prepareCase,
  PROPOSE,
  today,
  type CasePrerequisites,
  settled,
} from '../support/workflow';

const uppsala = {
  code: '0380',
  name: 'Uppsala',
  configFile: fileURLToPath(new URL('../fixtures/uppsala-two-offers.city.json', import.meta.url)),
};

// Göteborg (1480) is no party: proposals to it are outside any agreement in force.
const agreement = agreementInForceToday({
  id: 'rules-agreement',
  parties: ['0180', '1280', '0380'],
  sendingQuota: limit(50),
  receivingQuota: limit(50),
});

const RECORD_DELIVERY = /* GraphQL */ `
  mutation Deliver($item: ID!) {
    recordDelivery(planItemId: $item, status: DELIVERED) {
      planItemId
      status
    }
  }
`;

const CASE = /* GraphQL */ `
  query Case($id: ID!) {
    case(id: $id) {
      id
      disclosureBases {
        id
        recipientMunicipality
        inForce
      }
      assignments {
        id
        status
      }
    }
  }
`;

interface CaseView {
  case: {
    id: string;
    disclosureBases: { id: string; recipientMunicipality: string; inForce: boolean }[];
    assignments: { id: string; status: string }[];
  } | null;
}

const dayAfter = (date: string) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const randomId = (kind: string, home: string, receiving: string) =>
  `${kind}:${home}:${receiving}:${crypto.randomUUID()}`;

describe('the agreement rules, through the gateway', () => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await startTestNetwork({
      cities: [...DEMO_CITIES, uppsala],
      agreements: [agreement],
      demoData: false,
      cityTimeoutMs: 10_000,
    });
  });
  afterAll(() => network?.stop());

  const internal = async (municipality: string, query: string, variables: Record<string, unknown>) =>
    ok(await network.internal(municipality, query, variables));
  /** Records a disclosure basis on a Stockholm case, in its internal API. */
  const recordBasis = (caseId: string, basis: Record<string, unknown>) =>
    internal(
      '0180',
      /* GraphQL */ `
        mutation ($input: DisclosureBasisInput!) {
          recordDisclosureBasis(input: $input) {
            id
          }
        }
      `,
      { input: { caseId, ...basis } },
    );
  const caseAt = async (home: string, id: string) =>
    ok(await network.internal<CaseView>(home, CASE, { id })).case!;

  /**
   * Proposes `caseId` from Stockholm and expects a CONFLICT listing exactly
   * `rules`, with nothing written at home.
   */
  async function refusedProposal(caseId: string, receiving: string, rules: string[], home = '0180') {
    const before = await sentBy(network, home);
    const result = await network.query(home, PROPOSE, {
      input: { caseId, receivingMunicipality: receiving },
    });
    expect([...brokenRules(result)].sort()).toEqual([...rules].sort());
    expect(result.data?.proposeAssignment ?? null).toBeNull();
    const violations = result.errors![0]!.extensions!.violations as { rule: string; message: string }[];
    expect(violations.map((v) => v.rule).sort()).toEqual([...rules].sort());
    for (const v of violations) expect(v.message).toMatch(/\w+/);
    expect(await sentBy(network, home)).toEqual(before);
    expect((await caseAt(home, caseId)).assignments).toEqual([]);
  }

  describe('proposing an assignment', () => {
    const missingOne: [string, CasePrerequisites, string][] = [
      ['the target group assessment', { ...FULL, targetGroup: false }, 'TARGET_GROUP_NOT_ASSESSED'],
      ['the motivation assessment', { ...FULL, motivation: false }, 'MOTIVATION_NOT_ASSESSED'],
      ['the police consultation at home', { ...FULL, policeHome: false }, 'POLICE_CONSULTATION_HOME_MISSING'],
      [
        'the police consultation in the receiving municipality',
        { ...FULL, policeReceiving: false },
        'POLICE_CONSULTATION_RECEIVING_MISSING',
      ],
      [
        'a disclosure basis for the receiving municipality',
        { ...FULL, disclosure: false },
        'DISCLOSURE_BASIS_MISSING',
      ],
      ['the children assessment', { ...FULL, children: 'unassessed' }, 'CHILD_RESPONSIBILITY_NOT_ASSESSED'],
      ['temporary housing', { ...FULL, housing: false }, 'TEMPORARY_HOUSING_MISSING'],
    ];

    it.each(missingOne)(
      'is refused without %s, naming only that rule',
      async (_what, prerequisites, rule) => {
        const caseId = await prepareCase(network, '0180', '1280', UNIT['0180']!, prerequisites);
        await refusedProposal(caseId, '1280', [rule]);
      },
    );

    it('is refused for a person with responsibility for children', async () => {
      const caseId = await prepareCase(network, '0180', '1280', UNIT['0180']!, { ...FULL, children: 'has' });
      await refusedProposal(caseId, '1280', ['CHILD_RESPONSIBILITY']);
    });

    it('is refused for a person assessed as not motivated', async () => {
      const caseId = await prepareCase(network, '0180', '1280', UNIT['0180']!, {
        ...FULL,
        motivation: false,
      });
      await internal(
        '0180',
        /* GraphQL */ `
          mutation ($c: ID!) {
            assessMotivation(caseId: $c, motivated: false, assessment: "Vill inte bryta just nu") {
              id
            }
          }
        `,
        { c: caseId },
      );
      await refusedProposal(caseId, '1280', ['NOT_MOTIVATED']);
    });

    it('does not count a disclosure basis for another municipality', async () => {
      const caseId = await prepareCase(network, '0180', '1280', UNIT['0180']!, {
        ...FULL,
        disclosure: false,
      });
      await recordBasis(caseId, {
        recipientMunicipality: '0380',
        kind: 'CONSENT',
        scope: 'uppdrag, genomförandeplan och kostnader',
        validFrom: addMonths(today(), -1),
      });
      expect((await caseAt('0180', caseId)).disclosureBases).toEqual([
        { id: expect.any(String) as unknown, recipientMunicipality: '0380', inForce: true },
      ]);
      await refusedProposal(caseId, '1280', ['DISCLOSURE_BASIS_MISSING']);
    });

    it('does not count a withdrawn disclosure basis', async () => {
      const caseId = await prepareCase(network, '0180', '1280', UNIT['0180']!, FULL);
      const [basis] = (await caseAt('0180', caseId)).disclosureBases;
      expect(basis).toMatchObject({ recipientMunicipality: '1280', inForce: true });
      await internal(
        '0180',
        /* GraphQL */ `
          mutation ($id: ID!) {
            withdrawDisclosureBasis(id: $id) {
              id
              inForce
            }
          }
        `,
        { id: basis!.id },
      );
      await refusedProposal(caseId, '1280', ['DISCLOSURE_BASIS_MISSING']);
    });

    it('does not count a disclosure basis that has expired', async () => {
      const caseId = await prepareCase(network, '0180', '1280', UNIT['0180']!, {
        ...FULL,
        disclosure: false,
      });
      await recordBasis(caseId, {
        recipientMunicipality: '1280',
        kind: 'LEGAL_BASIS',
        legalReference: 'OSL 10 kap. 2 §',
        scope: 'uppdrag',
        validFrom: addMonths(today(), -6),
        validTo: dayBefore(today()),
      });
      await refusedProposal(caseId, '1280', ['DISCLOSURE_BASIS_MISSING']);
    });

    it('does not count a police consultation in a third municipality as the receiving one', async () => {
      const caseId = await prepareCase(network, '0180', '1280', UNIT['0180']!, {
        ...FULL,
        policeReceiving: false,
      });
      await internal(
        '0180',
        /* GraphQL */ `
          mutation ($input: PoliceConsultationInput!) {
            recordPoliceConsultation(input: $input) {
              id
            }
          }
        `,
        { input: { caseId, municipality: '0380', date: today(), policeUnit: 'Polisregion Mitt' } },
      );
      await refusedProposal(caseId, '1280', ['POLICE_CONSULTATION_RECEIVING_MISSING']);
    });

    it('is refused for a closed case', async () => {
      const caseId = await prepareCase(network, '0180', '1280', UNIT['0180']!, FULL);
      await internal(
        '0180',
        /* GraphQL */ `
          mutation ($c: ID!) {
            closeCase(caseId: $c) {
              id
            }
          }
        `,
        { c: caseId },
      );
      await refusedProposal(caseId, '1280', ['CASE_CLOSED']);
    });

    it('lists every unmet prerequisite in one error when nothing is recorded', async () => {
      const caseId = await prepareCase(network, '0180', '1280', UNIT['0180']!, {});
      await refusedProposal(caseId, '1280', [
        'TARGET_GROUP_NOT_ASSESSED',
        'MOTIVATION_NOT_ASSESSED',
        'POLICE_CONSULTATION_HOME_MISSING',
        'POLICE_CONSULTATION_RECEIVING_MISSING',
        'DISCLOSURE_BASIS_MISSING',
        'CHILD_RESPONSIBILITY_NOT_ASSESSED',
        'TEMPORARY_HOUSING_MISSING',
      ]);
    });

    it('lists the missing agreement together with the missing prerequisites', async () => {
      const caseId = await prepareCase(network, '0180', '1480', UNIT['0180']!, {
        ...FULL,
        housing: false,
        children: 'has',
      });
      await refusedProposal(caseId, '1480', [
        'AGREEMENT_NOT_IN_FORCE',
        'CHILD_RESPONSIBILITY',
        'TEMPORARY_HOUSING_MISSING',
      ]);
    });

    it('is refused to the home municipality itself', async () => {
      // A case ready for Malmö, proposed to Stockholm itself. No disclosure basis can
      // name the home municipality (the internal API refuses one), so that rule is
      // listed too; the police in 0180 have been consulted.
      const caseId = await prepareCase(network, '0180', '1280', UNIT['0180']!, FULL);
      await refusedProposal(caseId, '0180', ['RECEIVING_IS_HOME', 'DISCLOSURE_BASIS_MISSING']);
    });

    it('is refused to a municipality of the network that is no party to the agreement', async () => {
      const caseId = await prepareCase(network, '0180', '1480', UNIT['0180']!, FULL);
      await refusedProposal(caseId, '1480', ['AGREEMENT_NOT_IN_FORCE']);
      // The same kind of case to a party goes through: the refusal was about the agreement.
      const toParty = await proposed(network, '0180', '1280');
      expect(toParty.id).toMatch(/^asg:0180:1280:/);
    });

    it('is refused while the case has an open assignment, and allowed again once it is withdrawn', async () => {
      const first = await proposed(network, '0180', '1280');
      await refusedWhileOpen(first.caseId, ['ASSIGNMENT_ALREADY_OPEN'], first.id);

      ok(await network.query('1280', RESPOND_WITH, { id: first.id, decision: 'ACCEPT' }));
      await settled(network, first.id);
      await refusedWhileOpen(first.caseId, ['ASSIGNMENT_ALREADY_OPEN'], first.id);

      // A case whose proposal was withdrawn may be proposed again, as a new assignment.
      const second = await proposed(network, '0180', '1280');
      ok(await network.query('0180', WITHDRAW, { id: second.id }));
      const again = ok(
        await network.query<{ proposeAssignment: { id: string; status: string } }>('0180', PROPOSE, {
          input: { caseId: second.caseId, receivingMunicipality: '1280' },
        }),
      ).proposeAssignment;
      expect(again.status).toBe('PROPOSED');
      expect(again.id).not.toBe(second.id);
      expect((await caseAt('0180', second.caseId)).assignments).toEqual(
        expect.arrayContaining([
          { id: second.id, status: 'WITHDRAWN' },
          { id: again.id, status: 'PROPOSED' },
        ]),
      );
    });

    /** A proposal of a case that already has assignment `existing`: refused, nothing new at home. */
    async function refusedWhileOpen(caseId: string, rules: string[], existing: string) {
      const before = await sentBy(network, '0180');
      const casesBefore = (await caseAt('0180', caseId)).assignments;
      const result = await network.query('0180', PROPOSE, {
        input: { caseId, receivingMunicipality: '1280' },
      });
      expect(brokenRules(result)).toEqual(rules);
      expect(await sentBy(network, '0180')).toEqual(before);
      expect(casesBefore.map((a) => a.id)).toEqual([existing]);
      expect((await caseAt('0180', caseId)).assignments).toEqual(casesBefore);
    }
  });

  describe('only the parties act, each in its own role', () => {
    it('refuses the receiving city, outsiders and the wrong party, writing nothing', async () => {
      const { id } = await proposed(network, '0180', '1280');
      const initial = (await viewAs(network, '0180', id))!;
      expect(initial.status).toBe('PROPOSED');

      const code = async (municipality: string, query: string, variables: Record<string, unknown>) =>
        failure(await network.query(municipality, query, variables)).code;

      // The receiving city may not withdraw; outsiders may do nothing, and learn no more
      // from a mutation than from a read: for them the assignment does not exist.
      expect(await code('1280', WITHDRAW, { id })).toBe('FORBIDDEN');
      expect(await code('1480', WITHDRAW, { id })).toBe('NOT_FOUND');
      expect(await code('0380', WITHDRAW, { id })).toBe('NOT_FOUND');
      // The home city may not answer its own proposal; neither may outsiders.
      expect(await code('0180', RESPOND_WITH, { id, decision: 'ACCEPT' })).toBe('FORBIDDEN');
      expect(await code('1480', RESPOND_WITH, { id, decision: 'ACCEPT' })).toBe('NOT_FOUND');
      expect(await code('0380', RESPOND_WITH, answer(id, 'DECLINE'))).toBe('NOT_FOUND');
      // Outsiders do not see it at all.
      expect(await viewAs(network, '1480', id)).toBeNull();
      expect(await viewAs(network, '0380', id)).toBeNull();
      const listOf = async (municipality: string) =>
        ok(
          await network.query<{ assignments: { edges: { node: { id: string } }[] } }>(
            municipality,
            /* GraphQL */ `
              {
                assignments(first: 100) {
                  edges {
                    node {
                      id
                    }
                  }
                }
              }
            `,
          ),
        ).assignments.edges.map((edge) => edge.node.id);
      expect(await listOf('0380')).not.toContain(id);
      // Göteborg is party to nothing in this network.
      expect(await listOf('1480')).toEqual([]);
      expect(await listOf('1280')).toContain(id);

      expect(await viewAs(network, '0180', id)).toEqual(initial);
      expect((await viewAs(network, '1280', id))!.response).toBeNull();

      ok(await network.query('1280', RESPOND_WITH, { id, decision: 'ACCEPT' }));
      await settled(network, id);
      // Only home proposes the plan.
      expect(await code('1280', PROPOSE_PLAN, { id, items: [planItem('CRISIS_SUPPORT')] })).toBe('FORBIDDEN');
      expect((await viewAs(network, '0180', id))!.planHistory).toEqual([]);
      ok(await network.query('0180', PROPOSE_PLAN, { id, items: [planItem('CRISIS_SUPPORT')] }));
      await settled(network, id);
      const proposedPlan = (await viewAs(network, '0180', id))!;
      expect(proposedPlan).toMatchObject({
        status: 'ACCEPTED',
        planHistory: [{ version: 1, status: 'PROPOSED' }],
      });
      const consultation = {
        id,
        version: 1,
        answers: canDeliver(proposedPlan.planSummary!.items.map((i) => i.id)),
      };
      // Only the receiving city answers the consultation.
      expect(await code('0180', CONSULT_PLAN, consultation)).toBe('FORBIDDEN');
      expect(await code('1480', CONSULT_PLAN, consultation)).toBe('NOT_FOUND');
      expect(await code('0380', CONSULT_PLAN, consultation)).toBe('NOT_FOUND');
      ok(await network.query('1280', CONSULT_PLAN, consultation));
      await settled(network, id);
      // Only home decides (rule 5).
      expect(await code('1280', DECIDE_PLAN, { id, version: 1 })).toBe('FORBIDDEN');
      expect(await code('1480', DECIDE_PLAN, { id, version: 1 })).toBe('NOT_FOUND');
      expect((await viewAs(network, '0180', id))!).toMatchObject({
        status: 'ACCEPTED',
        planHistory: [{ version: 1, status: 'PROPOSED' }],
      });
      ok(await network.query('0180', DECIDE_PLAN, { id, version: 1 }));
      await settled(network, id);

      const agreed = (await viewAs(network, '0180', id))!;
      expect(agreed.status).toBe('ACTIVE');
      const item = agreed.planSummary!.items[0]!.id;
      // Only the receiving city books costs and deliveries.
      for (const [municipality, refusal] of [
        ['0180', 'FORBIDDEN'],
        ['1480', 'NOT_FOUND'],
        ['0380', 'NOT_FOUND'],
      ] as const) {
        expect(
          await code(municipality, RECORD_COST, cost(id, item, today(), '100.00', `k-${municipality}`)),
        ).toBe(refusal);
        expect(await code(municipality, RECORD_DELIVERY, { item })).toBe(refusal);
      }
      // Only home completes or terminates.
      expect(await code('1280', COMPLETE, { id })).toBe('FORBIDDEN');
      expect(await code('1280', TERMINATE, { id, reason: 'MOVED' })).toBe('FORBIDDEN');
      expect(await code('1480', COMPLETE, { id })).toBe('NOT_FOUND');

      const after = (await viewAs(network, '0180', id))!;
      expect(after).toEqual(agreed);
      expect(after.costs).toEqual({ total: { amount: '0.00' }, entries: [] });
      expect(after.deliveries).toEqual([{ planItemId: item, status: 'NOT_STARTED' }]);
      expect(await viewAs(network, '1280', id)).toEqual(after);
    });
  });

  describe('illegal transitions are refused and write nothing', () => {
    it('refuses plans and costs on a declined assignment', async () => {
      const { id } = await proposed(network, '0180', '1280');
      const declined = ok(
        await network.query<{ respondToAssignment: unknown }>('1280', RESPOND_WITH, answer(id, 'DECLINE')),
      );
      expect(declined.respondToAssignment).toEqual({ id, response: { decision: 'DECLINE' } });
      await settled(network, id);
      const before = (await viewAs(network, '0180', id))!;

      const costRefusal = await network.query(
        '1280',
        RECORD_COST,
        cost(id, randomId('item', '0180', '1280'), today(), '100.00', 'declined-1'),
      );
      expect(brokenRules(costRefusal)).toEqual(['ASSIGNMENT_NOT_ACTIVE', 'PLAN_ITEM_NOT_AGREED']);
      expect(
        brokenRules(await network.query('0180', PROPOSE_PLAN, { id, items: [planItem('CRISIS_SUPPORT')] })),
      ).toEqual(['ASSIGNMENT_NOT_ACCEPTED']);
      expect(brokenRules(await network.query('1280', CONSULT_PLAN, { id, version: 1, answers: [] }))).toEqual(
        ['ASSIGNMENT_NOT_ACCEPTED', 'NO_PROPOSED_PLAN'],
      );
      expect(brokenRules(await network.query('0180', DECIDE_PLAN, { id, version: 1 }))).toEqual([
        'ASSIGNMENT_NOT_ACCEPTED',
        'NO_PROPOSED_PLAN',
      ]);
      expect(brokenRules(await network.query('0180', WITHDRAW, { id }))).toEqual(['ASSIGNMENT_NOT_PROPOSED']);
      expect(brokenRules(await network.query('0180', COMPLETE, { id }))).toEqual(['ASSIGNMENT_NOT_ACTIVE']);
      expect(brokenRules(await network.query('0180', TERMINATE, { id, reason: 'OTHER' }))).toEqual([
        'ASSIGNMENT_NOT_ONGOING',
      ]);
      const accept = await network.query('1280', RESPOND_WITH, { id, decision: 'ACCEPT' });
      expect(brokenRules(accept)).toEqual(expect.arrayContaining(['ALREADY_RESPONDED']));

      const after = (await viewAs(network, '0180', id))!;
      expect(after).toEqual(before);
      expect(after).toMatchObject({
        status: 'DECLINED',
        planHistory: [],
        costs: { total: { amount: '0.00' }, entries: [] },
        response: { decision: 'DECLINE' },
      });
    });

    it('refuses withdrawal after acceptance, a second answer, completion and an absent plan', async () => {
      const { id } = await accepted(network, '0180', '1280');
      const before = (await viewAs(network, '0180', id))!;
      expect(before).toMatchObject({
        status: 'ACCEPTED',
        response: { decision: 'ACCEPT' },
        withdrawnAt: null,
      });

      expect(brokenRules(await network.query('0180', WITHDRAW, { id }))).toEqual(['ASSIGNMENT_NOT_PROPOSED']);
      const again = brokenRules(await network.query('1280', RESPOND_WITH, answer(id, 'DECLINE')));
      expect(again).toEqual(expect.arrayContaining(['ALREADY_RESPONDED']));
      expect(again.every((rule) => ['ALREADY_RESPONDED', 'ASSIGNMENT_NOT_PROPOSED'].includes(rule))).toBe(
        true,
      );
      expect(brokenRules(await network.query('1280', CONSULT_PLAN, { id, version: 1, answers: [] }))).toEqual(
        ['NO_PROPOSED_PLAN'],
      );
      expect(brokenRules(await network.query('0180', DECIDE_PLAN, { id, version: 1 }))).toEqual([
        'NO_PROPOSED_PLAN',
      ]);
      expect(brokenRules(await network.query('0180', COMPLETE, { id }))).toEqual(['ASSIGNMENT_NOT_ACTIVE']);

      expect(await viewAs(network, '0180', id)).toEqual(before);
      expect(await viewAs(network, '1280', id)).toEqual(before);
    });

    it('refuses deciding before consultation, answering or deciding a plan twice, and completing a proposal', async () => {
      const { id } = await accepted(network, '0180', '1280');
      const plan = ok(
        await network.query<{ proposePlan: { planSummary: { items: { id: string }[] } } }>(
          '0180',
          PROPOSE_PLAN,
          { id, items: [planItem('CRISIS_SUPPORT')] },
        ),
      ).proposePlan.planSummary;
      await settled(network, id);
      const consultation = { id, version: 1, answers: canDeliver(plan.items.map((i) => i.id)) };
      // Rule 5: the home municipality decides only after the consultation answer.
      const proposedOnly = (await viewAs(network, '0180', id))!;
      expect(brokenRules(await network.query('0180', DECIDE_PLAN, { id, version: 1 }))).toEqual([
        'PLAN_NOT_CONSULTED',
      ]);
      // An item it cannot deliver needs a reason; every item is answered.
      expect(
        brokenRules(
          await network.query('1280', CONSULT_PLAN, {
            id,
            version: 1,
            answers: [{ planItemId: plan.items[0]!.id, answer: 'CANNOT_DELIVER' }],
          }),
        ),
      ).toEqual(['CANNOT_DELIVER_REASON_MISSING']);
      expect(
        brokenRules(await network.query('1280', CONSULT_PLAN, { ...consultation, answers: [] })),
      ).toEqual(['PLAN_CONSULTATION_INCOMPLETE']);
      await settled(network, id);
      expect(await viewAs(network, '0180', id)).toEqual(proposedOnly);

      ok(await network.query('1280', CONSULT_PLAN, consultation));
      expect(brokenRules(await network.query('1280', CONSULT_PLAN, consultation))).toEqual([
        'PLAN_ALREADY_CONSULTED',
      ]);
      await settled(network, id);
      ok(await network.query('0180', DECIDE_PLAN, { id, version: 1 }));
      await settled(network, id);
      const before = (await viewAs(network, '0180', id))!;
      expect(before.status).toBe('ACTIVE');
      expect(brokenRules(await network.query('1280', CONSULT_PLAN, consultation))).toEqual([
        'NO_PROPOSED_PLAN',
      ]);
      expect(brokenRules(await network.query('0180', DECIDE_PLAN, { id, version: 1 }))).toEqual([
        'NO_PROPOSED_PLAN',
      ]);
      expect(await viewAs(network, '0180', id)).toEqual(before);

      const fresh = await proposed(network, '0180', '1280');
      expect(brokenRules(await network.query('0180', COMPLETE, { id: fresh.id }))).toEqual([
        'ASSIGNMENT_NOT_ACTIVE',
      ]);
      expect(
        brokenRules(await network.query('0180', TERMINATE, { id: fresh.id, reason: 'RELAPSE' })),
      ).toEqual(['ASSIGNMENT_NOT_ONGOING']);
      expect((await viewAs(network, '0180', fresh.id))!.status).toBe('PROPOSED');
    });
  });

  describe('the implementation plan', () => {
    let id: string;
    beforeAll(async () => {
      ({ id } = await accepted(network, '0180', '1280'));
    });

    const refusedPlan = async (items: unknown[], rules: string[]) => {
      const result = await network.query('0180', PROPOSE_PLAN, { id, items });
      expect(brokenRules(result)).toEqual(rules);
      const seen = (await viewAs(network, '0180', id))!;
      expect(seen).toMatchObject({ status: 'ACCEPTED', planSummary: null, planHistory: [] });
      return result.errors![0]!.extensions!.violations as { rule: string; message: string }[];
    };

    it.each(['HOUSING', 'HOME_CARE', 'INCOME_SUPPORT'])(
      'refuses %s as outside the catalogue',
      async (category) => {
        await refusedPlan(
          [planItem('CRISIS_SUPPORT'), planItem(category)],
          ['INTERVENTION_NOT_IN_CATALOGUE'],
        );
      },
    );

    it('lists each excluded item of one proposal', async () => {
      const violations = await refusedPlan(
        [planItem('HOUSING'), planItem('HOME_CARE'), planItem('INCOME_SUPPORT')],
        ['INTERVENTION_NOT_IN_CATALOGUE', 'INTERVENTION_NOT_IN_CATALOGUE', 'INTERVENTION_NOT_IN_CATALOGUE'],
      );
      expect(violations.map((v) => v.message)).toEqual([
        expect.stringContaining('HOUSING') as unknown,
        expect.stringContaining('HOME_CARE') as unknown,
        expect.stringContaining('INCOME_SUPPORT') as unknown,
      ]);
    });

    it('refuses an item that ends before it starts', async () => {
      await refusedPlan(
        [planItem('CRISIS_SUPPORT'), planItem('WORK_ORIENTED', addMonths(today(), 1), today())],
        ['PLAN_PERIOD_INVALID'],
      );
    });

    it('refuses a zero extent and a zero estimate', async () => {
      await refusedPlan(
        [{ ...planItem('CRISIS_SUPPORT'), extent: { quantity: 0, unit: 'HOURS_PER_WEEK' } }],
        ['EXTENT_NOT_POSITIVE'],
      );
      await refusedPlan(
        [planItem('CRISIS_SUPPORT', undefined, undefined, '0.00')],
        ['ESTIMATED_COST_NOT_POSITIVE'],
      );
      await refusedPlan([], ['PLAN_EMPTY']);
    });

    it('refuses what the receiving municipality does not offer', async () => {
      const offer = ok(
        await network.query<{ interventionOffer: { category: string }[] }>(
          '0180',
          /* GraphQL */ `
            {
              interventionOffer(municipality: "0380") {
                category
              }
            }
          `,
        ),
      );
      expect(offer.interventionOffer.map((o) => o.category)).toEqual([
        'MOTIVATIONAL_TALKS',
        'CONTACT_PERSON',
      ]);

      const toUppsala = await accepted(network, '0180', '0380');
      const refused = await network.query('0180', PROPOSE_PLAN, {
        id: toUppsala.id,
        items: [planItem('MOTIVATIONAL_TALKS'), planItem('CRISIS_SUPPORT'), planItem('HOME_CARE')],
      });
      expect(brokenRules(refused)).toEqual(['INTERVENTION_NOT_OFFERED', 'INTERVENTION_NOT_IN_CATALOGUE']);
      expect((await viewAs(network, '0180', toUppsala.id))!.planHistory).toEqual([]);

      const planned = ok(
        await network.query<{ proposePlan: { planSummary: unknown } }>('0180', PROPOSE_PLAN, {
          id: toUppsala.id,
          items: [planItem('MOTIVATIONAL_TALKS'), planItem('CONTACT_PERSON')],
        }),
      );
      expect(planned.proposePlan.planSummary).toMatchObject({ version: 1, status: 'PROPOSED' });
    });

    it('keeps every version when the plan is revised', async () => {
      const { id: revised, itemOf } = await active(network, '0180', '1280', [
        planItem('CRISIS_SUPPORT'),
        planItem('WORK_ORIENTED'),
      ]);
      const v1Crisis = itemOf('CRISIS_SUPPORT');
      const v1Work = itemOf('WORK_ORIENTED');
      expect((await viewAs(network, '0180', revised))!.planHistory).toMatchObject([
        { version: 1, status: 'DECIDED' },
      ]);

      const v2 = ok(
        await network.query<{ proposePlan: { planSummary: { items: { id: string }[] } } }>(
          '0180',
          PROPOSE_PLAN,
          { id: revised, items: [planItem('WORK_ORIENTED'), planItem('CONTACT_PERSON')] },
        ),
      ).proposePlan.planSummary;
      await settled(network, revised);
      const pending = (await viewAs(network, '1280', revised))!;
      expect(pending.status).toBe('ACTIVE');
      expect(pending.planHistory.map(({ version, status }) => ({ version, status }))).toEqual([
        { version: 2, status: 'PROPOSED' },
        { version: 1, status: 'DECIDED' },
      ]);
      expect(pending.planHistory[0]!.decidedAt).toBeNull();
      expect(pending.planHistory[1]!.items.map((i) => i.id).sort()).toEqual([v1Crisis, v1Work].sort());
      // Until the revision is decided, the decided plan stays in force.
      ok(await network.query('1280', RECORD_COST, cost(revised, v1Crisis, today(), '500.00', 'rev-1')));

      ok(
        await network.query('1280', CONSULT_PLAN, {
          id: revised,
          version: 2,
          answers: canDeliver(v2.items.map((i) => i.id)),
        }),
      );
      await settled(network, revised);
      ok(await network.query('0180', DECIDE_PLAN, { id: revised, version: 2 }));
      await settled(network, revised);
      const agreed = (await viewAs(network, '0180', revised))!;
      expect(agreed.status).toBe('ACTIVE');
      expect(agreed.planHistory.map(({ version, status }) => ({ version, status }))).toEqual([
        { version: 2, status: 'DECIDED' },
        { version: 1, status: 'SUPERSEDED' },
      ]);
      expect(agreed.planSummary).toMatchObject({ version: 2, status: 'DECIDED' });
      const v2Items = agreed.planSummary!.items;
      expect(v2Items.map((i) => i.category).sort()).toEqual(['CONTACT_PERSON', 'WORK_ORIENTED']);
      expect(agreed.deliveries.map((d) => d.planItemId).sort()).toEqual(v2Items.map((i) => i.id).sort());

      // Costs for items only in version 1 are refused now; version 2 items are booked.
      for (const [item, key] of [
        [v1Crisis, 'rev-2'],
        [v1Work, 'rev-3'],
      ] as const) {
        expect(
          brokenRules(await network.query('1280', RECORD_COST, cost(revised, item, today(), '100.00', key))),
        ).toEqual(['PLAN_ITEM_NOT_AGREED']);
      }
      const contact = v2Items.find((i) => i.category === 'CONTACT_PERSON')!.id;
      ok(await network.query('1280', RECORD_COST, cost(revised, contact, today(), '250.00', 'rev-4')));
      await settled(network, revised);
      expect((await viewAs(network, '0180', revised))!.costs!.total).toEqual({ amount: '750.00' });
    });
  });

  describe('costs', () => {
    let id: string;
    let crisis: string;
    let otherItem: string;
    beforeAll(async () => {
      const assignment = await active(network, '0180', '1280', [
        planItem('CRISIS_SUPPORT', addMonths(today(), -2), addMonths(today(), 2)),
      ]);
      id = assignment.id;
      crisis = assignment.itemOf('CRISIS_SUPPORT');
      otherItem = (await active(network, '0180', '1280', [planItem('CRISIS_SUPPORT')])).itemOf(
        'CRISIS_SUPPORT',
      );
    });

    const refusedCost = async (variables: ReturnType<typeof cost>, rules: string[]) => {
      const before = (await viewAs(network, '1280', id))!;
      expect(brokenRules(await network.query('1280', RECORD_COST, variables))).toEqual(rules);
      expect(await viewAs(network, '1280', id)).toEqual(before);
    };

    it('refuses amounts that are not positive', async () => {
      await refusedCost(cost(id, crisis, today(), '0', 'zero'), ['AMOUNT_NOT_POSITIVE']);
      await refusedCost(cost(id, crisis, today(), '0.00', 'zero-2'), ['AMOUNT_NOT_POSITIVE']);
      await refusedCost(cost(id, crisis, today(), '-100.00', 'negative'), ['AMOUNT_NOT_POSITIVE']);
    });

    it('refuses a date outside the item’s planned period', async () => {
      await refusedCost(cost(id, crisis, addMonths(today(), 3), '100.00', 'late'), [
        'COST_DATE_OUTSIDE_PLAN',
      ]);
      await refusedCost(cost(id, crisis, addMonths(today(), -3), '100.00', 'early'), [
        'COST_DATE_OUTSIDE_PLAN',
      ]);
    });

    it('refuses an item that is not in the assignment’s agreed plan', async () => {
      await refusedCost(cost(id, randomId('item', '0180', '1280'), today(), '100.00', 'no-item'), [
        'PLAN_ITEM_NOT_AGREED',
      ]);
      // An agreed item, but of another assignment.
      await refusedCost(cost(id, otherItem, today(), '100.00', 'other-item'), ['PLAN_ITEM_NOT_AGREED']);
    });

    it('books a retry once and refuses the key for a different cost', async () => {
      const first = ok(
        await network.query<{ recordCost: { id: string } }>(
          '1280',
          RECORD_COST,
          cost(id, crisis, today(), '1200.50', 'once'),
        ),
      ).recordCost;
      expect(first).toMatchObject({
        planItemId: crisis,
        category: 'CRISIS_SUPPORT',
        date: today(),
        amount: { amount: '1200.50', currency: 'SEK' },
      });
      const retry = ok(
        await network.query<{ recordCost: { id: string } }>(
          '1280',
          RECORD_COST,
          cost(id, crisis, today(), '1200.5', 'once'),
        ),
      ).recordCost;
      expect(retry).toEqual(first);
      await refusedCost(cost(id, crisis, today(), '1300.00', 'once'), ['IDEMPOTENCY_KEY_REUSED']);
      await refusedCost(cost(id, crisis, dayBefore(today()), '1200.50', 'once'), ['IDEMPOTENCY_KEY_REUSED']);

      await settled(network, id);
      const seen = (await viewAs(network, '0180', id))!;
      expect(seen.costs).toEqual({
        total: { amount: '1200.50' },
        entries: [{ id: first.id, planItemId: crisis, date: today(), amount: { amount: '1200.50' } }],
      });
    });

    it('ends with termination: the reason is shown and later costs are refused', async () => {
      const ending = await active(network, '0180', '1280', [
        planItem('MOTIVATIONAL_TALKS', addMonths(today(), -1), addMonths(today(), 2)),
      ]);
      const item = ending.itemOf('MOTIVATIONAL_TALKS');
      const terminated = ok(
        await network.query<{ terminateAssignment: unknown }>('0180', TERMINATE, {
          id: ending.id,
          reason: 'CHILDREN',
        }),
      );
      expect(terminated.terminateAssignment).toEqual({
        id: ending.id,
        status: 'TERMINATED',
        terminationReason: 'CHILDREN',
      });
      await settled(network, ending.id);
      const seen = (await viewAs(network, '1280', ending.id))!;
      expect(seen).toMatchObject({ status: 'TERMINATED', terminationReason: 'CHILDREN' });
      expect(seen.endedAt).not.toBeNull();

      const tomorrow = dayAfter(today());
      expect(
        brokenRules(
          await network.query('1280', RECORD_COST, cost(ending.id, item, tomorrow, '100.00', 'after')),
        ),
      ).toEqual(['ASSIGNMENT_NOT_ACTIVE']);
      // Costs up to the end may still be booked.
      ok(await network.query('1280', RECORD_COST, cost(ending.id, item, today(), '100.00', 'on-the-day')));
      await settled(network, ending.id);
      expect((await viewAs(network, '0180', ending.id))!.costs!.total).toEqual({ amount: '100.00' });

      expect(brokenRules(await network.query('0180', COMPLETE, { id: ending.id }))).toEqual([
        'ASSIGNMENT_NOT_ACTIVE',
      ]);
      expect(brokenRules(await network.query('0180', TERMINATE, { id: ending.id, reason: 'OTHER' }))).toEqual(
        ['ASSIGNMENT_NOT_ONGOING'],
      );
      expect((await viewAs(network, '0180', ending.id))!.terminationReason).toBe('CHILDREN');
    });
  });

  describe('bad input', () => {
    it('answers malformed and unknown ids with null or NOT_FOUND', async () => {
      for (const id of [
        'nonsense',
        '',
        'asg:0180:1280:not-a-uuid',
        'asg:9999:1280:00000000-0000-4000-8000-000000000000',
        randomId('asg', '0180', '1280'),
        randomId('item', '0180', '1280'),
      ]) {
        const seen = await network.query('0180', ASSIGNMENT_ONLY, { id });
        expect(seen.errors, `${id}: ${JSON.stringify(seen.errors)}`).toBeUndefined();
        expect(seen.data).toEqual({ assignment: null });
      }
      const codes = async (municipality: string, query: string, variables: Record<string, unknown>) =>
        failure(await network.query(municipality, query, variables)).code;
      for (const id of [
        'nonsense',
        'asg:0180:1280:x',
        randomId('asg', '0180', '1280'),
        randomId('asg', '9999', '1280'),
      ]) {
        expect(await codes('0180', WITHDRAW, { id }), id).toBe('NOT_FOUND');
        expect(await codes('0180', COMPLETE, { id }), id).toBe('NOT_FOUND');
        expect(await codes('1280', RESPOND_WITH, { id, decision: 'ACCEPT' }), id).toBe('NOT_FOUND');
        expect(await codes('1280', CONSULT_PLAN, { id, version: 1, answers: [] }), id).toBe('NOT_FOUND');
        expect(await codes('0180', DECIDE_PLAN, { id, version: 1 }), id).toBe('NOT_FOUND');
      }
      expect(await codes('1280', RECORD_DELIVERY, { item: 'nonsense' })).toBe('NOT_FOUND');
      expect(
        await codes(
          '1280',
          RECORD_COST,
          cost('nonsense', randomId('item', '0180', '1280'), today(), '1.00', 'bad-id'),
        ),
      ).toBe('NOT_FOUND');
      expect(
        await codes('0180', PROPOSE, { input: { caseId: 'no-such-case', receivingMunicipality: '1280' } }),
      ).toBe('NOT_FOUND');
    });

    it('answers a delivery for a plan item that does not exist with NOT_FOUND', async () => {
      // Assignments between 0180 and 1280 exist (ACTIVE and not), but no item has this id.
      const { id } = await active(network, '0180', '1280');
      const before = (await viewAs(network, '1280', id))!;
      const unknown = await network.query('1280', RECORD_DELIVERY, {
        item: randomId('item', '0180', '1280'),
      });
      expect(unknown.errors?.[0]?.extensions, JSON.stringify(unknown.errors)).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(await viewAs(network, '1280', id)).toEqual(before);
    });

    it('refuses dates that do not exist and malformed values with BAD_USER_INPUT', async () => {
      const { id, itemOf } = await active(network, '0180', '1280');
      const before = (await viewAs(network, '0180', id))!;
      const codes = async (municipality: string, query: string, variables: Record<string, unknown>) =>
        failure(await network.query(municipality, query, variables)).code;

      const FOLLOW_UP = /* GraphQL */ `
        mutation ($id: ID!, $date: Date!) {
          scheduleFollowUp(assignmentId: $id, date: $date) {
            id
          }
        }
      `;
      expect(await codes('0180', FOLLOW_UP, { id, date: '2023-02-30' })).toBe('BAD_USER_INPUT');
      expect(await codes('0180', FOLLOW_UP, { id, date: '2024-13-01' })).toBe('BAD_USER_INPUT');
      expect(await codes('0180', FOLLOW_UP, { id, date: '1 mars 2024' })).toBe('BAD_USER_INPUT');
      // Written into the document instead of a variable, the same value is refused alike.
      expect(
        await codes(
          '0180',
          /* GraphQL */ `
            mutation ($id: ID!) {
              scheduleFollowUp(assignmentId: $id, date: "2023-02-30") {
                id
              }
            }
          `,
          { id },
        ),
      ).toBe('BAD_USER_INPUT');
      expect(
        await codes('0180', PROPOSE_PLAN, {
          id,
          items: [planItem('CRISIS_SUPPORT', '2023-02-30', '2023-03-30')],
        }),
      ).toBe('BAD_USER_INPUT');
      const item = itemOf('CRISIS_SUPPORT');
      expect(await codes('1280', RECORD_COST, cost(id, item, '2023-02-30', '100.00', 'bad-date'))).toBe(
        'BAD_USER_INPUT',
      );
      expect(await codes('1280', RECORD_COST, cost(id, item, today(), '100.005', 'bad-amount'))).toBe(
        'BAD_USER_INPUT',
      );
      expect(await codes('1280', RECORD_COST, cost(id, item, today(), 'tusen', 'bad-amount-2'))).toBe(
        'BAD_USER_INPUT',
      );
      const caseId = await prepareCase(network, '0180', '1280', UNIT['0180']!, FULL);
      expect(await codes('0180', PROPOSE, { input: { caseId, receivingMunicipality: 'Malmö' } })).toBe(
        'BAD_USER_INPUT',
      );
      expect((await caseAt('0180', caseId)).assignments).toEqual([]);

      const after = (await viewAs(network, '0180', id))!;
      expect(after).toEqual(before);
      expect(after.costs).toEqual({ total: { amount: '0.00' }, entries: [] });
      expect(after.followUps).toEqual([]);
      expect(after.planHistory.map((p) => p.version)).toEqual([1]);
    });
  });
});

const ASSIGNMENT_ONLY = /* GraphQL */ `
  query One($id: ID!) {
    assignment(id: $id) {
      id
      status
    }
  }
`;
