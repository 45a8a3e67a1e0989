// The agreement's whole workflow through the gateway across three cities:
// a case prepared at home, proposed, accepted, planned (home proposes, the
// receiving city answers the consultation, home decides), delivered,
// costed in two periods, followed up, reconciled and settled, completed, and
// read back in the balance and the evaluation report. A change made in one
// city reaches the other by message: each step waits until it has arrived.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_DOCUMENTS_FILE } from '../../gateway/audit/auditDocuments';
import { limit } from '../../schema/contract/agreements';
import { addMonths } from '../../schema/contract/dates';
import { startTestNetwork, type GraphQLResult, type TestNetwork } from '../support/network';
import {
  agreementInForceToday,
  brokenRules,
  ok,
  prepareCase,
  PROPOSE,
  RESPOND,
  settled,
  today,
} from '../support/workflow';
import { CATALOGUE } from '../../subgraphs/agreement/rules';

// Quotas of 2, so the consent test below can start assignments of its own.
const run = promisify(execFile);

const agreement = agreementInForceToday({ sendingQuota: limit(2), receivingQuota: limit(2) });
const p1 = (day: number) =>
  addMonths(agreement.validFrom, 0).replace(/-01$/, `-${String(day).padStart(2, '0')}`);
const p2 = (day: number) =>
  addMonths(agreement.validFrom, 6).replace(/-01$/, `-${String(day).padStart(2, '0')}`);

const ASSIGNMENT = /* GraphQL */ `
  query Assignment($id: ID!) {
    assignment(id: $id) {
      id
      status
      planSummary {
        version
        status
        items {
          id
          category
          estimatedCost {
            amount
          }
        }
        estimatedTotal {
          amount
        }
      }
      planHistory {
        version
        status
      }
      costs {
        total {
          amount
          currency
        }
        entries {
          amount {
            amount
          }
          date
        }
      }
      response {
        decision
      }
      deliveries {
        planItemId
        status
      }
      followUps {
        id
        scheduledFor
        receivingConfirmed
        completed
        done
      }
      childrenAlert {
        raisedBy
        acknowledgedByHome
        acknowledgedByReceiving
      }
      endedAt
    }
  }
`;

interface AssignmentView {
  assignment: {
    id: string;
    status: string;
    planSummary: { version: number; status: string; items: { id: string; category: string }[] } | null;
    costs: { total: { amount: string } } | null;
    deliveries: { planItemId: string; status: string }[];
    followUps: { id: string; receivingConfirmed: boolean; completed: boolean; done: boolean | null }[];
    childrenAlert: { raisedBy: string; acknowledgedByHome: boolean; acknowledgedByReceiving: boolean } | null;
  } | null;
}

// The auditor operations the app's build persists, for the gateway's own-city route.
const AUDIT_MANIFEST = 'web/src/audit/gql/persisted-documents.json';

describe('the workflow from case to reconciliation', () => {
  let network: TestNetwork;
  const webDir = mkdtempSync(join(tmpdir(), 'avhoppare-audit-'));
  beforeAll(async () => {
    copyFileSync(AUDIT_MANIFEST, join(webDir, AUDIT_DOCUMENTS_FILE));
    network = await startTestNetwork({
      agreements: [agreement],
      demoData: false,
      env: { WEB_APP_DIR: webDir },
    });
  });
  afterAll(async () => {
    await network?.stop();
    rmSync(webDir, { recursive: true, force: true });
  });

  interface LogEntry {
    sequence: number;
    at: string;
    municipality: string;
    operation: string;
    kind: string;
    fields: string[];
    assignments: string[];
    traceId: string;
  }
  const LOG_PAGE = /* GraphQL */ `
    query Log(
      $after: Int
      $first: Int
      $counterpart: String
      $assignmentId: ID
      $traceId: String
      $from: DateTime
      $to: DateTime
      $kind: String
    ) {
      disclosureLog(
        after: $after
        first: $first
        counterpart: $counterpart
        assignmentId: $assignmentId
        traceId: $traceId
        from: $from
        to: $to
        kind: $kind
      ) {
        sequence
        at
        municipality
        operation
        kind
        fields
        assignments
        traceId
      }
    }
  `;
  const logPage = (municipality: string, variables: Record<string, unknown>) =>
    network.internal<{ disclosureLog: LogEntry[] }>(municipality, LOG_PAGE, variables, ['auditor']);
  /** A city's whole disclosure log with `filters`, page by page (at most 100 entries a page). */
  async function wholeDisclosureLog(municipality: string, filters: Record<string, unknown> = {}) {
    const entries: LogEntry[] = [];
    for (;;) {
      const page = ok(
        await logPage(municipality, { ...filters, after: entries.at(-1)?.sequence ?? 0, first: 100 }),
      ).disclosureLog;
      entries.push(...page);
      if (page.length < 100) return entries;
    }
  }

  const view = async (municipality: string, id: string) =>
    ok(await network.query<AssignmentView>(municipality, ASSIGNMENT, { id })).assignment!;

  /**
   * Proposes, accepts and plans an assignment in the seeds' order: home
   * proposes the plan, the receiving city answers the consultation, home
   * decides. Returns its id and decided plan item ids.
   */
  async function activeAssignment(home: string, receiving: string, unitId: string, items: unknown[]) {
    const caseId = await prepareCase(network, home, receiving, unitId);
    const proposed = ok(
      await network.query<{ proposeAssignment: { id: string; status: string } }>(home, PROPOSE, {
        input: { caseId, receivingMunicipality: receiving },
      }),
    ).proposeAssignment;
    expect(proposed.status).toBe('PROPOSED');
    const id = proposed.id;
    await settled(network, id);
    expect((await view(receiving, id)).status).toBe('PROPOSED');

    const accepted = ok(
      await network.query<{ respondToAssignment: unknown }>(receiving, RESPOND, {
        id,
        decision: 'ACCEPT',
      }),
    );
    expect(accepted.respondToAssignment).toEqual({ id, response: { decision: 'ACCEPT' } });
    // The status is the home city's: it takes the answer when the message arrives.
    await settled(network, id);
    expect(await view(home, id)).toMatchObject({ status: 'ACCEPTED', response: { decision: 'ACCEPT' } });

    const plan = ok(
      await network.query<{ proposePlan: { planSummary: { version: number; items: { id: string }[] } } }>(
        home,
        /* GraphQL */ `
          mutation Plan($id: ID!, $items: [PlanItemInput!]!) {
            proposePlan(assignmentId: $id, items: $items) {
              id
              planSummary {
                version
                items {
                  id
                }
              }
            }
          }
        `,
        { id, items },
      ),
    ).proposePlan.planSummary;
    expect(plan.version).toBe(1);
    await settled(network, id);
    // Samråd: the receiving city answers for every item.
    ok(
      await network.query(
        receiving,
        /* GraphQL */ `
          mutation Consult($id: ID!, $answers: [ConsultationAnswerInput!]!) {
            consultPlan(assignmentId: $id, version: 1, answers: $answers) {
              id
            }
          }
        `,
        { id, answers: plan.items.map((i) => ({ planItemId: i.id, answer: 'CAN_DELIVER' })) },
      ),
    );
    await settled(network, id);
    // Rule 5: the home municipality decides after consultation; that makes it binding.
    const decided = ok(
      await network.query<{ decidePlan: { status: string } }>(
        home,
        /* GraphQL */ `
          mutation Decide($id: ID!) {
            decidePlan(assignmentId: $id, version: 1) {
              id
              status
            }
          }
        `,
        { id },
      ),
    );
    expect(decided.decidePlan.status).toBe('ACTIVE');
    await settled(network, id);
    const seen = await view(home, id);
    expect(seen.planSummary).toMatchObject({ version: 1, status: 'DECIDED' });
    const itemOf = (category: string) => seen.planSummary!.items.find((i) => i.category === category)!.id;
    return { id, itemOf };
  }

  const item = (category: string, from: string, to: string, estimatedCost: string) => ({
    category,
    plannedFrom: from,
    plannedTo: to,
    extent: { quantity: 2, unit: 'SESSIONS_PER_WEEK' },
    estimatedCost,
  });

  const RECORD_COST = /* GraphQL */ `
    mutation Cost($input: RecordCostInput!) {
      recordCost(input: $input) {
        id
        amount {
          amount
          currency
        }
        date
      }
    }
  `;

  it('runs from proposal to settled reconciliation and completion', async () => {
    // Stockholm (home) → Malmö (receiving): two items, costs in periods 1 and 2.
    const toMalmo = await activeAssignment('0180', '1280', 'sto-central', [
      item('CRISIS_SUPPORT', p1(2), p1(28), '18400.00'),
      item('WORK_ORIENTED', p1(2), p2(28), '96000.00'),
    ]);
    // Malmö (home) → Stockholm (receiving): one item, a cost in period 1.
    const toStockholm = await activeAssignment('1280', '0180', 'mmo-ass', [
      item('CONTACT_PERSON', p1(5), p1(25), '40000.00'),
    ]);

    // Göteborg is no party to either.
    expect(
      ok(await network.query<AssignmentView>('1480', ASSIGNMENT, { id: toMalmo.id })).assignment,
    ).toBeNull();

    // Malmö delivers and books its costs; a retried booking is not booked twice.
    const [crisis, work] = [toMalmo.itemOf('CRISIS_SUPPORT'), toMalmo.itemOf('WORK_ORIENTED')];
    const delivered = ok(
      await network.query<{ recordDelivery: { status: string } }>(
        '1280',
        /* GraphQL */ `
          mutation ($item: ID!) {
            recordDelivery(planItemId: $item, status: DELIVERED) {
              planItemId
              status
            }
          }
        `,
        { item: crisis },
      ),
    );
    expect(delivered.recordDelivery).toEqual({ planItemId: crisis, status: 'DELIVERED' });
    const cost = (planItemId: string, date: string, amount: string, key: string) => ({
      input: {
        assignmentId: toMalmo.id,
        planItemId,
        date,
        amount,
        description: 'Insats enligt plan',
        idempotencyKey: key,
      },
    });
    ok(await network.query('1280', RECORD_COST, cost(crisis, p1(20), '9200.00', 'malmo-1')));
    ok(await network.query('1280', RECORD_COST, cost(work, p1(21), '2000.50', 'malmo-2')));
    const first = ok(
      await network.query<{ recordCost: { id: string } }>(
        '1280',
        RECORD_COST,
        cost(work, p2(10), '12500.00', 'malmo-3'),
      ),
    );
    const retry = ok(
      await network.query<{ recordCost: { id: string } }>(
        '1280',
        RECORD_COST,
        cost(work, p2(10), '12500.00', 'malmo-3'),
      ),
    );
    expect(retry.recordCost.id).toBe(first.recordCost.id);
    // Stockholm books its cost for Malmö's assignment.
    ok(
      await network.query('0180', RECORD_COST, {
        input: {
          assignmentId: toStockholm.id,
          planItemId: toStockholm.itemOf('CONTACT_PERSON'),
          date: p1(15),
          amount: '30000.00',
          description: 'Kontaktperson',
          idempotencyKey: 'sthlm-1',
        },
      }),
    );

    // Both parties see the same costs: the receiving city's, and the home city's copy of what it reported.
    await settled(network, toMalmo.id);
    await settled(network, toStockholm.id);
    const asHome = await view('0180', toMalmo.id);
    const asReceiving = await view('1280', toMalmo.id);
    expect(asHome.costs?.total.amount).toBe('23700.50');
    expect(asReceiving).toEqual(asHome);
    expect(asHome.deliveries).toEqual(
      expect.arrayContaining([
        { planItemId: crisis, status: 'DELIVERED' },
        { planItemId: work, status: 'NOT_STARTED' },
      ]),
    );

    // Follow-up: home schedules, receiving confirms it takes part, home completes.
    const scheduled = ok(
      await network.query<{ scheduleFollowUp: { id: string } }>(
        '0180',
        /* GraphQL */ `
          mutation ($id: ID!, $date: Date!) {
            scheduleFollowUp(assignmentId: $id, date: $date) {
              id
              scheduledFor
            }
          }
        `,
        { id: toMalmo.id, date: addMonths(today(), 1) },
      ),
    ).scheduleFollowUp;
    ok(
      await network.query(
        '1280',
        /* GraphQL */ `
          mutation ($f: ID!) {
            confirmFollowUpParticipation(followUpId: $f) {
              id
              receivingConfirmed
            }
          }
        `,
        { f: scheduled.id },
      ),
    );
    ok(
      await network.query(
        '0180',
        /* GraphQL */ `
          mutation ($f: ID!) {
            completeFollowUp(followUpId: $f, done: true) {
              id
              completed
              done
            }
          }
        `,
        { f: scheduled.id },
      ),
    );
    expect((await view('1280', toMalmo.id)).followUps).toEqual([
      {
        id: scheduled.id,
        scheduledFor: addMonths(today(), 1),
        receivingConfirmed: true,
        completed: true,
        done: true,
      },
    ]);

    // Children come into the picture: Malmö raises the alert, both see it and acknowledge.
    const ALERT = /* GraphQL */ `
      mutation ($id: ID!) {
        raiseChildrenAlert(assignmentId: $id) {
          id
        }
      }
    `;
    const ACK = /* GraphQL */ `
      mutation ($id: ID!) {
        acknowledgeChildrenAlert(assignmentId: $id) {
          id
        }
      }
    `;
    ok(await network.query('1280', ALERT, { id: toMalmo.id }));
    await settled(network, toMalmo.id);
    expect((await view('0180', toMalmo.id)).childrenAlert).toEqual({
      raisedBy: '1280',
      acknowledgedByHome: false,
      acknowledgedByReceiving: false,
    });
    ok(await network.query('0180', ACK, { id: toMalmo.id }));
    ok(await network.query('1280', ACK, { id: toMalmo.id }));
    await settled(network, toMalmo.id);
    expect((await view('1280', toMalmo.id)).childrenAlert).toMatchObject({
      acknowledgedByHome: true,
      acknowledgedByReceiving: true,
    });

    // Reconciliation, computed by hand:
    // Period 1: Stockholm bore 30000.00 for Malmö; Malmö bore 9200.00 + 2000.50 = 11200.50 for Stockholm.
    //   total 41200.50, equal share 20600.25, |30000.00 − 11200.50| / 41200.50 = 0.4563 > 0.10,
    //   equalisation = 18799.50 / 2 = 9399.75, paid by Malmö (bore less) to Stockholm.
    // Period 2: Stockholm bore 0.00; Malmö bore 12500.00: total 12500.00, deviation 1.0000,
    //   equalisation 6250.00, paid by Stockholm to Malmö.
    const RECONCILIATION = /* GraphQL */ `
      fragment R on Reconciliation {
        between
        period
        periodFrom
        periodTo
        sides {
          municipality
          costsBorne {
            amount
          }
          deviation {
            amount
          }
        }
        total {
          amount
        }
        relativeDeviation
        threshold
        equalisation {
          amount {
            amount
            currency
          }
          payer
          payee
        }
        counterpartyAgrees
        confirmedBy
        settled
      }
      query ($period: Int!) {
        reconciliation(between: ["1280", "0180"], period: $period) {
          ...R
        }
      }
    `;
    const CONFIRM = /* GraphQL */ `
      mutation ($period: Int!) {
        confirmReconciliation(between: ["0180", "1280"], period: $period) {
          confirmedBy
          settled
        }
      }
    `;
    const period1 = ok(
      await network.query<{ reconciliation: unknown }>('1280', RECONCILIATION, { period: 1 }),
    );
    expect(period1.reconciliation).toEqual({
      between: ['0180', '1280'],
      period: 1,
      periodFrom: agreement.validFrom,
      periodTo: expect.any(String) as unknown,
      sides: [
        { municipality: '0180', costsBorne: { amount: '30000.00' }, deviation: { amount: '9399.75' } },
        { municipality: '1280', costsBorne: { amount: '11200.50' }, deviation: { amount: '-9399.75' } },
      ],
      total: { amount: '41200.50' },
      relativeDeviation: '0.4563',
      threshold: '0.10',
      equalisation: { amount: { amount: '9399.75', currency: 'SEK' }, payer: '1280', payee: '0180' },
      // Malmö's own sum is the sum of the reports Stockholm checked.
      counterpartyAgrees: true,
      confirmedBy: [],
      settled: false,
    });
    const period2 = ok(
      await network.query<{ reconciliation: { equalisation: unknown; total: unknown } }>(
        '0180',
        RECONCILIATION,
        { period: 2 },
      ),
    );
    expect(period2.reconciliation.total).toEqual({ amount: '12500.00' });
    expect(period2.reconciliation.equalisation).toEqual({
      amount: { amount: '6250.00', currency: 'SEK' },
      payer: '0180',
      payee: '1280',
    });

    for (const period of [1, 2]) {
      expect(
        ok(await network.query<{ confirmReconciliation: unknown }>('0180', CONFIRM, { period }))
          .confirmReconciliation,
      ).toEqual({
        confirmedBy: ['0180'],
        settled: false,
      });
      expect(
        ok(await network.query<{ confirmReconciliation: unknown }>('1280', CONFIRM, { period }))
          .confirmReconciliation,
      ).toEqual({
        confirmedBy: ['0180', '1280'],
        settled: true,
      });
    }
    // Settled is immutable: a late cost in period 1 does not change it, and confirming again is refused.
    ok(await network.query('1280', RECORD_COST, cost(work, p1(25), '100.00', 'malmo-late')));
    const settledPeriod = ok(
      await network.query<{ reconciliation: { settled: boolean; total: unknown } }>('0180', RECONCILIATION, {
        period: 1,
      }),
    );
    expect(settledPeriod.reconciliation).toMatchObject({ settled: true, total: { amount: '41200.50' } });
    expect(brokenRules(await network.query('1280', CONFIRM, { period: 1 }))).toContain(
      'RECONCILIATION_SETTLED',
    );

    // Göteborg may not see the pair's reconciliation.
    const outsider = await network.query('1480', RECONCILIATION, { period: 1 });
    expect(outsider.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Completion by home; the receiving city sees it too.
    const completed = ok(
      await network.query<{ completeAssignment: { status: string } }>(
        '0180',
        /* GraphQL */ `
          mutation ($id: ID!) {
            completeAssignment(id: $id) {
              id
              status
            }
          }
        `,
        { id: toMalmo.id },
      ),
    );
    expect(completed.completeAssignment.status).toBe('COMPLETED');
    await settled(network, toMalmo.id);
    expect((await view('1280', toMalmo.id)).status).toBe('COMPLETED');

    // Network balance: each city sent one and received at most one, against quotas of 2.
    // Each sees its own row in full; a row counting one or two people is a person, so
    // others get those figures only as suppressed (rule 10).
    const BALANCE = /* GraphQL */ `
      {
        networkBalance {
          municipality
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
          suppressedFields
        }
      }
    `;
    const quotas = { sendingQuota: { kind: 'LIMIT', max: 2 }, receivingQuota: { kind: 'LIMIT', max: 2 } };
    const own = { '0180': [1, 1], '1480': [0, 0], '1280': [1, 1] } as const;
    for (const [municipality, [sent, received]] of Object.entries(own)) {
      const rows = ok(
        await network.query<{ networkBalance: { municipality: string }[] }>(municipality, BALANCE),
      ).networkBalance;
      expect(rows.map((r) => r.municipality)).toEqual(['0180', '1480', '1280']);
      expect(rows.find((r) => r.municipality === municipality)).toEqual({
        municipality,
        sent,
        received,
        ...quotas,
        suppressedFields: [],
      });
    }
    const asOutsider = ok(await network.query<{ networkBalance: unknown[] }>('1480', BALANCE)).networkBalance;
    for (const municipality of ['0180', '1280']) {
      expect(asOutsider).toContainEqual({
        municipality,
        sent: null,
        received: null,
        ...quotas,
        suppressedFields: expect.arrayContaining(['sent', 'received']) as unknown,
      });
    }

    // The joint evaluation report.
    const report = ok(
      await network.query<{ evaluationReport: Record<string, unknown[]> }>(
        '1280',
        /* GraphQL */ `
          query ($agreement: ID!) {
            evaluationReport(agreement: $agreement) {
              directions {
                homeMunicipality
                receivingMunicipality
                everProposed
                proposed
                active
                completed
              }
              directionsByPeriod {
                homeMunicipality
                receivingMunicipality
                period
                active
                completed
                suppressedFields
              }
              costsByCategory {
                homeMunicipality
                receivingMunicipality
                category
                gross {
                  amount
                }
                net {
                  amount
                }
              }
              costsByPeriod {
                homeMunicipality
                receivingMunicipality
                period
                gross {
                  amount
                }
                net {
                  amount
                }
              }
              reconciliations {
                between
                period
                settled
                equalisation {
                  amount {
                    amount
                  }
                  payer
                }
              }
            }
          }
        `,
        { agreement: agreement.id },
      ),
    ).evaluationReport;
    expect(report.directions).toEqual(
      expect.arrayContaining([
        {
          homeMunicipality: '0180',
          receivingMunicipality: '1280',
          everProposed: 1,
          proposed: 0,
          active: 0,
          completed: 1,
        },
        {
          homeMunicipality: '1280',
          receivingMunicipality: '0180',
          everProposed: 1,
          proposed: 0,
          active: 1,
          completed: 0,
        },
      ]),
    );
    // Over time: each proposal counted in the period it was made in, by its status now.
    const byPeriod = (rows: unknown[], home: string, receiving: string) =>
      (rows as Record<string, unknown>[]).filter(
        (r) => r.homeMunicipality === home && r.receivingMunicipality === receiving,
      );
    expect(byPeriod(report.directionsByPeriod!, '0180', '1280')).toEqual([
      expect.objectContaining({ active: 0, completed: 1, suppressedFields: [] }),
    ]);
    expect(byPeriod(report.directionsByPeriod!, '1280', '0180')).toEqual([
      expect.objectContaining({ active: 1, completed: 0, suppressedFields: [] }),
    ]);
    // Göteborg is party to the agreement but not to these pairs: one person is no statistic.
    // It gets a row for every period and category of the pair, each withheld, so that
    // which rows exist says nothing either.
    const outsiderReport = ok(
      await network.query<{ evaluationReport: Record<'directionsByPeriod' | 'costsByCategory', unknown[]> }>(
        '1480',
        /* GraphQL */ `
          query ($agreement: ID!) {
            evaluationReport(agreement: $agreement) {
              directionsByPeriod {
                homeMunicipality
                receivingMunicipality
                active
                completed
                suppressedFields
              }
              costsByCategory {
                homeMunicipality
                receivingMunicipality
                category
                net {
                  amount
                }
                suppressedFields
              }
            }
          }
        `,
        { agreement: agreement.id },
      ),
    ).evaluationReport;
    const outsiderPeriods = byPeriod(outsiderReport.directionsByPeriod, '0180', '1280');
    expect(outsiderPeriods.length).toBeGreaterThan(0);
    for (const row of outsiderPeriods)
      expect(row).toEqual({
        homeMunicipality: '0180',
        receivingMunicipality: '1280',
        active: null,
        completed: null,
        suppressedFields: expect.arrayContaining(['active', 'completed']) as unknown,
      });
    const outsiderCategories = byPeriod(outsiderReport.costsByCategory, '0180', '1280') as {
      category: string;
      net: unknown;
      suppressedFields: string[];
    }[];
    expect(outsiderCategories.map((r) => r.category).sort()).toEqual([...CATALOGUE].sort());
    for (const row of outsiderCategories)
      expect(row).toMatchObject({ net: null, suppressedFields: expect.arrayContaining(['net']) as unknown });
    expect(report.costsByPeriod).toEqual(
      expect.arrayContaining([
        {
          homeMunicipality: '0180',
          receivingMunicipality: '1280',
          period: 1,
          gross: { amount: '11300.50' },
          net: { amount: '11300.50' },
        },
        {
          homeMunicipality: '0180',
          receivingMunicipality: '1280',
          period: 2,
          gross: { amount: '12500.00' },
          net: { amount: '12500.00' },
        },
        {
          homeMunicipality: '1280',
          receivingMunicipality: '0180',
          period: 1,
          gross: { amount: '30000.00' },
          net: { amount: '30000.00' },
        },
      ]),
    );
    expect(report.costsByCategory).toEqual(
      expect.arrayContaining([
        {
          homeMunicipality: '0180',
          receivingMunicipality: '1280',
          category: 'CRISIS_SUPPORT',
          gross: { amount: '9200.00' },
          net: { amount: '9200.00' },
        },
        {
          homeMunicipality: '0180',
          receivingMunicipality: '1280',
          category: 'WORK_ORIENTED',
          gross: { amount: '14600.50' },
          net: { amount: '14600.50' },
        },
      ]),
    );
    // The same report as CSV, for the parties' joint evaluation.
    const csv = await fetch(
      `${network.gatewayUrl.replace(/\/graphql$/, '')}/reports/evaluation.csv?agreement=${agreement.id}`,
      {
        headers: { authorization: `Bearer ${await network.token('0180')}` },
      },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^agreement,section,homeMunicipality,receivingMunicipality,category,period,/);
    // Period 2 of Stockholm → Malmö: one assignment, 12500.00 gross, nothing reimbursed, 12500.00 net.
    expect(lines).toContain(
      `${agreement.id},cost-by-period,0180,1280,,2${','.repeat(12)},1,12500.00,0.00,12500.00${','.repeat(8)}`,
    );
    // Every ended period of each pair Stockholm is party to: two with Malmö, two (empty) with Göteborg.
    // Both settled above, on figures the two parties' own sums agreed on.
    expect(
      lines.filter((l) => l.includes(',reconciliation,0180,1280,')).map((l) => l.split(',').slice(-2).join()),
    ).toEqual(['SETTLED,true', 'SETTLED,true']);
    expect(lines.filter((l) => l.includes(',reconciliation,0180,1480,'))).toHaveLength(2);

    const reconciliations = report.reconciliations as { between: string[] }[];
    const withStockholm = reconciliations.filter((r) => r.between.join() === '0180,1280');
    const others = reconciliations.filter((r) => r.between.join() !== '0180,1280');
    // Malmö's pair with Göteborg bore nothing: nothing to equalise.
    expect(others).toEqual([
      { between: ['1280', '1480'], period: 1, settled: false, equalisation: null },
      { between: ['1280', '1480'], period: 2, settled: false, equalisation: null },
    ]);
    expect(withStockholm).toEqual([
      {
        between: ['0180', '1280'],
        period: 1,
        settled: true,
        equalisation: { amount: { amount: '9399.75' }, payer: '1280' },
      },
      {
        between: ['0180', '1280'],
        period: 2,
        settled: true,
        equalisation: { amount: { amount: '6250.00' }, payer: '0180' },
      },
    ]);
  });

  it('stops disclosing to the receiving city the moment consent is withdrawn, and says why', async () => {
    const caseId = await prepareCase(network, '1480', '1280', 'gbg-nordost');
    const { id } = ok(
      await network.query<{ proposeAssignment: { id: string } }>('1480', PROPOSE, {
        input: { caseId, receivingMunicipality: '1280' },
      }),
    ).proposeAssignment;
    await settled(network, id);
    ok(await network.query('1280', RESPOND, { id, decision: 'ACCEPT' }));
    await settled(network, id);
    const PLAN = /* GraphQL */ `
      mutation ($id: ID!, $items: [PlanItemInput!]!) {
        proposePlan(assignmentId: $id, items: $items) {
          id
        }
      }
    `;
    ok(
      await network.query('1480', PLAN, {
        id,
        items: [item('MOTIVATIONAL_TALKS', p2(2), p2(20), '4000.00')],
      }),
    );
    await settled(network, id);
    const DETAILS = /* GraphQL */ `
      query ($id: ID!) {
        assignment(id: $id) {
          id
          status
          disclosure {
            basisInForce
            lapse
          }
          planSummary {
            version
          }
          followUps {
            id
          }
        }
      }
    `;
    const before = ok(await network.query<{ assignment: unknown }>('1280', DETAILS, { id }));
    expect(before.assignment).toEqual({
      id,
      status: 'ACCEPTED',
      disclosure: { basisInForce: true, lapse: null },
      planSummary: { version: 1 },
      followUps: [],
    });

    // Göteborg withdraws the consent in its own internal API.
    const bases = ok(
      await network.internal<{ case: { disclosureBases: { id: string; recipientMunicipality: string }[] } }>(
        '1480',
        /* GraphQL */ `
          query ($id: ID!) {
            case(id: $id) {
              disclosureBases {
                id
                recipientMunicipality
              }
            }
          }
        `,
        { id: caseId },
      ),
    ).case.disclosureBases;
    ok(
      await network.internal(
        '1480',
        /* GraphQL */ `
          mutation ($id: ID!) {
            withdrawDisclosureBasis(id: $id) {
              id
              withdrawnAt
            }
          }
        `,
        {
          id: bases.find((b) => b.recipientMunicipality === '1280')!.id,
        },
      ),
    );

    const after = await network.query<{ assignment: Record<string, unknown> }>('1280', DETAILS, { id });
    expect(after.data?.assignment).toEqual({
      id,
      status: 'ACCEPTED',
      disclosure: { basisInForce: false, lapse: 'WITHDRAWN' },
      planSummary: null,
      followUps: null,
    });
    expect(after.errors?.map((e) => [e.path?.at(-1), e.extensions?.code, e.extensions?.lapse])).toEqual([
      ['planSummary', 'DISCLOSURE_BASIS_LAPSED', 'WITHDRAWN'],
      ['followUps', 'DISCLOSURE_BASIS_LAPSED', 'WITHDRAWN'],
    ]);
    // The home city still sees its own record, and knows the basis lapsed.
    const home = ok(await network.query<{ assignment: Record<string, unknown> }>('1480', DETAILS, { id }));
    expect(home.assignment).toMatchObject({
      disclosure: { basisInForce: false, lapse: 'WITHDRAWN' },
      planSummary: { version: 1 },
    });
    // Nor can a revised plan be handed over: proposing one would disclose it.
    const revised = await network.query('1480', PLAN, {
      id,
      items: [item('CONTACT_PERSON', p2(2), p2(20), '4000.00')],
    });
    expect(brokenRules(revised)).toEqual(['DISCLOSURE_BASIS_MISSING']);
    expect(
      ok(await network.query<{ assignment: unknown }>('1480', DETAILS, { id })).assignment,
    ).toMatchObject({
      planSummary: { version: 1 },
    });
  });

  it('logs every cross-municipal read and write in the disclosing city, and the chain verifies', async () => {
    const log = await wholeDisclosureLog('1280');
    // Stockholm read Malmö's costs for its assignment: Malmö logged who, what and under which trace.
    const costReads = log.filter((e) => e.municipality === '0180' && e.fields.includes('Assignment.costs'));
    expect(costReads.length).toBeGreaterThan(0);
    expect(costReads[0]!.traceId).toMatch(/^[\da-f]{32}$/);
    // Stockholm's city told Malmö's of the new assignment: a cross-municipal write, logged too.
    expect(log.some((e) => e.operation === 'peer:assignmentProposed' && e.municipality === '0180')).toBe(
      true,
    );
    // Malmö's own people are not in its log: nothing crossed a city line for them.
    expect(log.every((e) => e.municipality !== '1280')).toBe(true);

    // Stockholm can hold Malmö's anchor: the newest sequence and hash, nothing logged.
    const anchor = ok(
      await network.query<{ disclosureLogAnchor: { municipality: string; sequence: number; hash: string } }>(
        '0180',
        /* GraphQL */ `
          {
            disclosureLogAnchor(municipality: "1280") {
              municipality
              sequence
              hash
            }
          }
        `,
      ),
    ).disclosureLogAnchor;
    expect(anchor.municipality).toBe('1280');
    expect(anchor.sequence).toBeGreaterThanOrEqual(log.length);
    expect(anchor.hash).toMatch(/^[\da-f]{64}$/);

    // Only auditors read the log.
    const asCaseworker = await network.internal(
      '1280',
      /* GraphQL */ `
        {
          disclosureLog {
            sequence
          }
        }
      `,
      undefined,
      ['caseworker'],
    );
    expect(asCaseworker.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/audit-verify.ts',
        '--municipality',
        '1280',
        '--url',
        network.cities.get('1280')!.url,
      ],
      {
        env: {
          ...process.env,
          KEYS_DIR: network.keysDir,
          // The verifier reads the log as an auditor of the city, with a token of its own.
          AUDITOR_TOKEN: await network.token('1280', ['auditor']),
        },
      },
    );
    // The anchor query above was itself a cross-municipal read: the log has grown since.
    const [, entries, sequence] =
      /The disclosure log of 1280 holds together: (\d+) entries, newest #(\d+) [\da-f]{64}/.exec(stdout) ??
      [];
    expect(Number(entries)).toBeGreaterThan(log.length);
    expect(sequence).toBe(entries);
  });

  it('filters and pages the disclosure log in the database, for auditors only', async () => {
    const whole = await wholeDisclosureLog('1280');
    expect(whole.length).toBeGreaterThan(4);
    const sequences = (entries: LogEntry[]) => entries.map((e) => e.sequence);
    // Pages follow the sequence: two entries, then the next two after the last one seen.
    const first = ok(await logPage('1280', { after: 0, first: 2 })).disclosureLog;
    const next = ok(await logPage('1280', { after: first[1]!.sequence, first: 2 })).disclosureLog;
    expect(sequences([...first, ...next])).toEqual(sequences(whole.slice(0, 4)));

    for (const size of [0, 101, -1]) {
      const refused = await logPage('1280', { after: 0, first: size });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    }
    for (const [argument, value] of [
      ['traceId', 'not-a-trace'],
      ['counterpart', 'Stockholm'],
    ] as const) {
      const refused = await logPage('1280', { [argument]: value });
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }

    // Each filter keeps exactly the entries it names, and the filters combine.
    const expectFiltered = async (filters: Record<string, unknown>, keep: (e: LogEntry) => boolean) => {
      const expected = whole.filter(keep);
      expect(expected.length, JSON.stringify(filters)).toBeGreaterThan(0);
      expect(sequences(await wholeDisclosureLog('1280', filters))).toEqual(sequences(expected));
    };
    await expectFiltered({ counterpart: '0180' }, (e) => e.municipality === '0180');
    const assignmentId = whole.find((e) => e.assignments.length > 0)!.assignments[0]!;
    await expectFiltered({ assignmentId }, (e) => e.assignments.includes(assignmentId));
    const { traceId } = whole.find((e) => e.fields.includes('Assignment.costs'))!;
    await expectFiltered({ traceId }, (e) => e.traceId === traceId);
    await expectFiltered({ kind: 'message-in' }, (e) => e.kind === 'message-in');
    const middle = whole[Math.floor(whole.length / 2)]!.at;
    await expectFiltered({ from: middle }, (e) => e.at >= middle);
    await expectFiltered({ to: middle }, (e) => e.at < middle);
    await expectFiltered(
      { counterpart: '0180', kind: 'query', to: middle },
      (e) => e.municipality === '0180' && e.kind === 'query' && e.at < middle,
    );

    // The access log: Stockholm's own staff read and changed its cases while preparing them.
    const ACCESS = /* GraphQL */ `
      query Access($traceId: String, $from: DateTime, $to: DateTime) {
        caseAccessLog(first: 100, traceId: $traceId, from: $from, to: $to) {
          sequence
          at
          traceId
        }
      }
    `;
    const access = (variables: Record<string, unknown>) =>
      network.internal<{ caseAccessLog: { sequence: number; at: string; traceId: string }[] }>(
        '0180',
        ACCESS,
        variables,
        ['auditor'],
      );
    const accessLog = ok(await access({})).caseAccessLog;
    expect(accessLog.length).toBeGreaterThan(2);
    const one = accessLog[1]!;
    expect(ok(await access({ traceId: one.traceId })).caseAccessLog).toEqual(
      accessLog.filter((e) => e.traceId === one.traceId),
    );
    expect(ok(await access({ from: one.at })).caseAccessLog).toEqual(accessLog.filter((e) => e.at >= one.at));
    expect(ok(await access({ to: one.at })).caseAccessLog).toEqual(accessLog.filter((e) => e.at < one.at));

    // Filters change nothing about who may read: a caseworker is still refused.
    const asCaseworker = await network.internal('1280', LOG_PAGE, { counterpart: '0180' }, ['caseworker']);
    expect(asCaseworker.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  describe('the own-city route', () => {
    const manifest = JSON.parse(readFileSync(AUDIT_MANIFEST, 'utf8')) as Record<string, string>;
    const hashOf = (name: string) =>
      Object.entries(manifest).find(([, text]) => text.includes(`query ${name}`))![0];
    const ownCityUrl = () => network.gatewayUrl.replace(/\/graphql$/, '/own-city/graphql');
    const send = async (body: unknown, authorization?: string) => {
      const response = await network.fetch(ownCityUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(body),
      });
      return {
        ...((await response.json()) as GraphQLResult<{ disclosureLog: LogEntry[] }>),
        status: response.status,
        traceId: response.headers.get('x-trace-id'),
      };
    };
    const persisted = (name: string, variables: Record<string, unknown> = {}) => ({
      operationName: name,
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(name) } },
    });
    const bearer = async (municipality: string, permissions = ['auditor']) =>
      `Bearer ${await network.token(municipality, permissions)}`;
    const codeOf = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;

    it('answers an auditor with their own city’s log, and only theirs', async () => {
      for (const municipality of ['0180', '1280']) {
        const viaGateway = await send(
          persisted('DisclosureLog', { after: 0, first: 100 }),
          await bearer(municipality),
        );
        expect(viaGateway.status).toBe(200);
        const entries = ok(viaGateway).disclosureLog;
        expect(entries.length).toBeGreaterThan(0);
        // The same entries the city's own internal API gives its auditor: nothing of the others.
        const own = ok(await logPage(municipality, { after: 0, first: 100 })).disclosureLog;
        expect(entries.map((e) => [e.sequence, e.traceId])).toEqual(own.map((e) => [e.sequence, e.traceId]));
        expect(entries.every((e) => e.municipality !== municipality)).toBe(true);
      }
    });

    it('refuses query text and unknown operations, whoever sends them', async () => {
      const auditor = await bearer('0180');
      const refusals = [
        { query: '{ cases { personName personalIdentityNumber } }' },
        // Not even the text of a persisted operation: only its hash.
        { query: manifest[hashOf('DisclosureLog')], variables: { after: 0, first: 10 } },
        { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } },
        { documentId: 'a'.repeat(64) },
        { extensions: { persistedQuery: { version: 1, sha256Hash: '../internal' } } },
        [persisted('DisclosureLog')],
      ];
      for (const body of refusals) {
        const refused = await send(body, auditor);
        expect(refused.status, JSON.stringify(body)).toBe(400);
        expect(codeOf(refused), JSON.stringify(body)).toBe('OPERATION_NOT_TRUSTED');
        expect(refused.data).toBeUndefined();
      }
      const anonymous = await send(persisted('DisclosureLog'));
      expect(anonymous.status).toBe(401);
      expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    });

    it('leaves the permission to the city: a caseworker gets the city’s FORBIDDEN', async () => {
      const refused = await send(persisted('LogIntegrity'), await bearer('1280', ['caseworker']));
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.data ?? null).toBeNull();
      const integrity = await send(persisted('LogIntegrity'), await bearer('1280'));
      expect(ok(integrity)).toMatchObject({
        disclosureLogVerification: { ok: true, firstBrokenSequence: null },
      });
    });

    it('follows one request by the trace id the gateway names in its answer', async () => {
      const response = await network.fetch(network.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: await bearer('0180', ['coordinator']),
        },
        body: JSON.stringify({
          query: '{ assignments(first: 10) { edges { node { id costs { total { amount } } } } } }',
        }),
      });
      expect(response.status).toBe(200);
      const traceId = response.headers.get('x-trace-id');
      expect(traceId).toMatch(/^[\da-f]{32}$/);
      // Malmö logged Stockholm's read under that trace; its auditor finds exactly those entries.
      const found = ok(
        await send(persisted('DisclosureLog', { after: 0, first: 100, traceId }), await bearer('1280')),
      ).disclosureLog;
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((e) => e.traceId === traceId && e.municipality === '0180')).toBe(true);
    });
  });
});
