// Batched loading: every entity fetch and nested field resolves with one SQL
// statement per batch, however many assignments the gateway asks about.
import DataLoader from 'dataloader';
import { disclosureState, type DisclosureState } from './agreement/disclosure';
import { stockholmDay } from './clock';
import type { PrismaClient } from './db/generated/client';
import type {
  AssignmentModel,
  ChildrenAlertModel,
  FollowUpModel,
  PlanSummaryModel,
} from './roles/casework/models';
import type { AgreedPlanItemModel, CostEntryModel, ReceivedAssignmentModel } from './roles/execution/models';
import type {
  DisclosureBasisModel,
  JournalNoteModel,
  PoliceConsultationModel,
  UnitModel,
} from './internal/models';

function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const found = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => found.get(key) ?? null);
}

function groupByKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

export function createLoaders(prisma: PrismaClient, now: Date = new Date()) {
  return {
    assignment: new DataLoader<string, AssignmentModel | null>(async (ids) =>
      byKey(ids, await prisma.assignment.findMany({ where: { id: { in: [...ids] } } }), (a) => a.id),
    ),
    /** The newest plan version of each assignment, with its items. */
    currentPlan: new DataLoader<string, PlanSummaryModel | null>(async (assignmentIds) => {
      const versions = await prisma.planVersion.findMany({
        where: { assignmentId: { in: [...assignmentIds] } },
        include: { items: { orderBy: [{ plannedFrom: 'asc' }, { id: 'asc' }] } },
        orderBy: [{ assignmentId: 'asc' }, { version: 'desc' }],
        relationLoadStrategy: 'join',
      });
      return groupByKey(assignmentIds, versions, (v) => v.assignmentId).map((list) => list[0] ?? null);
    }),
    /** Every plan version of each assignment, newest first. */
    planHistory: new DataLoader<string, PlanSummaryModel[]>(async (assignmentIds) =>
      groupByKey(
        assignmentIds,
        await prisma.planVersion.findMany({
          where: { assignmentId: { in: [...assignmentIds] } },
          include: { items: { orderBy: [{ plannedFrom: 'asc' }, { id: 'asc' }] } },
          orderBy: [{ assignmentId: 'asc' }, { version: 'desc' }],
          relationLoadStrategy: 'join',
        }),
        (v) => v.assignmentId,
      ),
    ),
    followUps: new DataLoader<string, FollowUpModel[]>(async (assignmentIds) =>
      groupByKey(
        assignmentIds,
        await prisma.followUp.findMany({
          where: { assignmentId: { in: [...assignmentIds] } },
          orderBy: [{ scheduledFor: 'asc' }, { id: 'asc' }],
        }),
        (f) => f.assignmentId,
      ),
    ),
    /** The newest children alert of each assignment. */
    childrenAlert: new DataLoader<string, ChildrenAlertModel | null>(async (assignmentIds) =>
      groupByKey(
        assignmentIds,
        await prisma.childrenAlert.findMany({
          where: { assignmentId: { in: [...assignmentIds] } },
          orderBy: [{ raisedAt: 'desc' }],
        }),
        (a) => a.assignmentId,
      ).map((alerts) => alerts[0] ?? null),
    ),
    /** Rule 4: whether the home city may disclose each assignment's details to its receiving city, today. */
    disclosure: new DataLoader<string, DisclosureState>(async (assignmentIds) => {
      const rows = await prisma.assignment.findMany({
        where: { id: { in: [...assignmentIds] } },
        select: { id: true, receivingMunicipality: true, case: { select: { disclosureBases: true } } },
        relationLoadStrategy: 'join',
      });
      const today = stockholmDay(now);
      return byKey(assignmentIds, rows, (r) => r.id).map((row) =>
        row
          ? disclosureState(row.case.disclosureBases, row.receivingMunicipality, today)
          : { basisInForce: false, lapse: 'MISSING' },
      );
    }),
    // The internal API's case record: one statement per list, however many cases.
    unit: new DataLoader<string, UnitModel | null>(async (ids) =>
      byKey(ids, await prisma.unit.findMany({ where: { id: { in: [...ids] } } }), (u) => u.id),
    ),
    disclosureBases: new DataLoader<string, DisclosureBasisModel[]>(async (caseIds) =>
      groupByKey(
        caseIds,
        await prisma.disclosureBasis.findMany({
          where: { caseId: { in: [...caseIds] } },
          orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }],
        }),
        (b) => b.caseId,
      ),
    ),
    policeConsultations: new DataLoader<string, PoliceConsultationModel[]>(async (caseIds) =>
      groupByKey(
        caseIds,
        await prisma.policeConsultation.findMany({
          where: { caseId: { in: [...caseIds] } },
          orderBy: [{ date: 'asc' }, { recordedAt: 'asc' }, { id: 'asc' }],
        }),
        (c) => c.caseId,
      ),
    ),
    notes: new DataLoader<string, JournalNoteModel[]>(async (caseIds) =>
      groupByKey(
        caseIds,
        await prisma.journalNote.findMany({
          where: { caseId: { in: [...caseIds] } },
          orderBy: [{ writtenAt: 'desc' }, { id: 'desc' }],
        }),
        (n) => n.caseId,
      ),
    ),
    caseAssignments: new DataLoader<string, AssignmentModel[]>(async (caseIds) =>
      groupByKey(
        caseIds,
        await prisma.assignment.findMany({
          where: { caseId: { in: [...caseIds] } },
          orderBy: { updatedAt: 'desc' },
        }),
        (a) => a.caseId,
      ),
    ),
    receivedAssignment: new DataLoader<string, ReceivedAssignmentModel | null>(async (ids) =>
      byKey(ids, await prisma.incomingAssignment.findMany({ where: { id: { in: [...ids] } } }), (a) => a.id),
    ),
    agreedItems: new DataLoader<string, AgreedPlanItemModel[]>(async (assignmentIds) =>
      groupByKey(
        assignmentIds,
        await prisma.agreedPlanItem.findMany({
          where: { assignmentId: { in: [...assignmentIds] }, current: true },
          orderBy: [{ plannedFrom: 'asc' }, { id: 'asc' }],
        }),
        (i) => i.assignmentId,
      ),
    ),
    costs: new DataLoader<string, CostEntryModel[]>(async (assignmentIds) =>
      groupByKey(
        assignmentIds,
        await prisma.costEntry.findMany({
          where: { assignmentId: { in: [...assignmentIds] } },
          orderBy: [{ date: 'asc' }, { id: 'asc' }],
        }),
        (c) => c.assignmentId,
      ),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
