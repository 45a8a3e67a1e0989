// Rule 8 between parties that need not trust each other: the holder of a
// reconciliation takes what the other party bore from the cost reports it
// received and checked, and asks that party's own sums only to compare. A
// receiving city whose books claim more than the holder took in changes no
// figure, and nobody confirms until the two agree; a cost the holder refused
// is in neither side's figures; and the other party may not change a settled
// period by telling the holder on its own. The claims are written in the
// receiving city's own database and the message signed with its key, as a
// city under an attacker's control could.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converged } from '../support/eventually';
import { sendAs } from '../support/peers';
import { databaseKinds, startTestNetwork, type GraphQLResult, type TestNetwork } from '../support/network';

const kinds = await databaseKinds();
const HOLDER = '0180';
const OTHER = '1280';

interface Side {
  municipality: string;
  gross: { amount: string };
  costsBorne: { amount: string };
}
interface Reconciliation {
  periodFrom: string;
  periodTo: string;
  sides: Side[];
  equalisation: { amount: { amount: string }; payer: string } | null;
  counterpartyAgrees: boolean | null;
  confirmedBy: string[];
  status: string;
}

const FIELDS = /* GraphQL */ `
  periodFrom
  periodTo
  sides {
    municipality
    gross {
      amount
    }
    costsBorne {
      amount
    }
  }
  equalisation {
    amount {
      amount
    }
    payer
  }
  counterpartyAgrees
  confirmedBy
  status
`;
const READ = `query ($p: Int!, $a: ID!) { reconciliation(between: ["${HOLDER}", "${OTHER}"], period: $p, agreement: $a) { ${FIELDS} } }`;
const CONFIRM = `mutation ($p: Int!, $a: ID!) { confirmReconciliation(between: ["${HOLDER}", "${OTHER}"], period: $p, agreement: $a) { ${FIELDS} } }`;
const DECLINE = `mutation ($p: Int!, $a: ID!) { declineReconciliation(between: ["${HOLDER}", "${OTHER}"], period: $p, agreement: $a, reason: "Figures differ") { ${FIELDS} } }`;

function data<T>(result: GraphQLResult<T>): T {
  expect(result.errors).toBeUndefined();
  return result.data!;
}

describe.runIf(kinds.includes('postgres'))(
  'a reconciliation with a party that claims more than it reported',
  () => {
    let network: TestNetwork;
    let receiving: pg.Client;
    let home: pg.Client;
    beforeAll(async () => {
      network = await startTestNetwork({ database: 'postgres' });
      receiving = new pg.Client({ connectionString: network.cities.get(OTHER)!.spec.databaseUrl });
      home = new pg.Client({ connectionString: network.cities.get(HOLDER)!.spec.databaseUrl });
      await Promise.all([receiving.connect(), home.connect()]);
      // The demo data's costs reach the home cities by message: from here on both sides hold them.
      await converged(network);
    });
    afterAll(async () => {
      await receiving?.end();
      await home?.end();
      await network?.stop();
    });

    /**
     * A cost report in Malmö's outbox, as if sent about `assignmentId` and answered with
     * `outcome`, that Stockholm never received: what Malmö's books say it reported.
     */
    async function reportInBooks(assignmentId: string, outcome: 'applied' | 'refused'): Promise<string> {
      const { rows } = await receiving.query<{ payload: Record<string, unknown> }>(
        `select payload from outbox where kind = 'costReported' and assignment_id = $1 order by sequence limit 1`,
        [assignmentId],
      );
      const id = randomUUID();
      const payload = {
        ...rows[0]!.payload,
        costId: `${String(rows[0]!.payload.costId)}-${id}`,
        gross: '50000.00',
      };
      await receiving.query(
        `insert into outbox (id, recipient, assignment_id, kind, payload, created_at, next_attempt_at, delivered_at, outcome)
         values ($1, $2, $3, 'costReported', $4, now(), now(), now(), $5)`,
        [id, HOLDER, assignmentId, JSON.stringify(payload), outcome],
      );
      return id;
    }

    it('shows the reports the holder checked, refuses to confirm while the claim differs or is missing, and settles once they agree', async () => {
      // A cost Malmö bore for one of Stockholm's assignments, booked again without being reported.
      const { rows } = await receiving.query<{ assignment_id: string; agreement_id: string; day: string }>(
        `select e.assignment_id, a.agreement_id, to_char(e.date, 'YYYY-MM-DD') as day
         from cost_entry e join incoming_assignment a on a.id = e.assignment_id
        where a.home_municipality = $1 order by e.date limit 1`,
        [HOLDER],
      );
      const cost = rows[0]!;
      const agreement = cost.agreement_id;
      // The period that holds the cost: the first whose end is not before it.
      const read = async (period: number) =>
        data(
          await network.query<{ reconciliation: Reconciliation }>(HOLDER, READ, { p: period, a: agreement }),
        ).reconciliation;
      let period = 1;
      let before = await read(period);
      while (before.periodTo < cost.day && period < 40) before = await read(++period);
      expect(before).toMatchObject({ counterpartyAgrees: true, confirmedBy: [], status: 'OPEN' });
      // Malmö's books say it reported one more cost, which Stockholm never took in.
      const claimed = await reportInBooks(cost.assignment_id, 'applied');

      // Each party sees the same figures as before: the claim reaches no side and no payment.
      for (const party of [HOLDER, OTHER]) {
        const seen = data(
          await network.query<{ reconciliation: Reconciliation }>(party, READ, { p: period, a: agreement }),
        ).reconciliation;
        expect(seen).toEqual({ ...before, counterpartyAgrees: false });
      }
      for (const party of [HOLDER, OTHER]) {
        const refused = await network.query(party, CONFIRM, { p: period, a: agreement });
        expect(refused.errors?.[0]?.extensions).toMatchObject({
          code: 'CONFLICT',
          rules: ['RECONCILIATION_FIGURES_DIFFER'],
        });
      }
      // Declining binds nobody and stays open to either party.
      const declined = data(
        await network.query<{ declineReconciliation: Reconciliation }>(HOLDER, DECLINE, {
          p: period,
          a: agreement,
        }),
      ).declineReconciliation;
      expect(declined).toMatchObject({ status: 'DISPUTED', counterpartyAgrees: false });

      // A cost Stockholm refused is in neither side's figures: with only that, the two agree.
      await receiving.query(`delete from outbox where id = $1`, [claimed]);
      await reportInBooks(cost.assignment_id, 'refused');
      expect(await read(period)).toEqual({ ...before, counterpartyAgrees: true, status: 'DISPUTED' });
      // And the parties settle on the checked figures.
      for (const party of [HOLDER, OTHER]) {
        data(await network.query(party, CONFIRM, { p: period, a: agreement }));
      }
      const settled = data(
        await network.query<{ reconciliation: Reconciliation }>(OTHER, READ, { p: period, a: agreement }),
      ).reconciliation;
      expect(settled).toEqual({
        ...before,
        counterpartyAgrees: true,
        confirmedBy: [HOLDER, OTHER],
        status: 'SETTLED',
      });

      // Nor may Malmö change a reimbursement in the settled period by telling Stockholm on its own.
      const { rows: reported } = await receiving.query<{
        id: string;
        plan_item_id: string;
        category: string;
        day: string;
        amount: string;
      }>(
        `select id, plan_item_id, category, to_char(date, 'YYYY-MM-DD') as day, amount::text
         from cost_entry where assignment_id = $1 and date = $2::date order by id limit 1`,
        [cost.assignment_id, cost.day],
      );
      const entry = reported[0]!;
      const copyOf = async () =>
        (
          await home.query<{ gross: string; reimbursed: string }>(
            `select gross::text, reimbursed::text from cost_report where id = $1`,
            [entry.id],
          )
        ).rows;
      const copyBefore = await copyOf();
      expect(copyBefore).toHaveLength(1);
      const answer = await sendAs(network, OTHER, HOLDER, {
        kind: 'costReported',
        assignmentId: cost.assignment_id,
        costId: entry.id,
        planItemId: entry.plan_item_id,
        category: entry.category,
        date: entry.day,
        gross: entry.amount,
        reimbursed: entry.amount,
        reimbursementSource: 'POLICE_NATIONAL_OPERATIONS',
      });
      expect(answer.reply).toMatchObject({ ok: false, code: 'CONFLICT', rules: ['RECONCILIATION_SETTLED'] });
      expect(await copyOf()).toEqual(copyBefore);

      // A party that does not answer leaves its side readable from the reports, and unconfirmable.
      await network.stopCity(OTHER);
      const next = period + 1;
      const unanswered = data(
        await network.query<{ reconciliation: Reconciliation }>(HOLDER, READ, { p: next, a: agreement }),
      ).reconciliation;
      expect(unanswered.counterpartyAgrees).toBeNull();
      expect(unanswered.sides.map((s) => s.municipality)).toEqual([HOLDER, OTHER]);
      const refused = await network.query(HOLDER, CONFIRM, { p: next, a: agreement });
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'SUBGRAPH_UNAVAILABLE',
        municipality: OTHER,
      });
    });
  },
);
