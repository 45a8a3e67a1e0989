// What a city has told the other party about an assignment that the other
// has not yet acknowledged: shown with the assignment, so a user sees that
// the other city has not received a change yet instead of a stale status.
import { batched, byKey } from '../db/batching';
import type { PrismaClient } from '../db/generated/client';

export interface PendingChanges {
  waitingFor: string;
  count: number;
  since: Date;
}

export function pendingLoader(prisma: PrismaClient) {
  return batched<string, PendingChanges | null>('pendingChanges', async (assignmentIds) => {
    const groups = await prisma.outboxMessage.groupBy({
      by: ['assignmentId', 'recipient'],
      where: { assignmentId: { in: [...assignmentIds] }, deliveredAt: null },
      _count: { _all: true },
      _min: { createdAt: true },
    });
    return byKey(
      assignmentIds,
      groups.map((g) => ({
        assignmentId: g.assignmentId!,
        pending: { waitingFor: g.recipient, count: g._count._all, since: g._min.createdAt! },
      })),
      (g) => g.assignmentId,
    ).map((g) => g?.pending ?? null);
  });
}
