import { badUserInput } from '../../../schema/contract/errors';
import { parseId } from '../../../schema/contract/ids';
import { costTotals, money } from '../../../schema/contract/money';
import type { Resolvers } from '../../generated/execution';
import { isParty } from '../../../schema/contract/parties';
import { GENESIS_HASH } from '../../audit/chain';
import type { CityContext } from '../../context';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../../../schema/contract/scalars';
import { balanceRow, evaluationRows } from './figures';
import { executionMutations } from './mutations';
import { reconciliationOf } from './reconciliation';
import { selectsField } from '../../selection';
import type { ReceivedAssignmentModel } from './models';

/** This city's side of an assignment it received, if the caller is a party. */
async function visibleReceived(
  ctx: CityContext,
  id: string,
  { withCosts = false } = {},
): Promise<ReceivedAssignmentModel | null> {
  const parsed = parseId(id, 'asg');
  if (!parsed || parsed.receiving !== ctx.city.code) return null;
  const loader = withCosts ? ctx.loaders.execution.receivedWithCosts : ctx.loaders.execution.received;
  const received = await loader.load(id);
  if (!received || !isParty(ctx.principal.municipality, received)) return null;
  ctx.disclosed.add(id);
  return received;
}

export const executionResolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  Query: {
    interventionOffer: (_, { municipality }, ctx) => {
      if (municipality !== ctx.city.code) {
        throw badUserInput(`Municipality ${ctx.city.code} cannot answer for ${municipality}`, {
          argument: 'municipality',
        });
      }
      return ctx.city.offers.map((offer) => ({ ...offer, unitPrice: money(offer.unitPrice) }));
    },
    reconciliation: (_, { between, period, agreement }, ctx) =>
      reconciliationOf(ctx, between, period, agreement),
    networkBalance: async (_, __, ctx) => [await balanceRow(ctx)],
    evaluationReport: (_, { agreement }, ctx) => evaluationRows(ctx, agreement) as never,
    disclosureLogAnchor: async (_, { municipality }, ctx) => {
      if (municipality !== ctx.city.code) {
        throw badUserInput(`Municipality ${ctx.city.code} cannot answer for ${municipality}`, {
          argument: 'municipality',
        });
      }
      const last = await ctx.db.prisma.disclosureLogEntry.findFirst({ orderBy: { sequence: 'desc' } });
      return {
        municipality,
        sequence: last?.sequence ?? 0,
        hash: last?.hash ?? GENESIS_HASH,
        at: last?.at ?? null,
      };
    },
  },
  Mutation: executionMutations,
  Assignment: {
    __resolveReference: (ref, ctx, info) =>
      visibleReceived(ctx, ref.id, { withCosts: selectsField(info, 'Assignment', 'costs') }),
    costs: async (assignment, _, ctx) => {
      const entries = await ctx.loaders.execution.costs.load(assignment.id);
      return { ...costTotals(entries.map((e) => ({ gross: e.amount, reimbursed: e.reimbursed }))), entries };
    },
    response: (assignment) =>
      assignment.response && assignment.respondedAt
        ? {
            decision: assignment.response,
            declineReason: assignment.declineReason,
            respondedAt: assignment.respondedAt,
          }
        : null,
    deliveries: (assignment, _, ctx) => ctx.loaders.execution.agreedItems.load(assignment.id),
    receivingUnit: (assignment, _, ctx) => {
      const unit = ctx.city.units.find((u) => u.id === assignment.handlingUnitId);
      return unit ? { id: unit.id, name: unit.name } : null;
    },
    pendingAtHome: (assignment, _, ctx) => ctx.loaders.pending.load(assignment.id),
  },
  PlanItemDelivery: {
    planItemId: (item) => item.id,
    status: (item) => item.deliveryStatus,
    updatedAt: (item) => item.deliveryUpdatedAt,
  },
  CostEntry: {
    amount: (entry) => money(entry.amount),
    reimbursed: (entry) => money(entry.reimbursed),
  },
};
