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
const REIMBURSE = `mutation ($c: ID!) { recordReimbursement(costId: $c, amount: "100.00", source: POLICE_NATIONAL_OPERATIONS) { id } }`;
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

    interface Claim {
      costId: string;
      payload: Record<string, unknown>;
    }

    /**
     * A cost of 50 000 kr in Malmö's books, reported about `assignmentId` as far as
     * Malmö's outbox says, answered with `outcome`: a report Stockholm never received.
     */
    async function bookedInMalmo(assignmentId: string, outcome: 'applied' | 'refused'): Promise<Claim> {
      const { rows } = await receiving.query<{ payload: Record<string, unknown> }>(
        `select payload from outbox where kind = 'costReported' and assignment_id = $1 order by sequence limit 1`,
        [assignmentId],
      );
      const id = randomUUID();
      const costId = `${String(rows[0]!.payload.costId)}-${id}`;
      const payload: Record<string, unknown> = {
        ...rows[0]!.payload,
        costId,
        gross: '50000.00',
        reimbursed: '0.00',
      };
      await receiving.query(
        `insert into cost_entry (id, assignment_id, plan_item_id, category, date, amount, reimbursed, description, idempotency_key)
         values ($1, $2, $3, $4, $5::date, 50000, 0, 'claimed', $1)`,
        [costId, assignmentId, payload.planItemId, payload.category, payload.date],
      );
      await receiving.query(
        `insert into outbox (id, recipient, assignment_id, kind, payload, created_at, next_attempt_at, delivered_at, outcome)
         values ($1, $2, $3, 'costReported', $4, now(), now(), now(), $5)`,
        [id, HOLDER, assignmentId, JSON.stringify(payload), outcome],
      );
      return { costId, payload };
    }

    /** Stockholm's copy of the claimed report, as if it had taken it in. */
    const takenIn = (assignmentId: string, { costId, payload }: Claim) =>
      home.query(
        `insert into cost_report (id, assignment_id, plan_item_id, category, date, gross, reimbursed, reported_at)
         values ($1, $2, $3, $4, $5::date, 50000, 0, now())`,
        [costId, assignmentId, payload.planItemId, payload.category, payload.date],
      );

    const forget = async (assignmentId: string, { costId }: Claim) => {
      await receiving.query(`delete from outbox where assignment_id = $1 and payload->>'costId' = $2`, [
        assignmentId,
        costId,
      ]);
      await receiving.query(`delete from cost_entry where id = $1`, [costId]);
      await home.query(`delete from cost_report where id = $1`, [costId]);
    };

    it('shows the reports the holder checked, refuses to confirm while the sums differ or one is missing, and settles once they agree', async () => {
      // A cost Malmö bore for one of Stockholm's assignments, and the reconciliation period that holds it.
      const { rows } = await receiving.query<{ assignment_id: string; agreement_id: string; day: string }>(
        `select e.assignment_id, a.agreement_id, to_char(e.date, 'YYYY-MM-DD') as day
         from cost_entry e join incoming_assignment a on a.id = e.assignment_id
        where a.home_municipality = $1 order by e.date limit 1`,
        [HOLDER],
      );
      const cost = rows[0]!;
      const agreement = cost.agreement_id;
      const read = async (party = HOLDER) =>
        data(
          await network.query<{ reconciliation: Reconciliation }>(party, READ, { p: period, a: agreement }),
        ).reconciliation;
      const confirm = (party: string) =>
        network.query<{ confirmReconciliation: Reconciliation }>(party, CONFIRM, { p: period, a: agreement });
      let period = 1;
      let before = await read();
      while (before.periodTo < cost.day && period < 40) {
        period += 1;
        before = await read();
      }
      expect(before).toMatchObject({ counterpartyAgrees: true, confirmedBy: [], status: 'OPEN' });
      data(await confirm(OTHER));

      // Malmö's books claim one more cost, which Stockholm never took in: each party sees the
      // same figures as before (the claim reaches no side and no payment), and they differ.
      const claim = await bookedInMalmo(cost.assignment_id, 'applied');
      for (const party of [HOLDER, OTHER]) {
        expect(await read(party)).toEqual({
          ...before,
          counterpartyAgrees: false,
          confirmedBy: [OTHER],
          status: 'CONFIRMED_BY_ONE',
        });
      }
      expect((await confirm(HOLDER)).errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        rules: ['RECONCILIATION_FIGURES_DIFFER'],
      });

      // Once Stockholm holds the report, the two agree on new figures, which Malmö has not confirmed.
      await takenIn(cost.assignment_id, claim);
      const changed = await read();
      expect(changed).toMatchObject({ counterpartyAgrees: true, confirmedBy: [], status: 'OPEN' });
      expect(changed.sides[1]!.gross.amount).not.toBe(before.sides[1]!.gross.amount);
      // Declining stores the new figures; Malmö's confirmation of the old ones does not carry over.
      const declined = data(
        await network.query<{ declineReconciliation: Reconciliation }>(HOLDER, DECLINE, {
          p: period,
          a: agreement,
        }),
      ).declineReconciliation;
      expect(declined).toMatchObject({ status: 'DISPUTED', confirmedBy: [] });
      expect(data(await confirm(HOLDER)).confirmReconciliation).toMatchObject({
        confirmedBy: [HOLDER],
        status: 'CONFIRMED_BY_ONE',
      });

      // A cost Stockholm refused is in neither side's figures: with only that, the two agree on the first ones.
      await forget(cost.assignment_id, claim);
      await bookedInMalmo(cost.assignment_id, 'refused');
      expect(await read()).toEqual(before);
      // And the parties settle on them.
      for (const party of [HOLDER, OTHER]) data(await confirm(party));
      expect(await read(OTHER)).toEqual({ ...before, confirmedBy: [HOLDER, OTHER], status: 'SETTLED' });

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
      // Nor through the gateway, where Malmö asks Stockholm, the holder, whether the period is settled.
      expect((await network.query(OTHER, REIMBURSE, { c: entry.id })).errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        rules: ['RECONCILIATION_SETTLED'],
      });
      expect(await copyOf()).toEqual(copyBefore);

      // Where the receiving city holds the pair (Stockholm receives for Göteborg), it decides under the lock.
      const { rows: stockholms } = await home.query<{ id: string; agreement_id: string; day: string }>(
        `select e.id, a.agreement_id, to_char(e.date, 'YYYY-MM-DD') as day
           from cost_entry e join incoming_assignment a on a.id = e.assignment_id
          where a.home_municipality = '1480' order by e.date limit 1`,
      );
      const held = stockholms[0]!;
      const PAIR = `(between: ["${HOLDER}", "1480"], period: $p, agreement: $a)`;
      let heldPeriod = 1;
      const periodOfHeld = async () =>
        data(
          await network.query<{ reconciliation: Reconciliation }>(
            HOLDER,
            `query ($p: Int!, $a: ID!) { reconciliation${PAIR} { ${FIELDS} } }`,
            { p: heldPeriod, a: held.agreement_id },
          ),
        ).reconciliation;
      while ((await periodOfHeld()).periodTo < held.day && heldPeriod < 40) heldPeriod += 1;
      for (const party of [HOLDER, '1480'])
        data(
          await network.query(
            party,
            `mutation ($p: Int!, $a: ID!) { confirmReconciliation${PAIR} { status } }`,
            {
              p: heldPeriod,
              a: held.agreement_id,
            },
          ),
        );
      expect(await periodOfHeld()).toMatchObject({ status: 'SETTLED', counterpartyAgrees: true });
      expect((await network.query(HOLDER, REIMBURSE, { c: held.id })).errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        rules: ['RECONCILIATION_SETTLED'],
      });

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
