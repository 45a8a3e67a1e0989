import { disclosureBasisLapsed } from '../../../schema/contract/errors';
import { parseId } from '../../../schema/contract/ids';
import { costTotals, money } from '../../../schema/contract/money';
import type { Resolvers } from '../../generated/casework';
import { isParty } from '../../../schema/contract/parties';
import type { CityContext } from '../../context';
import { Prisma } from '../../db/generated/client';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../../../schema/contract/scalars';
import { isOverdue } from '../../agreement/rules';
import { dayOf, stockholmDay } from '../../clock';
import type { ReadAhead } from './loaders';
import { selectsField, selectsPath } from '../../selection';
import { listAssignments } from './assignmentList';
import { assignmentCounterparts } from './counterparts';
import { caseworkMutations } from './mutations';
import type { AssignmentModel } from './models';

/**
 * What reads of assignments bring along: the plan when the selection asks for
 * it, the disclosure bases whenever the caller is another municipality (every
 * answer to it is checked against them, and logged with them).
 */
function readAhead(ctx: CityContext, asks: { plan: boolean; costs: boolean }): ReadAhead {
  return { plan: asks.plan, costs: asks.costs, disclosure: ctx.principal.municipality !== ctx.city.code };
}

/** The assignment with this id if it is held here and the caller is a party. */
async function visibleAssignment(
  ctx: CityContext,
  id: string,
  ahead: ReadAhead,
): Promise<AssignmentModel | null> {
  const parsed = parseId(id, 'asg');
  if (!parsed || parsed.home !== ctx.city.code) return null;
  const assignment = await ctx.loaders.casework.assignmentWith(ahead).load(id);
  if (!assignment || !isParty(ctx.principal.municipality, assignment)) return null;
  ctx.disclosed.add(id);
  return assignment;
}

/**
 * Details about the person go to the receiving municipality only while the home
 * municipality has a basis in force for it (rule 4); otherwise null with
 * DISCLOSURE_BASIS_LAPSED, from the moment it is withdrawn or ends.
 */
function disclosed<T>(load: (assignment: AssignmentModel, ctx: CityContext) => Promise<T>) {
  return async (assignment: AssignmentModel, _args: unknown, ctx: CityContext): Promise<T> => {
    if (ctx.principal.municipality === assignment.homeMunicipality) return load(assignment, ctx);
    // Basis and data are read together (one round trip, not two in turn);
    // the data leaves this process only once the basis is found in force.
    const [state, value] = await Promise.all([
      ctx.loaders.casework.disclosure.load(assignment.id),
      load(assignment, ctx),
    ]);
    if (!state.basisInForce) throw disclosureBasisLapsed(state.lapse ?? 'MISSING');
    return value;
  };
}

export const caseworkResolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  Query: {
    assignments: (_, args, ctx, info) =>
      listAssignments(
        ctx,
        args,
        readAhead(ctx, {
          plan: selectsPath(info, ['edges', 'node', 'planSummary']),
          costs: selectsPath(info, ['edges', 'node', 'costs']),
        }),
      ),
    assignment: (_, { id }, ctx, info) =>
      visibleAssignment(
        ctx,
        id,
        readAhead(ctx, { plan: selectsPath(info, ['planSummary']), costs: selectsPath(info, ['costs']) }),
      ),
    assignmentCounterparts: (_, __, ctx) => assignmentCounterparts(ctx),
  },
  Mutation: caseworkMutations,
  Assignment: {
    __resolveReference: (ref, ctx, info) =>
      visibleAssignment(
        ctx,
        ref.id,
        readAhead(ctx, {
          plan: selectsField(info, 'Assignment', 'planSummary'),
          costs: selectsField(info, 'Assignment', 'costs'),
        }),
      ),
    planSummary: disclosed((assignment, ctx) => ctx.loaders.casework.currentPlan.load(assignment.id)),
    planHistory: disclosed((assignment, ctx) => ctx.loaders.casework.planHistory.load(assignment.id)),
    // Why it ended is about the person (relapse, threat, children): withheld like the plan.
    terminationReason: disclosed((assignment) =>
      Promise.resolve(assignment.status === 'TERMINATED' ? assignment.endReason : null),
    ),
    followUps: disclosed((assignment, ctx) => ctx.loaders.casework.followUps.load(assignment.id)),
    // Rule 11: child safety always goes through, whatever else has lapsed.
    childrenAlert: (assignment, _, ctx) => ctx.loaders.casework.childrenAlert.load(assignment.id),
    disclosure: (assignment, _, ctx) => ctx.loaders.casework.disclosure.load(assignment.id),
    overdue: (assignment, _, ctx) =>
      isOverdue(
        assignment.status,
        assignment.answerDueOn ? dayOf(assignment.answerDueOn) : null,
        stockholmDay(ctx.now),
      ),
    terminationRequest: (assignment) =>
      assignment.terminationRequestedAt && assignment.terminationRequestReason
        ? { requestedAt: assignment.terminationRequestedAt, reason: assignment.terminationRequestReason }
        : null,
    pendingAtReceiving: (assignment, _, ctx) => ctx.loaders.pending.load(assignment.id),
    costs: async (assignment, _, ctx) => {
      const entries = await ctx.loaders.casework.costReports.load(assignment.id);
      return { ...costTotals(entries), entries };
    },
  },
  CostEntry: {
    amount: (entry) => money(entry.gross),
    reimbursed: (entry) => money(entry.reimbursed),
  },
  FollowUp: {
    receivingConfirmed: (followUp) => Boolean(followUp.receivingConfirmedAt),
    completed: (followUp) => Boolean(followUp.completedAt),
  },
  ChildrenAlert: {
    raisedAt: (alert) => alert.raisedAt,
    acknowledgedByHome: (alert) => Boolean(alert.acknowledgedByHomeAt),
    acknowledgedByReceiving: (alert) => Boolean(alert.acknowledgedByReceivingAt),
  },
  PlanSummary: {
    estimatedTotal: (plan) =>
      money(plan.items.reduce((sum, item) => sum.plus(item.estimatedCost), new Prisma.Decimal(0))),
  },
  PlanItem: {
    extent: (item) => ({ quantity: item.extentQuantity, unit: item.extentUnit }),
    estimatedCost: (item) => money(item.estimatedCost),
  },
};
