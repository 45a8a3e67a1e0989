// Batched loading: every entity fetch and nested field resolves with one SQL
// statement per batch, however many assignments the gateway asks about.
import DataLoader from 'dataloader';
import { inSpan, SpanKind } from '../schema/contract/telemetry';
import { disclosureState, type DisclosureState } from './agreement/disclosure';
import { stockholmDay } from './clock';
import type { Prisma, PrismaClient } from './db/generated/client';
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

/**
 * A DataLoader whose every batch is one span of the request's trace, naming
 * the entity and the batch size; never keys, parameters or rows.
 */
function batched<K, V>(entity: string, load: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  return new DataLoader<K, V>((keys) =>
    inSpan(
      `load ${entity}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': 'postgresql', entity, 'db.operation.batch.size': keys.length },
      },
      () => load(keys),
    ),
  );
}

/** A plan version's items, in the order every reader shows them. */
const PLAN_ITEMS = { orderBy: [{ plannedFrom: 'asc' as const }, { id: 'asc' as const }] };

/** The newest plan version with its items, as an include of an assignment read. */
const CURRENT_PLAN = { orderBy: { version: 'desc' as const }, take: 1, include: { items: PLAN_ITEMS } };

/**
 * What an assignment read brings along in the same statement, when the
 * request's selection will ask for it: the current plan, and the disclosure
 * bases a cross-municipal answer is checked against.
 */
export interface ReadAhead {
  plan: boolean;
  disclosure: boolean;
}

const BASES = { select: { disclosureBases: true } } as const;
const PLAN_AND_BASES = { plans: CURRENT_PLAN, case: BASES } satisfies Prisma.AssignmentInclude;
const PLAN_ONLY = { plans: CURRENT_PLAN } satisfies Prisma.AssignmentInclude;
const BASES_ONLY = { case: BASES } satisfies Prisma.AssignmentInclude;

/** An assignment row with whatever a read-ahead brought along. */
type AssignmentReadAhead = AssignmentModel & {
  plans?: PlanSummaryModel[];
  case?: { disclosureBases: DisclosureBasisModel[] };
};

/** Which rows, in which order: the part of a read that does not depend on the read-ahead. */
export type AssignmentQuery = Pick<Prisma.AssignmentFindManyArgs, 'where' | 'orderBy' | 'take'>;

export function createLoaders(prisma: PrismaClient, now: Date = new Date()) {
  const today = stockholmDay(now);
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
  const assignment = batched<string, AssignmentModel | null>('assignment', async (ids) =>
    byKey(ids, await prisma.assignment.findMany({ where: { id: { in: [...ids] } } }), (a) => a.id),
  );
  const currentPlan = batched<string, PlanSummaryModel | null>('currentPlan', async (assignmentIds) => {
    const versions = await prisma.planVersion.findMany({
      where: { assignmentId: { in: [...assignmentIds] } },
      include: { items: PLAN_ITEMS },
      orderBy: [{ assignmentId: 'asc' }, { version: 'desc' }],
      relationLoadStrategy: 'join',
    });
    return groupByKey(assignmentIds, versions, (v) => v.assignmentId).map((list) => list[0] ?? null);
  });
  const disclosure = batched<string, DisclosureState>('disclosure', async (assignmentIds) => {
    const rows = await prisma.assignment.findMany({
      where: { id: { in: [...assignmentIds] } },
      select: { id: true, receivingMunicipality: true, case: { select: { disclosureBases: true } } },
      relationLoadStrategy: 'join',
    });
    return byKey(assignmentIds, rows, (r) => r.id).map((row) =>
      row
        ? disclosureState(row.case.disclosureBases, row.receivingMunicipality, today)
        : { basisInForce: false, lapse: 'MISSING' },
    );
  });

  /** Primes the loaders with what assignment rows brought along; returns the bare rows. */
  const primeAssignments = (rows: AssignmentReadAhead[]): AssignmentModel[] =>
    rows.map(({ plans, case: held, ...row }) => {
      assignment.prime(row.id, row);
      if (plans) currentPlan.prime(row.id, plans[0] ?? null);
      if (held)
        disclosure.prime(row.id, disclosureState(held.disclosureBases, row.receivingMunicipality, today));
      return row;
    });

  /** Assignment rows with, in the same statement, what `ahead` names; the loaders are primed with it. */
  const findAssignments = async (query: AssignmentQuery, ahead: ReadAhead): Promise<AssignmentModel[]> => {
    const join = { relationLoadStrategy: 'join' } as const;
    const rows: AssignmentReadAhead[] =
      ahead.plan && ahead.disclosure
        ? await prisma.assignment.findMany({ ...query, ...join, include: PLAN_AND_BASES })
        : ahead.plan
          ? await prisma.assignment.findMany({ ...query, ...join, include: PLAN_ONLY })
          : ahead.disclosure
            ? await prisma.assignment.findMany({ ...query, ...join, include: BASES_ONLY })
            : await prisma.assignment.findMany(query);
    return primeAssignments(rows);
  };

  // Assignments by id with what the request's selection will ask for, one loader per kind of read-ahead.
  const aheadLoaders = new Map<string, DataLoader<string, AssignmentModel | null>>();
  const assignmentWith = (ahead: ReadAhead) => {
    if (!ahead.plan && !ahead.disclosure) return assignment;
    const key = `${ahead.plan}:${ahead.disclosure}`;
    let loader = aheadLoaders.get(key);
    if (!loader) {
      loader = batched<string, AssignmentModel | null>('assignment', async (ids) =>
        byKey(ids, await findAssignments({ where: { id: { in: [...ids] } } }, ahead), (a) => a.id),
      );
      aheadLoaders.set(key, loader);
    }
    return loader;
  };

  return {
    assignment,
    assignmentWith,
    findAssignments,
    /** The newest plan version of each assignment, with its items. */
    currentPlan,
    /** Every plan version of each assignment, newest first. */
    planHistory: batched<string, PlanSummaryModel[]>('planHistory', async (assignmentIds) =>
      groupByKey(
        assignmentIds,
        await prisma.planVersion.findMany({
          where: { assignmentId: { in: [...assignmentIds] } },
          include: { items: PLAN_ITEMS },
          orderBy: [{ assignmentId: 'asc' }, { version: 'desc' }],
          relationLoadStrategy: 'join',
        }),
        (v) => v.assignmentId,
      ),
    ),
    followUps: batched<string, FollowUpModel[]>('followUps', async (assignmentIds) =>
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
    childrenAlert: batched<string, ChildrenAlertModel | null>('childrenAlert', async (assignmentIds) =>
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
    disclosure,
    // The internal API's case record: one statement per list, however many cases.
    unit: batched<string, UnitModel | null>('unit', async (ids) =>
      byKey(ids, await prisma.unit.findMany({ where: { id: { in: [...ids] } } }), (u) => u.id),
    ),
    disclosureBases: batched<string, DisclosureBasisModel[]>('disclosureBases', async (caseIds) =>
      groupByKey(
        caseIds,
        await prisma.disclosureBasis.findMany({
          where: { caseId: { in: [...caseIds] } },
          orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }],
        }),
        (b) => b.caseId,
      ),
    ),
    policeConsultations: batched<string, PoliceConsultationModel[]>('policeConsultations', async (caseIds) =>
      groupByKey(
        caseIds,
        await prisma.policeConsultation.findMany({
          where: { caseId: { in: [...caseIds] } },
          orderBy: [{ date: 'asc' }, { recordedAt: 'asc' }, { id: 'asc' }],
        }),
        (c) => c.caseId,
      ),
    ),
    notes: batched<string, JournalNoteModel[]>('notes', async (caseIds) =>
      groupByKey(
        caseIds,
        await prisma.journalNote.findMany({
          where: { caseId: { in: [...caseIds] } },
          orderBy: [{ writtenAt: 'desc' }, { id: 'desc' }],
        }),
        (n) => n.caseId,
      ),
    ),
    caseAssignments: batched<string, AssignmentModel[]>('caseAssignments', async (caseIds) =>
      groupByKey(
        caseIds,
        await prisma.assignment.findMany({
          where: { caseId: { in: [...caseIds] } },
          orderBy: { updatedAt: 'desc' },
        }),
        (a) => a.caseId,
      ),
    ),
    receivedAssignment: batched<string, ReceivedAssignmentModel | null>('receivedAssignment', async (ids) =>
      byKey(ids, await prisma.incomingAssignment.findMany({ where: { id: { in: [...ids] } } }), (a) => a.id),
    ),
    agreedItems: batched<string, AgreedPlanItemModel[]>('agreedItems', async (assignmentIds) =>
      groupByKey(
        assignmentIds,
        await prisma.agreedPlanItem.findMany({
          where: { assignmentId: { in: [...assignmentIds] }, current: true },
          orderBy: [{ plannedFrom: 'asc' }, { id: 'asc' }],
        }),
        (i) => i.assignmentId,
      ),
    ),
    costs,
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
  };
}

const COST_ORDER = [{ date: 'asc' as const }, { id: 'asc' as const }];

export type Loaders = ReturnType<typeof createLoaders>;
