// The home city's facts of the assignments it sent, as the pair's consistency
// check compares them and as a repair sends them: status, plan versions and
// the costs the receiving city reported.
import { disclosureState } from '../../agreement/disclosure';
import { dayOf } from '../../clock';
import { Prisma, type PrismaClient } from '../../db/generated/client';
import type { ChangeMessage } from '../../peer/protocol';

type Reader = PrismaClient | Prisma.TransactionClient;

/**
 * The query of one digest line per assignment sent to `receiving`. Summed in
 * SQL: the check reads every shared assignment, and loading each one's plans
 * and costs into the process cost far more than the figures it needs. Left
 * unfiltered: the caller narrows it to digest buckets, and PostgreSQL applies
 * that filter before the sums.
 */
export function sentDigestLines(receiving: string): Prisma.Sql {
  return Prisma.sql`
    SELECT a.id AS "assignmentId",
           a.status::text AS status,
           coalesce((SELECT max(p.version) FROM plan_version p
                     WHERE p.assignment_id = a.id AND p.decided_at IS NOT NULL), 0)::int AS "planVersion",
           round(coalesce((SELECT sum(c.gross) FROM cost_report c
                     WHERE c.assignment_id = a.id), 0), 2)::text AS "costTotal"
    FROM assignment a
    WHERE a.receiving_municipality = ${receiving}`;
}

/** The home city's facts of one assignment, for a repair; details only on a basis in force (rule 4). */
export async function homeStateOf(
  db: Reader,
  assignmentId: string,
  today: string,
): Promise<ChangeMessage | null> {
  const assignment = await db.assignment.findUnique({
    where: { id: assignmentId },
    include: {
      case: { select: { disclosureBases: true } },
      plans: {
        include: { items: { orderBy: [{ plannedFrom: 'asc' }, { id: 'asc' }] } },
        orderBy: { version: 'asc' },
      },
    },
  });
  if (!assignment?.agreementId) return null;
  const basis = disclosureState(assignment.case.disclosureBases, assignment.receivingMunicipality, today);
  return {
    kind: 'homeState',
    assignmentId,
    agreementId: assignment.agreementId,
    status: assignment.status,
    proposedAt: assignment.proposedAt.toISOString(),
    plans: assignment.plans.map((plan) => ({
      version: plan.version,
      status: plan.status,
      items: basis.basisInForce
        ? plan.items.map((item) => ({
            id: item.id,
            category: item.category,
            plannedFrom: dayOf(item.plannedFrom),
            plannedTo: dayOf(item.plannedTo),
            extent: { quantity: item.extentQuantity, unit: item.extentUnit },
            estimatedCost: item.estimatedCost.toFixed(2),
          }))
        : null,
      decidedItemIds: plan.items.filter((i) => i.decided).map((i) => i.id),
    })),
    terminationReason: basis.basisInForce && assignment.status === 'TERMINATED' ? assignment.endReason : null,
    withheld: basis.lapse,
  };
}

/**
 * A message as it may leave now (rule 4): when the basis for the receiving
 * city lapsed after the change was made, its details about the person are
 * withheld and the message says why; everything else still goes.
 */
export async function disclosableNow(
  db: Reader,
  message: ChangeMessage,
  today: string,
): Promise<ChangeMessage> {
  if (message.kind !== 'planProposed' && message.kind !== 'homeState' && message.kind !== 'statusChanged') {
    return message;
  }
  const assignment = await db.assignment.findUnique({
    where: { id: message.assignmentId },
    select: { receivingMunicipality: true, case: { select: { disclosureBases: true } } },
  });
  if (!assignment) return message;
  const basis = disclosureState(assignment.case.disclosureBases, assignment.receivingMunicipality, today);
  if (basis.basisInForce) return message;
  switch (message.kind) {
    case 'planProposed':
      return { ...message, items: null, withheld: basis.lapse };
    case 'statusChanged':
      return {
        ...message,
        terminationReason: null,
        withheld: message.terminationReason ? basis.lapse : message.withheld,
      };
    case 'homeState':
      return {
        ...message,
        plans: message.plans.map((plan) => ({ ...plan, items: null })),
        terminationReason: null,
        withheld: basis.lapse,
      };
  }
}
