// The execution role's reads: the assignments this city received, the plan
// items it agreed to deliver and the costs it bore. One statement per batch.
import { batched, byKey, groupByKey } from '../../db/batching';
import type { PrismaClient } from '../../db/generated/client';
import type { ReceivedPlanItemModel, CostEntryModel, ReceivedAssignmentModel } from './models';

const COST_ORDER = [{ date: 'asc' as const }, { id: 'asc' as const }];

export function executionLoaders(prisma: PrismaClient) {
  const costs = batched<string, CostEntryModel[]>('costs', async (assignmentIds) =>
    groupByKey(
      assignmentIds,
      await prisma.costEntry.findMany({
        where: { assignmentId: { in: [...assignmentIds] } },
        orderBy: COST_ORDER,
      }),
      (c) => c.assignmentId,
    ),
  );
  return {
    received: batched<string, ReceivedAssignmentModel | null>('receivedAssignment', async (ids) =>
      byKey(ids, await prisma.incomingAssignment.findMany({ where: { id: { in: [...ids] } } }), (a) => a.id),
    ),
    /**
     * Received assignments with their costs in one statement, for entity
     * fetches that ask for costs: the costs loader is primed, so the costs
     * field costs no second round trip.
     */
    receivedWithCosts: batched<string, ReceivedAssignmentModel | null>('receivedWithCosts', async (ids) => {
      const rows = await prisma.incomingAssignment.findMany({
        where: { id: { in: [...ids] } },
        include: { costs: { orderBy: COST_ORDER } },
        relationLoadStrategy: 'join',
      });
      return byKey(ids, rows, (a) => a.id).map((row) => {
        if (!row) return null;
        const { costs: entries, ...received } = row;
        costs.prime(row.id, entries);
        return received;
      });
    }),
    agreedItems: batched<string, ReceivedPlanItemModel[]>('agreedItems', async (assignmentIds) =>
      groupByKey(
        assignmentIds,
        await prisma.receivedPlanItem.findMany({
          where: { assignmentId: { in: [...assignmentIds] }, status: 'AGREED' },
          orderBy: [{ plannedFrom: 'asc' }, { id: 'asc' }],
        }),
        (i) => i.assignmentId,
      ),
    ),
    costs,
  };
}

export type ExecutionLoaders = ReturnType<typeof executionLoaders>;
