// The receiving city's facts of the assignments it received, as the pair's
// consistency check compares them and as a repair sends them: its copy of
// the status and plan, its answer, its consultation answers and its costs.
import { dayOf } from '../../clock';
import { Prisma, type PrismaClient } from '../../db/generated/client';
import type { ChangeMessage, DigestLine } from '../../peer/protocol';

type Reader = PrismaClient | Prisma.TransactionClient;

/** One digest line per assignment received from `home`. */
export async function receivedDigest(db: Reader, home: string): Promise<Omit<DigestLine, 'pending'>[]> {
  const rows = await db.incomingAssignment.findMany({
    where: { homeMunicipality: home },
    select: {
      id: true,
      status: true,
      planItems: { where: { status: 'AGREED' }, select: { planVersion: true } },
      costs: { select: { amount: true } },
    },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => ({
    assignmentId: row.id,
    status: row.status,
    planVersion: Math.max(0, ...row.planItems.map((i) => i.planVersion)),
    costTotal: row.costs.reduce((sum, c) => sum.plus(c.amount), new Prisma.Decimal(0)).toFixed(2),
  }));
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
