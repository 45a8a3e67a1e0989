// The casework role's reads: the assignments this city holds as home, their
// plans, follow-ups and children alerts, and whether each may be disclosed
// to its receiving city today. One statement per batch or list page.
import type DataLoader from 'dataloader';
import { disclosureState, type DisclosureState } from '../../agreement/disclosure';
import { stockholmDay } from '../../clock';
import { batched, byKey, groupByKey } from '../../db/batching';
import type { Prisma, PrismaClient } from '../../db/generated/client';
import type { DisclosureBasisModel } from '../../internal/models';
import type {
  AssignmentModel,
  ChildrenAlertModel,
  CostReportModel,
  FollowUpModel,
  PlanSummaryModel,
} from './models';

/** A plan version's items, in the order every reader shows them. */
const PLAN_ITEMS = { orderBy: [{ plannedFrom: 'asc' as const }, { id: 'asc' as const }] };

/** The newest plan version with its items, as an include of an assignment read. */
const CURRENT_PLAN = { orderBy: { version: 'desc' as const }, take: 1, include: { items: PLAN_ITEMS } };

/** Costs as the receiving city reported them, in the order every reader shows them. */
const COST_ORDER = { orderBy: [{ date: 'asc' as const }, { id: 'asc' as const }] };

/**
 * What an assignment read brings along in the same statement, when the
 * request's selection will ask for it: the current plan, the disclosure bases
 * a cross-municipal answer is checked against, and the reported costs.
 */
export interface ReadAhead {
  plan: boolean;
  disclosure: boolean;
  costs?: boolean;
}

const BASES = { select: { disclosureBases: true } } as const;

/** An assignment row with whatever a read-ahead brought along. */
type AssignmentReadAhead = AssignmentModel & {
  plans?: PlanSummaryModel[];
  case?: { disclosureBases: DisclosureBasisModel[] };
  costReports?: CostReportModel[];
};

/** Which rows, in which order: the part of a read that does not depend on the read-ahead. */
export type AssignmentQuery = Pick<Prisma.AssignmentFindManyArgs, 'where' | 'orderBy' | 'take'>;

export function caseworkLoaders(prisma: PrismaClient, now: Date) {
  const today = stockholmDay(now);
  const assignment = batched<string, AssignmentModel | null>('assignment', async (ids) =>
    byKey(ids, await prisma.assignment.findMany({ where: { id: { in: [...ids] } } }), (a) => a.id),
  );
  const planVersions = (assignmentIds: readonly string[]) =>
    prisma.planVersion.findMany({
      where: { assignmentId: { in: [...assignmentIds] } },
      include: { items: PLAN_ITEMS },
      orderBy: [{ assignmentId: 'asc' }, { version: 'desc' }],
      relationLoadStrategy: 'join',
    });
  const planHistory = batched<string, PlanSummaryModel[]>('planHistory', async (assignmentIds) =>
    groupByKey(assignmentIds, await planVersions(assignmentIds), (v) => v.assignmentId),
  );
  const currentPlan = batched<string, PlanSummaryModel | null>('currentPlan', async (assignmentIds) =>
    groupByKey(assignmentIds, await planVersions(assignmentIds), (v) => v.assignmentId).map(
      (versions) => versions[0] ?? null,
    ),
  );
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

  const costReports = batched<string, CostReportModel[]>('costReports', async (assignmentIds) =>
    groupByKey(
      assignmentIds,
      await prisma.costReport.findMany({
        where: { assignmentId: { in: [...assignmentIds] } },
        ...COST_ORDER,
      }),
      (c) => c.assignmentId,
    ),
  );

  /** Primes the loaders with what assignment rows brought along; returns the bare rows. */
  const primeAssignments = (rows: AssignmentReadAhead[]): AssignmentModel[] =>
    rows.map(({ plans, case: held, costReports: costs, ...row }) => {
      assignment.prime(row.id, row);
      if (plans) currentPlan.prime(row.id, plans[0] ?? null);
      if (held)
        disclosure.prime(row.id, disclosureState(held.disclosureBases, row.receivingMunicipality, today));
      if (costs) costReports.prime(row.id, costs);
      return row;
    });

  /** Assignment rows with, in the same statement, what `ahead` names; the loaders are primed with it. */
  const findAssignments = async (query: AssignmentQuery, ahead: ReadAhead): Promise<AssignmentModel[]> => {
    if (!ahead.plan && !ahead.disclosure && !ahead.costs)
      return primeAssignments(await prisma.assignment.findMany(query));
    // One include built from the flags: Prisma types each combination apart, so the
    // rows are typed here by what the include may bring (each relation optional).
    const rows = (await prisma.assignment.findMany({
      ...query,
      relationLoadStrategy: 'join',
      include: {
        plans: ahead.plan ? CURRENT_PLAN : false,
        case: ahead.disclosure ? BASES : false,
        costReports: ahead.costs ? COST_ORDER : false,
      },
    })) as unknown as AssignmentReadAhead[];
    return primeAssignments(rows);
  };

  // Assignments by id with what the request's selection will ask for, one loader per kind of read-ahead.
  const aheadLoaders = new Map<string, DataLoader<string, AssignmentModel | null>>();
  const assignmentWith = (ahead: ReadAhead) => {
    if (!ahead.plan && !ahead.disclosure && !ahead.costs) return assignment;
    const key = `${ahead.plan}:${ahead.disclosure}:${Boolean(ahead.costs)}`;
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
    assignmentWith,
    findAssignments,
    /** The newest plan version of each assignment, with its items. */
    currentPlan,
    /** Every plan version of each assignment, newest first. */
    planHistory,
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
    /** The costs the receiving city reported for each assignment. */
    costReports,
    /** The assignments of each case, newest change first (the internal API's case record). */
    ofCase: batched<string, AssignmentModel[]>('caseAssignments', async (caseIds) =>
      groupByKey(
        caseIds,
        await prisma.assignment.findMany({
          where: { caseId: { in: [...caseIds] } },
          orderBy: { updatedAt: 'desc' },
        }),
        (a) => a.caseId,
      ),
    ),
  };
}

export type CaseworkLoaders = ReturnType<typeof caseworkLoaders>;
