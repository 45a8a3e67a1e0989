// Concurrent requests against the same assignment, quota or idempotency key,
// fired at the gateway at once: exactly one wins, the loser gets a CONFLICT
// naming the rule, and both cities agree on the outcome. Where the two
// requests go to different cities (a withdrawal and an answer), each city
// decides its own request and the home city, which owns the status, lets
// exactly one take effect. Each race runs in several rounds with fresh
// assignments, on PostgreSQL when one answers.
//
// Agreements (the first one naming both parties applies):
// - Stockholm–Göteborg: generous quotas, for the races on one assignment.
// - One quota-1 agreement per receiving city (Malmö and two more cities from
//   configuration files), with Stockholm and Göteborg as the other parties:
//   each holds one round of the receiving-quota race, and its receiving city
//   one round of the sending-quota race as home.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limit } from '../../schema/contract/agreements';
import { addMonths } from '../../schema/contract/dates';
import {
  accepted,
  active,
  canDeliver,
  COMPLETE,
  CONSULT_PLAN,
  cost,
  DECIDE_PLAN,
  decidedPlan,
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
import {
  DEMO_CITIES,
  oneDatabaseKind,
  startTestNetwork,
  type GraphQLResult,
  type TestNetwork,
} from '../support/network';
import { bothSides } from '../support/cities';
import {
  agreementInForceToday,
  answer,
  brokenRules,
  ok,
  prepareCase,
  PROPOSE,
  today,
  settled,
} from '../support/workflow';

const ROUNDS = 3;

/** Cities joining by configuration, each receiving under its own quota-1 agreement. */
const EXTRA = [
  { code: '0580', name: 'Linköping', unit: 'lkp-soc' },
  { code: '1880', name: 'Örebro', unit: 'ore-soc' },
];
const QUOTA_RECEIVERS = ['1280', ...EXTRA.map((c) => c.code)];
const unitOf = (code: string) => UNIT[code] ?? EXTRA.find((c) => c.code === code)!.unit;

const agreements = [
  agreementInForceToday({
    id: 'races-open',
    parties: ['0180', '1480'],
    sendingQuota: limit(40),
    receivingQuota: limit(40),
  }),
  ...QUOTA_RECEIVERS.map((receiver) =>
    agreementInForceToday({
      id: `races-quota-${receiver}`,
      parties: ['0180', '1480', receiver],
      sendingQuota: limit(1),
      receivingQuota: limit(1),
    }),
  ),
];

const BALANCE = /* GraphQL */ `
  {
    networkBalance {
      municipality
      agreementId
      sent
      received
      sendingQuota {
        kind
        max
      }
      receivingQuota {
        kind
        max
      }
    }
  }
`;

/** A quota of `max` that refuses beyond it, as the balance shows it. */
const LIMIT = (max: number) => ({ kind: limit(max).kind, max });

interface Balance {
  municipality: string;
  agreementId: string | null;
  sent: number;
  received: number;
  sendingQuota: { kind: string; max: number } | null;
  receivingQuota: { kind: string; max: number } | null;
}

/** Splits concurrent answers into the one that succeeded and the ones refused; exactly one must succeed. */
function oneWinner<T extends GraphQLResult>(results: T[]): { winner: number; losers: T[] } {
  const winners = results.flatMap((r, i) => (r.errors ? [] : [i]));
  expect(winners, JSON.stringify(results.map((r) => r.errors ?? r.data))).toHaveLength(1);
  return { winner: winners[0]!, losers: results.filter((r) => r.errors) };
}

describe('concurrent requests', () => {
  let network: TestNetwork;
  let configDir: string;
  beforeAll(async () => {
    configDir = mkdtempSync(join(tmpdir(), 'races-cities-'));
    const template = JSON.parse(
      readFileSync(new URL('../fixtures/uppsala-two-offers.city.json', import.meta.url), 'utf8'),
    ) as { units: { name: string; kind: string }[] };
    const extra = EXTRA.map(({ code, name, unit }) => {
      const configFile = join(configDir, `${code}.city.json`);
      writeFileSync(
        configFile,
        JSON.stringify({ ...template, code, name, units: [{ ...template.units[0], id: unit }] }),
      );
      return { code, name, configFile };
    });
    // PostgreSQL where it answers: separate connections really interleave there, while
    // PGlite runs one transaction at a time.
    const database = await oneDatabaseKind();
    network = await startTestNetwork({
      cities: [...DEMO_CITIES, ...extra],
      agreements,
      demoData: false,
      database,
      // Concurrent requests on a busy machine must not be cut short by the gateway's budget.
      cityTimeoutMs: 10_000,
    });
  });
  afterAll(async () => {
    await network?.stop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  /** A municipality's own row of the balance, which it alone sees in full. */
  const balance = async (municipality: string) => {
    const rows = ok(await network.query<{ networkBalance: Balance[] }>(municipality, BALANCE)).networkBalance;
    return rows.find((row) => row.municipality === municipality)!;
  };

  describe('two answers to one proposal', () => {
    for (let round = 1; round <= ROUNDS; round++) {
      it(`accepting and declining at once: exactly one answer wins (round ${round})`, async () => {
        const { id } = await proposed(network, '0180', '1480');
        const decisions = round % 2 === 0 ? ['DECLINE', 'ACCEPT'] : ['ACCEPT', 'DECLINE'];
        const results = await Promise.all(
          decisions.map((decision) =>
            network.query('1480', RESPOND_WITH, answer(id, decision as 'ACCEPT' | 'DECLINE')),
          ),
        );
        const { winner, losers } = oneWinner(results);
        const decision = decisions[winner]!;
        const status = decision === 'ACCEPT' ? 'ACCEPTED' : 'DECLINED';
        expect(results[winner]!.data).toEqual({
          respondToAssignment: { id, response: { decision } },
        });
        const refused = brokenRules(losers[0]!);
        expect(refused).toContain('ALREADY_RESPONDED');
        expect(refused.filter((rule) => rule !== 'ALREADY_RESPONDED')).toEqual(
          refused.includes('ASSIGNMENT_NOT_PROPOSED') ? ['ASSIGNMENT_NOT_PROPOSED'] : [],
        );

        // Home (which owns the status) and the receiving city (which owns the answer) agree.
        await settled(network, id);
        expect(await bothSides(network, id)).toEqual({ home: status, receiving: status });
        const asHome = (await viewAs(network, '0180', id))!;
        expect(asHome).toMatchObject({ status, response: { decision } });
        expect(asHome.respondedAt).not.toBeNull();
        expect(await viewAs(network, '1480', id)).toEqual(asHome);

        // A late third answer changes nothing; the receiving city's own record has left PROPOSED.
        const late = brokenRules(await network.query('1480', RESPOND_WITH, { id, decision: 'ACCEPT' }));
        expect([...late].sort()).toEqual(['ALREADY_RESPONDED', 'ASSIGNMENT_NOT_PROPOSED']);
        expect(await viewAs(network, '0180', id)).toEqual(asHome);
        // Only an accepted assignment goes on to an agreed plan, on both sides.
        const plan = await network.query<{ proposePlan: { planSummary: { items: { id: string }[] } } }>(
          '0180',
          PROPOSE_PLAN,
          { id, items: [planItem('CRISIS_SUPPORT')] },
        );
        if (decision === 'ACCEPT') {
          const items = ok(plan).proposePlan.planSummary.items;
          await settled(network, id);
          ok(
            await network.query('1480', CONSULT_PLAN, {
              id,
              version: 1,
              answers: canDeliver(items.map((i) => i.id)),
            }),
          );
          await settled(network, id);
          const decided = ok(
            await network.query<{ decidePlan: { status: string } }>('0180', DECIDE_PLAN, { id, version: 1 }),
          );
          expect(decided.decidePlan.status).toBe('ACTIVE');
          await settled(network, id);
          expect(await bothSides(network, id)).toEqual({ home: 'ACTIVE', receiving: 'ACTIVE' });
        } else {
          expect(brokenRules(plan)).toEqual(['ASSIGNMENT_NOT_ACCEPTED']);
          expect(
            brokenRules(await network.query('1480', CONSULT_PLAN, { id, version: 1, answers: [] })),
          ).toEqual(['ASSIGNMENT_NOT_ACCEPTED', 'NO_PROPOSED_PLAN']);
        }
      });
    }
  });

  describe('withdrawal and acceptance at the same moment', () => {
    for (let round = 1; round <= ROUNDS; round++) {
      it(`exactly one of them takes effect and both cities agree (round ${round})`, async () => {
        const { id, caseId } = await proposed(network, '0180', '1480');
        const calls = [
          () => network.query('0180', WITHDRAW, { id }),
          () => network.query('1480', RESPOND_WITH, { id, decision: 'ACCEPT' }),
        ];
        if (round % 2 === 0) calls.reverse();
        const results = await Promise.all(calls.map((call) => call()));
        const withdrawal = results[round % 2 === 0 ? 1 : 0]!;
        const acceptance = results[round % 2 === 0 ? 0 : 1]!;
        // Each city decides the request made to it: either may be refused at once, when the
        // other city's change has already arrived, naming the rule.
        for (const refused of [withdrawal, acceptance].filter((r) => r.errors)) {
          expect(brokenRules(refused)).toEqual(['ASSIGNMENT_NOT_PROPOSED']);
        }
        expect(withdrawal.errors && acceptance.errors, 'both were refused').toBeFalsy();

        // The home city owns the status: whichever reached it first took effect, the other did not.
        await settled(network, id);
        const sides = await bothSides(network, id);
        expect(['WITHDRAWN', 'ACCEPTED']).toContain(sides.home);
        expect(sides.receiving).toBe(sides.home);
        const withdrawn = sides.home === 'WITHDRAWN';
        const status = sides.home!;
        if (!withdrawn) expect(brokenRules(withdrawal)).toEqual(['ASSIGNMENT_NOT_PROPOSED']);
        else expect(withdrawal.errors).toBeUndefined();

        const asHome = (await viewAs(network, '0180', id))!;
        expect(asHome.status).toBe(status);
        expect(asHome.withdrawnAt === null).toBe(!withdrawn);
        // An answer that came too late was never taken by the home city.
        expect(asHome.respondedAt === null).toBe(withdrawn);
        // The receiving city's answer stays its own record: shown when its city took it, but
        // a withdrawal that reached the home city first leaves the assignment withdrawn.
        expect(asHome.response).toEqual(acceptance.errors ? null : { decision: 'ACCEPT' });
        expect(await viewAs(network, '1480', id)).toEqual(asHome);
        // So does the home city's case record.
        const caseRecord = ok(
          await network.internal<{ case: { assignments: { id: string; status: string }[] } }>(
            '0180',
            /* GraphQL */ `
              query ($id: ID!) {
                case(id: $id) {
                  assignments {
                    id
                    status
                  }
                }
              }
            `,
            { id: caseId },
          ),
        );
        expect(caseRecord.case.assignments).toEqual([{ id, status }]);

        if (withdrawn) {
          // The receiving city can no longer accept it, nor can a plan follow.
          const again = brokenRules(await network.query('1480', RESPOND_WITH, { id, decision: 'ACCEPT' }));
          expect(again).toContain('ASSIGNMENT_NOT_PROPOSED');
          expect(again.every((rule) => ['ASSIGNMENT_NOT_PROPOSED', 'ALREADY_RESPONDED'].includes(rule))).toBe(
            true,
          );
          expect(
            brokenRules(
              await network.query('0180', PROPOSE_PLAN, { id, items: [planItem('CRISIS_SUPPORT')] }),
            ),
          ).toEqual(['ASSIGNMENT_NOT_ACCEPTED']);
          await settled(network, id);
          expect(await viewAs(network, '1480', id)).toEqual(asHome);
        } else {
          // Home can no longer withdraw it, and the two go on to a decided plan.
          expect(brokenRules(await network.query('0180', WITHDRAW, { id }))).toEqual([
            'ASSIGNMENT_NOT_PROPOSED',
          ]);
          await decidedPlan(network, id, [planItem('CRISIS_SUPPORT')]);
          expect(await bothSides(network, id)).toEqual({ home: 'ACTIVE', receiving: 'ACTIVE' });
        }
      });
    }
  });

  describe('the receiving quota', () => {
    it.each(QUOTA_RECEIVERS)(
      'with a quota of 1, %s accepts two proposals at once: exactly one is accepted',
      async (receiver) => {
        const homes = ['0180', '1480'];
        const ids: string[] = [];
        for (const home of homes) ids.push((await proposed(network, home, receiver)).id);
        expect(await balance(receiver)).toEqual({
          municipality: receiver,
          agreementId: `races-quota-${receiver}`,
          sent: expect.any(Number) as unknown,
          received: 0,
          sendingQuota: LIMIT(1),
          receivingQuota: LIMIT(1),
        });

        const results = await Promise.all(
          ids.map((id) => network.query(receiver, RESPOND_WITH, { id, decision: 'ACCEPT' })),
        );
        const { winner, losers } = oneWinner(results);
        expect(brokenRules(losers[0]!)).toEqual(['RECEIVING_QUOTA_EXCEEDED']);
        const loser = 1 - winner;
        for (const id of ids) await settled(network, id);
        expect(await viewAs(network, homes[winner]!, ids[winner]!)).toMatchObject({
          status: 'ACCEPTED',
          response: { decision: 'ACCEPT' },
        });
        expect(await viewAs(network, homes[loser]!, ids[loser]!)).toMatchObject({
          status: 'PROPOSED',
          response: null,
          respondedAt: null,
        });
        expect(await balance(receiver)).toMatchObject({ received: 1, receivingQuota: LIMIT(1) });

        // Accepting the other one later is still refused; declining it is always possible.
        expect(
          brokenRules(await network.query(receiver, RESPOND_WITH, { id: ids[loser], decision: 'ACCEPT' })),
        ).toEqual(['RECEIVING_QUOTA_EXCEEDED']);
        ok(await network.query(receiver, RESPOND_WITH, answer(ids[loser]!, 'DECLINE')));
        await settled(network, ids[loser]!);
        expect(await viewAs(network, homes[loser]!, ids[loser]!)).toMatchObject({
          status: 'DECLINED',
          response: { decision: 'DECLINE' },
        });
        expect((await balance(receiver)).received).toBe(1);
      },
    );
  });

  describe('the sending quota', () => {
    it.each(QUOTA_RECEIVERS)(
      'with a quota of 1, %s proposes two cases at once: exactly one is sent',
      async (home) => {
        const receivers = ['0180', '1480'];
        const cases: string[] = [];
        for (const receiving of receivers)
          cases.push(await prepareCase(network, home, receiving, unitOf(home)));
        expect(await sentBy(network, home)).toEqual([]);

        const results = await Promise.all(
          cases.map((caseId, i) =>
            network.query<{ proposeAssignment: { id: string; status: string } }>(home, PROPOSE, {
              input: { caseId, receivingMunicipality: receivers[i] },
            }),
          ),
        );
        const { winner, losers } = oneWinner(results);
        expect(brokenRules(losers[0]!)).toEqual(['SENDING_QUOTA_EXCEEDED']);
        const sent = results[winner]!.data!.proposeAssignment;
        expect(sent.status).toBe('PROPOSED');
        const list = await sentBy(network, home);
        expect(list).toHaveLength(1);
        expect(list[0]!.startsWith(`${sent.id} PROPOSED `)).toBe(true);
        await settled(network, sent.id);
        expect(await viewAs(network, receivers[winner]!, sent.id)).toMatchObject({ status: 'PROPOSED' });
        expect(await balance(home)).toMatchObject({ sent: 1, sendingQuota: LIMIT(1) });

        // A second proposal later, to either city, is refused too and writes nothing.
        const second = await network.query(home, PROPOSE, {
          input: { caseId: cases[1 - winner], receivingMunicipality: receivers[1 - winner] },
        });
        expect(brokenRules(second)).toEqual(['SENDING_QUOTA_EXCEEDED']);
        expect(await sentBy(network, home)).toEqual(list);

        // A withdrawn proposal no longer counts: the place is free again.
        ok(await network.query(home, WITHDRAW, { id: sent.id }));
        const third = ok(
          await network.query<{ proposeAssignment: { status: string } }>(home, PROPOSE, {
            input: { caseId: cases[1 - winner], receivingMunicipality: receivers[1 - winner] },
          }),
        );
        expect(third.proposeAssignment.status).toBe('PROPOSED');
        expect(await balance(home)).toMatchObject({ sent: 1, sendingQuota: LIMIT(1) });
      },
    );
  });

  describe('one case proposed twice at once', () => {
    for (let round = 1; round <= ROUNDS; round++) {
      it(`opens exactly one assignment (round ${round})`, async () => {
        const caseId = await prepareCase(network, '0180', '1480', UNIT['0180']!);
        const before = await sentBy(network, '0180');
        const results = await Promise.all(
          [1, 2].map(() =>
            network.query<{ proposeAssignment: { id: string } }>('0180', PROPOSE, {
              input: { caseId, receivingMunicipality: '1480' },
            }),
          ),
        );
        const { winner, losers } = oneWinner(results);
        expect(brokenRules(losers[0]!)).toEqual(['ASSIGNMENT_ALREADY_OPEN']);
        const after = await sentBy(network, '0180');
        expect(after).toHaveLength(before.length + 1);
        expect(after[0]!.startsWith(`${results[winner]!.data!.proposeAssignment.id} PROPOSED `)).toBe(true);
      });
    }
  });

  describe('ending an assignment twice at once', () => {
    for (let round = 1; round <= ROUNDS; round++) {
      it(`completion and termination: exactly one ends it (round ${round})`, async () => {
        const { id, itemOf } = await active(network, '0180', '1480', [
          planItem('CRISIS_SUPPORT', today(), addMonths(today(), 6)),
        ]);
        const calls = [
          () => network.query('0180', COMPLETE, { id }),
          () => network.query('0180', TERMINATE, { id, reason: 'THREAT_CHANGED' }),
        ];
        if (round % 2 === 0) calls.reverse();
        const results = await Promise.all(calls.map((call) => call()));
        const { winner, losers } = oneWinner(results);
        const completed = 'completeAssignment' in results[winner]!.data!;
        const status = completed ? 'COMPLETED' : 'TERMINATED';
        expect(brokenRules(losers[0]!)).toEqual([
          completed ? 'ASSIGNMENT_NOT_ONGOING' : 'ASSIGNMENT_NOT_ACTIVE',
        ]);

        await settled(network, id);
        expect(await bothSides(network, id)).toEqual({ home: status, receiving: status });
        const asHome = (await viewAs(network, '0180', id))!;
        expect(asHome).toMatchObject({ status, terminationReason: completed ? null : 'THREAT_CHANGED' });
        expect(asHome.endedAt).not.toBeNull();
        expect(await viewAs(network, '1480', id)).toEqual(asHome);
        // The receiving city knows it ended today: a cost a month later is refused, one today is not.
        const item = itemOf('CRISIS_SUPPORT');
        expect(
          brokenRules(
            await network.query(
              '1480',
              RECORD_COST,
              cost(id, item, addMonths(today(), 1), '10.00', `end-${round}`),
            ),
          ),
        ).toEqual(['ASSIGNMENT_NOT_ACTIVE']);
        ok(await network.query('1480', RECORD_COST, cost(id, item, today(), '10.00', `end-day-${round}`)));
      });
    }
  });

  describe('the same cost booked twice at once', () => {
    let id: string;
    let item: string;
    beforeAll(async () => {
      const assignment = await active(network, '0180', '1480');
      id = assignment.id;
      item = assignment.itemOf('CRISIS_SUPPORT');
    });

    for (let round = 1; round <= ROUNDS; round++) {
      it(`a retry racing the first request is booked once (round ${round})`, async () => {
        await settled(network, id);
        const totalBefore = (await viewAs(network, '0180', id))!.costs!;
        const key = `race-${round}`;
        const results = await Promise.all(
          [1, 2, 3].map(() =>
            network.query<{ recordCost: { id: string } }>(
              '1480',
              RECORD_COST,
              cost(id, item, today(), '100.00', key),
            ),
          ),
        );
        const bookings = results.map((r) => ok(r).recordCost.id);
        expect(new Set(bookings).size).toBe(1);
        // The home city has the receiving city's report of it, once.
        await settled(network, id);
        const after = (await viewAs(network, '0180', id))!.costs!;
        expect(after.entries).toHaveLength(totalBefore.entries.length + 1);
        expect(after.entries.filter((e) => e.id === bookings[0])).toHaveLength(1);
        expect(Number(after.total.amount)).toBe(Number(totalBefore.total.amount) + 100);
      });

      it(`two different costs under one key: one is booked, the other refused (round ${round})`, async () => {
        await settled(network, id);
        const before = (await viewAs(network, '0180', id))!.costs!;
        const key = `race-different-${round}`;
        const amounts = ['200.00', '300.00'];
        const results = await Promise.all(
          amounts.map((amount) => network.query('1480', RECORD_COST, cost(id, item, today(), amount, key))),
        );
        const { winner, losers } = oneWinner(results);
        expect(brokenRules(losers[0]!)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
        await settled(network, id);
        const after = (await viewAs(network, '0180', id))!.costs!;
        expect(after.entries).toHaveLength(before.entries.length + 1);
        expect(Number(after.total.amount)).toBe(Number(before.total.amount) + Number(amounts[winner]));
      });
    }
  });

  describe('one plan answered and decided twice at once', () => {
    for (let round = 1; round <= ROUNDS; round++) {
      it(`exactly one consultation answer and one decision count (round ${round})`, async () => {
        const { id } = await accepted(network, '0180', '1480');
        const items = ok(
          await network.query<{ proposePlan: { planSummary: { items: { id: string }[] } } }>(
            '0180',
            PROPOSE_PLAN,
            { id, items: [planItem('CRISIS_SUPPORT'), planItem('WORK_ORIENTED')] },
          ),
        ).proposePlan.planSummary.items;
        await settled(network, id);
        const answers = canDeliver(items.map((i) => i.id));
        const consulted = await Promise.all(
          [1, 2].map(() => network.query('1480', CONSULT_PLAN, { id, version: 1, answers })),
        );
        expect(brokenRules(oneWinner(consulted).losers[0]!)).toEqual(['PLAN_ALREADY_CONSULTED']);
        await settled(network, id);

        const decided = await Promise.all(
          [1, 2].map(() => network.query('0180', DECIDE_PLAN, { id, version: 1 })),
        );
        expect(brokenRules(oneWinner(decided).losers[0]!)).toEqual(['NO_PROPOSED_PLAN']);
        await settled(network, id);
        expect(await bothSides(network, id)).toEqual({ home: 'ACTIVE', receiving: 'ACTIVE' });
        const seen = (await viewAs(network, '1480', id))!;
        expect(seen.status).toBe('ACTIVE');
        expect(seen.planHistory.map(({ version, status }) => ({ version, status }))).toEqual([
          { version: 1, status: 'DECIDED' },
        ]);
        expect(seen.deliveries.map((d) => d.planItemId).sort()).toEqual(
          seen.planSummary!.items.map((i) => i.id).sort(),
        );
      });
    }
  });

  describe('two plan proposals at once', () => {
    for (let round = 1; round <= ROUNDS; round++) {
      it(`both are kept as consecutive versions, the later one proposed (round ${round})`, async () => {
        const { id } = await active(network, '0180', '1480');
        const categories = ['CONTACT_PERSON', 'WORK_ORIENTED'];
        const results = await Promise.all(
          categories.map((category) =>
            network.query('0180', PROPOSE_PLAN, { id, items: [planItem(category)] }),
          ),
        );
        for (const result of results) ok(result);
        const history = (await viewAs(network, '0180', id))!.planHistory;
        expect(history.map(({ version, status }) => ({ version, status }))).toEqual([
          { version: 3, status: 'PROPOSED' },
          { version: 2, status: 'SUPERSEDED' },
          { version: 1, status: 'DECIDED' },
        ]);
        expect(
          history
            .slice(0, 2)
            .map((plan) => plan.items[0]!.category)
            .sort(),
        ).toEqual(categories);
        expect(history[2]!.items.map((i) => i.category)).toEqual(['CRISIS_SUPPORT']);
        // The receiving city got both in order: only the later one awaits its answer.
        await settled(network, id);
        const answers = canDeliver(history[0]!.items.map((i) => i.id));
        expect(brokenRules(await network.query('1480', CONSULT_PLAN, { id, version: 2, answers }))).toEqual([
          'NO_PROPOSED_PLAN',
        ]);
        ok(await network.query('1480', CONSULT_PLAN, { id, version: 3, answers }));
      });
    }
  });

  describe('reconciliations confirmed at once', () => {
    const CONFIRM = /* GraphQL */ `
      mutation Confirm($between: [String!]!, $period: Int!) {
        confirmReconciliation(between: $between, period: $period) {
          confirmedBy
          settled
        }
      }
    `;
    const READ = /* GraphQL */ `
      query Read($between: [String!]!, $period: Int!) {
        reconciliation(between: $between, period: $period) {
          confirmedBy
          settled
        }
      }
    `;

    it.each([
      [['0180', '1480'], 1],
      [['0180', '0580'], 1],
      [['1480', '1880'], 1],
    ] as const)('by both parties of %j (period %i): settled once both are in', async (between, period) => {
      const results = await Promise.all(
        between.map((party) => network.query(party, CONFIRM, { between, period })),
      );
      for (const result of results) ok(result);
      const answers = results.map(
        (r) => (r.data as { confirmReconciliation: { settled: boolean } }).confirmReconciliation,
      );
      // The one that came second saw the first and settled it.
      expect(answers.filter((a) => a.settled)).toEqual([{ confirmedBy: [...between], settled: true }]);
      for (const party of between) {
        expect(ok(await network.query(party, READ, { between, period }))).toEqual({
          reconciliation: { confirmedBy: [...between], settled: true },
        });
      }
    });

    it.each([
      [['0180', '1480'], 2],
      [['0180', '1280'], 1],
      [['1480', '1280'], 1],
    ] as const)(
      'twice by the same party of %j (period %i): one confirmation counts',
      async (between, period) => {
        const party = between[0];
        const results = await Promise.all(
          [1, 2].map(() => network.query(party, CONFIRM, { between, period })),
        );
        const { winner, losers } = oneWinner(results);
        expect(results[winner]!.data).toEqual({
          confirmReconciliation: { confirmedBy: [party], settled: false },
        });
        expect(brokenRules(losers[0]!)).toEqual(['RECONCILIATION_ALREADY_CONFIRMED']);
        expect(ok(await network.query(between[1], READ, { between, period }))).toEqual({
          reconciliation: { confirmedBy: [party], settled: false },
        });
      },
    );
  });
});
