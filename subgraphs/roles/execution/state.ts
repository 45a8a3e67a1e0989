// The receiving city's facts of the assignments it received, as the pair's
// consistency check compares them and as a repair sends them: its copy of
// the status and plan, its answer, its consultation answers and its costs.
import { dayOf } from '../../clock';
import { Prisma, type PrismaClient } from '../../db/generated/client';
import type { ChangeMessage } from '../../peer/protocol';

type Reader = PrismaClient | Prisma.TransactionClient;

/** The query of one digest line per assignment received from `home`, as the sending side's (casework/state.ts). */
export function receivedDigestLines(home: string): Prisma.Sql {
  return Prisma.sql`
    SELECT i.id AS "assignmentId",
           i.status::text AS status,
           coalesce((SELECT max(r.plan_version) FROM received_plan_item r
                     WHERE r.assignment_id = i.id AND r.status = 'AGREED'), 0)::int AS "planVersion",
           round(coalesce((SELECT sum(e.amount) FROM cost_entry e
                     WHERE e.assignment_id = i.id), 0), 2)::text AS "costTotal"
    FROM incoming_assignment i
    WHERE i.home_municipality = ${home}`;
}

/** The receiving city's facts of one assignment, for a repair. */
export async function receivingStateOf(db: Reader, assignmentId: string): Promise<ChangeMessage | null> {
  const received = await db.incomingAssignment.findUnique({
    where: { id: assignmentId },
    include: { planItems: true, costs: { orderBy: [{ date: 'asc' }, { id: 'asc' }] } },
  });
  if (!received) return null;
  const versions = [...new Set(received.planItems.filter((i) => i.consultation).map((i) => i.planVersion))];
  return {
    kind: 'receivingState',
    assignmentId,
    response:
      received.response && received.respondedAt
        ? {
            decision: received.response,
            declineReason: received.declineReason,
            respondedAt: received.respondedAt.toISOString(),
          }
        : null,
    consultations: versions.map((version) => ({
      version,
      answers: received.planItems
        .filter((i) => i.planVersion === version && i.consultation)
        .map((i) => ({ itemId: i.id, answer: i.consultation!, reason: i.cannotDeliverReason })),
    })),
    costs: received.costs.map((c) => ({
      costId: c.id,
      planItemId: c.planItemId,
      category: c.category,
      date: dayOf(c.date),
      gross: c.amount.toFixed(2),
      reimbursed: c.reimbursed.toFixed(2),
      reimbursementSource: c.reimbursementSource,
    })),
  };
}
