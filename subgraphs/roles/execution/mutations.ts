// The receiving municipality's side of the workflow: its answer, the plan it
// agrees, deliveries and costs. Writes are local; what the home city owns
// (the status, the plan) is changed by the home city on this city's word,
// and this city's write is undone when the home city refuses.
import { badUserInput, notFound } from '../../../schema/contract/errors';
import { parseId } from '../../../schema/contract/ids';
import type { MutationResolvers } from '../../../schema/generated/execution';
import { enforce, requireParty } from '../../agreement/enforce';
import {
  agreementInForce,
  checkCost,
  checkDelivery,
  checkIdempotentRetry,
  checkPlanConfirmation,
  checkRespond,
} from '../../agreement/rules';
import { dateColumn, dayOf, stockholmDay } from '../../clock';
import type { CityContext } from '../../context';
import { Prisma, type InterventionCategory } from '../../db/generated/client';
import { lockFor } from '../../db/locks';
import { callPeer } from '../../peer/call';
import type { PlanConfirmedResult } from '../../peer/protocol';
import { confirmReconciliation } from './reconciliation';
import type { ReceivedAssignmentModel } from './models';

/** An assignment this city received, or NOT_FOUND. */
async function receivedHere(ctx: CityContext, id: string, argument = 'id'): Promise<ReceivedAssignmentModel> {
  const parsed = parseId(id, 'asg');
  const found =
    parsed?.receiving === ctx.city.code
      ? await ctx.db.prisma.incomingAssignment.findUnique({ where: { id } })
      : null;
  if (!found) throw notFound('No such assignment', { argument });
  ctx.disclosed.add(id);
  return found;
}

export const executionMutations: MutationResolvers = {
  respondToAssignment: async (_, { id, decision, reason }, ctx) => {
    const received = await receivedHere(ctx, id);
    requireParty(ctx.principal.municipality, received, 'receiving', 'Answering the assignment');
    const today = stockholmDay(ctx.now);
    // The quota of the agreement the assignment was proposed under.
    const agreement =
      ctx.agreements.find((a) => a.id === received.agreementId) ??
      agreementInForce(ctx.agreements, received.homeMunicipality, received.receivingMunicipality, today);
    // Reserve the answer (and a place in the quota) first, so two answers cannot both win.
    await ctx.db.prisma.$transaction(async (tx) => {
      await lockFor(tx, `receiving-quota:${ctx.city.code}`);
      const current = await tx.incomingAssignment.findUniqueOrThrow({ where: { id } });
      const acceptedInTerm = agreement
        ? await tx.incomingAssignment.count({
            where: {
              response: 'ACCEPT',
              status: { notIn: ['WITHDRAWN', 'DECLINED'] },
              agreementId: agreement.id,
            },
          })
        : 0;
      enforce(
        checkRespond(
          current.status,
          current.response !== null,
          decision,
          acceptedInTerm,
          agreement?.receivingQuota ?? 0,
        ),
        'Answering the assignment',
      );
      await tx.incomingAssignment.update({
        where: { id },
        data: {
          response: decision,
          responseReason: reason?.trim() || null,
          respondedAt: ctx.now,
          updatedAt: ctx.now,
        },
      });
    });
    try {
      await callPeer(ctx, received.homeMunicipality, {
        kind: 'responseGiven',
        assignmentId: id,
        decision,
        respondedAt: ctx.now.toISOString(),
      });
    } catch (error) {
      await ctx.db.prisma.incomingAssignment.update({
        where: { id },
        data: { response: null, responseReason: null, respondedAt: null, updatedAt: received.updatedAt },
      });
      throw error;
    }
    return ctx.db.prisma.incomingAssignment.update({
      where: { id },
      data: { status: decision === 'ACCEPT' ? 'ACCEPTED' : 'DECLINED' },
    });
  },

  confirmPlan: async (_, { assignmentId }, ctx) => {
    const received = await receivedHere(ctx, assignmentId, 'assignmentId');
    requireParty(ctx.principal.municipality, received, 'receiving', 'Confirming the plan');
    // Whether a plan is proposed is the home city's knowledge: it answers NO_PROPOSED_PLAN.
    enforce(checkPlanConfirmation(received.status, true), 'Confirming the plan');
    const { status, items } = await callPeer<PlanConfirmedResult>(ctx, received.homeMunicipality, {
      kind: 'planConfirmed',
      assignmentId,
      confirmedAt: ctx.now.toISOString(),
    });
    return ctx.db.prisma.$transaction(async (tx) => {
      await tx.agreedPlanItem.updateMany({ where: { assignmentId }, data: { current: false } });
      for (const item of items) {
        const data = {
          assignmentId,
          planVersion: item.planVersion,
          category: item.category as InterventionCategory,
          plannedFrom: dateColumn(item.plannedFrom),
          plannedTo: dateColumn(item.plannedTo),
          estimatedCost: item.estimatedCost,
          current: true,
        };
        await tx.agreedPlanItem.upsert({
          where: { id: item.id },
          create: { id: item.id, ...data },
          update: data,
        });
      }
      return tx.incomingAssignment.update({
        where: { id: assignmentId },
        data: { status, updatedAt: ctx.now },
      });
    });
  },

  recordDelivery: async (_, { planItemId, status }, ctx) => {
    const parsed = parseId(planItemId, 'item');
    if (!parsed || parsed.receiving !== ctx.city.code)
      throw notFound('No such plan item', { argument: 'planItemId' });
    // Items this city has agreed to at some point; one never agreed is unknown here.
    const item = await ctx.db.prisma.agreedPlanItem.findUnique({
      where: { id: planItemId },
      include: { assignment: true },
    });
    if (!item) throw notFound('No such item in an agreed plan', { argument: 'planItemId' });
    const { assignment } = item;
    requireParty(ctx.principal.municipality, assignment, 'receiving', 'Recording delivery');
    enforce(checkDelivery({ status: assignment.status, itemAgreed: item.current }), 'Recording delivery');
    return ctx.db.prisma.agreedPlanItem.update({
      where: { id: planItemId },
      data: { deliveryStatus: status, deliveryUpdatedAt: ctx.now },
    });
  },

  recordCost: async (_, { input }, ctx) => {
    const received = await receivedHere(ctx, input.assignmentId, 'assignmentId');
    requireParty(ctx.principal.municipality, received, 'receiving', 'Recording a cost');
    const key = input.idempotencyKey.trim();
    if (!key || key.length > 200)
      throw badUserInput('idempotencyKey must be 1-200 characters', { field: 'idempotencyKey' });
    const description = input.description.trim();
    if (!description) throw badUserInput('A description is required', { field: 'description' });
    const payload = { planItemId: input.planItemId, date: input.date, amount: input.amount, description };

    const previous = async () => {
      const existing = await ctx.db.prisma.costEntry.findUnique({
        where: { assignmentId_idempotencyKey: { assignmentId: input.assignmentId, idempotencyKey: key } },
      });
      if (!existing) return null;
      enforce(
        checkIdempotentRetry(
          {
            planItemId: existing.planItemId,
            date: dayOf(existing.date),
            amount: existing.amount.toFixed(2),
            description: existing.description,
          },
          payload,
        ),
        'Recording the cost',
      );
      return existing;
    };
    const retried = await previous();
    if (retried) return retried;

    const item = await ctx.db.prisma.agreedPlanItem.findFirst({
      where: { id: input.planItemId, assignmentId: input.assignmentId, current: true },
    });
    enforce(
      checkCost({
        status: received.status,
        item: item && { plannedFrom: dayOf(item.plannedFrom), plannedTo: dayOf(item.plannedTo) },
        amount: input.amount,
        date: input.date,
        endedOn: received.endedOn ? dayOf(received.endedOn) : null,
      }),
      'Recording the cost',
    );
    try {
      return await ctx.db.prisma.$transaction(async (tx) => {
        await tx.incomingAssignment.update({
          where: { id: input.assignmentId },
          data: { updatedAt: ctx.now },
        });
        return tx.costEntry.create({
          data: {
            id: `cost:${received.homeMunicipality}:${received.receivingMunicipality}:${crypto.randomUUID()}`,
            assignmentId: input.assignmentId,
            planItemId: input.planItemId,
            category: item!.category,
            date: dateColumn(input.date),
            amount: new Prisma.Decimal(input.amount),
            description,
            idempotencyKey: key,
          },
        });
      });
    } catch (error) {
      // The same key raced in from a concurrent retry: answer with the booking that won.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const winner = await previous();
        if (winner) return winner;
      }
      throw error;
    }
  },

  confirmReconciliation: (_, { between, period, agreement }, ctx) =>
    confirmReconciliation(ctx, between, period, agreement),
};
