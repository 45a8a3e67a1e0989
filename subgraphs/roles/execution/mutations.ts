// The receiving municipality's side of the workflow: its answer, its
// consultation answer on the plan, its own handling unit, deliveries, costs
// and reimbursements, and a request to end. Every change is written here with
// the message the home city must get, in one transaction (the outbox): what
// the home city owns (the status, the plan) it changes itself on that message.
import { badUserInput, notFound } from '../../../schema/contract/errors';
import { parseId } from '../../../schema/contract/ids';
import { isParty } from '../../../schema/contract/parties';
import { enforce, requireParty } from '../../agreement/enforce';
import {
  agreementEnded,
  beyondQuota,
  checkCost,
  checkDelivery,
  checkIdempotentRetry,
  checkPlanConsultation,
  checkReimbursement,
  checkRequestTermination,
  checkRespond,
  periodOf,
} from '../../agreement/rules';
import { dateColumn, dayOf, stockholmDay } from '../../clock';
import { changeScopeOf } from '../../context';
import { lockFor } from '../../db/advisoryLock';
import { Prisma } from '../../db/generated/client';
import type { MutationResolvers } from '../../generated/execution';
import { commitAndTell } from '../../peer/outbox';
import type { CostMessage } from '../../peer/protocol';
import type { CostEntryModel } from './models';
import { receivedHere } from './received';
import { countReceivedAgainstQuota } from './quota';
import { confirmReconciliation, declineReconciliation, periodSettled } from './reconciliation';

const costMessage = (entry: CostEntryModel): CostMessage => ({
  costId: entry.id,
  planItemId: entry.planItemId,
  category: entry.category,
  date: dayOf(entry.date),
  gross: entry.amount.toFixed(2),
  reimbursed: entry.reimbursed.toFixed(2),
  reimbursementSource: entry.reimbursementSource,
});

export const executionMutations: MutationResolvers = {
  respondToAssignment: async (_, { id, decision, declineReason, note, beyondAimReason }, ctx) => {
    const received = await receivedHere(ctx, id);
    requireParty(ctx.principal.municipality, received, 'receiving', 'Answering the assignment');
    if (decision === 'DECLINE' && !declineReason)
      throw badUserInput('Declining needs a declineReason', { argument: 'declineReason' });
    const today = stockholmDay(ctx.now);
    // The quota and term of the agreement the assignment was proposed under.
    const agreement = ctx.agreements.find((a) => a.id === received.agreementId) ?? null;
    const reason = beyondAimReason?.trim() || null;
    return commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
      // Serialised per city, so two answers cannot both take the last place.
      await lockFor(tx, `receiving-quota:${ctx.city.code}`);
      const current = await receivedHere(ctx, id, 'id', tx);
      const used = agreement ? await countReceivedAgainstQuota(tx, agreement.id) : 0;
      const quota = agreement && {
        quota: agreement.receivingQuota,
        municipality: ctx.city.code,
        used,
        beyondAimReason: reason,
      };
      enforce(
        checkRespond({
          status: current.status,
          alreadyResponded: current.response !== null,
          decision,
          agreementEnded: agreement ? agreementEnded(agreement, today) : false,
          quota,
        }),
        'Answering the assignment',
      );
      const updated = await tx.incomingAssignment.update({
        where: { id },
        data: {
          response: decision,
          declineReason: decision === 'DECLINE' ? declineReason : null,
          responseNote: note?.trim() || null,
          beyondAimReason: decision === 'ACCEPT' && quota && beyondQuota(quota) ? reason : null,
          respondedAt: ctx.now,
          updatedAt: ctx.now,
        },
      });
      tell({
        to: current.homeMunicipality,
        message: {
          kind: 'responseGiven',
          assignmentId: id,
          decision,
          declineReason: decision === 'DECLINE' ? declineReason! : null,
          respondedAt: ctx.now.toISOString(),
        },
      });
      return updated;
    });
  },

  consultPlan: async (_, { assignmentId, version, answers }, ctx) => {
    const received = await receivedHere(ctx, assignmentId, 'assignmentId');
    requireParty(ctx.principal.municipality, received, 'receiving', 'Answering the consultation');
    return commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
      await lockFor(tx, `plan:${assignmentId}`);
      const current = await receivedHere(ctx, assignmentId, 'assignmentId', tx);
      const proposed = await tx.receivedPlanItem.findMany({
        where: { assignmentId, status: 'PROPOSED' },
        orderBy: { planVersion: 'desc' },
      });
      const latest = proposed[0]?.planVersion;
      const items = proposed.filter((i) => i.planVersion === latest);
      const given = answers.map((a) => ({
        itemId: a.planItemId,
        answer: a.answer,
        reason: a.reason ?? null,
      }));
      enforce(
        checkPlanConsultation({
          status: current.status,
          plan:
            latest === undefined
              ? null
              : {
                  version: latest,
                  itemIds: items.map((i) => i.id),
                  answers: items
                    .filter((i) => i.consultation !== null)
                    .map((i) => ({ itemId: i.id, answer: i.consultation!, reason: i.cannotDeliverReason })),
                },
          version,
          answers: given,
        }),
        'Answering the consultation',
      );
      for (const answer of given) {
        await tx.receivedPlanItem.update({
          where: { id: answer.itemId },
          data: { consultation: answer.answer, cannotDeliverReason: answer.reason },
        });
      }
      tell({
        to: current.homeMunicipality,
        message: { kind: 'planConsulted', assignmentId, version, answers: given },
      });
      return tx.incomingAssignment.update({ where: { id: assignmentId }, data: { updatedAt: ctx.now } });
    });
  },

  assignReceivingUnit: async (_, { assignmentId, unitId }, ctx) => {
    const received = await receivedHere(ctx, assignmentId, 'assignmentId');
    requireParty(ctx.principal.municipality, received, 'receiving', 'Assigning the handling unit');
    // Rule 12: the receiving city's own unit, one that has not merged into another.
    const unit = ctx.city.units.find((u) => u.id === unitId && !u.mergedInto);
    if (!unit)
      throw badUserInput(`${unitId} is not a current unit of ${ctx.city.code}`, { argument: 'unitId' });
    return ctx.db.prisma.incomingAssignment.update({
      where: { id: assignmentId },
      data: { handlingUnitId: unit.id, updatedAt: ctx.now },
    });
  },

  requestTermination: async (_, { assignmentId, reason }, ctx) => {
    const received = await receivedHere(ctx, assignmentId, 'assignmentId');
    requireParty(ctx.principal.municipality, received, 'receiving', 'Asking to end the assignment');
    return commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
      const current = await receivedHere(ctx, assignmentId, 'assignmentId', tx);
      enforce(
        checkRequestTermination(current.status, current.terminationRequestedAt !== null),
        'Asking to end the assignment',
      );
      tell({ to: current.homeMunicipality, message: { kind: 'terminationRequested', assignmentId, reason } });
      return tx.incomingAssignment.update({
        where: { id: assignmentId },
        data: { terminationRequestedAt: ctx.now, terminationRequestReason: reason, updatedAt: ctx.now },
      });
    });
  },

  recordDelivery: async (_, { planItemId, status }, ctx) => {
    const parsed = parseId(planItemId, 'item');
    if (!parsed || parsed.receiving !== ctx.city.code)
      throw notFound('No such plan item', { argument: 'planItemId' });
    // Items this city has agreed to at some point; one never agreed is unknown here.
    const item = await ctx.db.prisma.receivedPlanItem.findUnique({
      where: { id: planItemId },
      include: { assignment: true },
    });
    if (!item || item.status === 'PROPOSED' || !isParty(ctx.principal.municipality, item.assignment))
      throw notFound('No such item in an agreed plan', { argument: 'planItemId' });
    requireParty(ctx.principal.municipality, item.assignment, 'receiving', 'Recording delivery');
    enforce(
      checkDelivery({ status: item.assignment.status, itemAgreed: item.status === 'AGREED' }),
      'Recording delivery',
    );
    return ctx.db.prisma.receivedPlanItem.update({
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

    try {
      return await commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
        const current = await receivedHere(ctx, input.assignmentId, 'assignmentId', tx);
        const item = await tx.receivedPlanItem.findFirst({
          where: { id: input.planItemId, assignmentId: input.assignmentId, status: 'AGREED' },
        });
        enforce(
          checkCost({
            status: current.status,
            item: item && { plannedFrom: dayOf(item.plannedFrom), plannedTo: dayOf(item.plannedTo) },
            amount: input.amount,
            date: input.date,
            endedOn: current.endedOn ? dayOf(current.endedOn) : null,
          }),
          'Recording the cost',
        );
        await tx.incomingAssignment.update({
          where: { id: input.assignmentId },
          data: { updatedAt: ctx.now },
        });
        const entry = await tx.costEntry.create({
          data: {
            id: `cost:${current.homeMunicipality}:${current.receivingMunicipality}:${crypto.randomUUID()}`,
            assignmentId: input.assignmentId,
            planItemId: input.planItemId,
            category: item!.category,
            date: dateColumn(input.date),
            amount: new Prisma.Decimal(input.amount),
            description,
            idempotencyKey: key,
          },
        });
        tell({
          to: current.homeMunicipality,
          message: { kind: 'costReported', assignmentId: input.assignmentId, ...costMessage(entry) },
        });
        return entry;
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

  recordReimbursement: async (_, { costId, amount, source }, ctx) => {
    const parsed = parseId(costId, 'cost');
    const entry =
      parsed?.receiving === ctx.city.code
        ? await ctx.db.prisma.costEntry.findUnique({ where: { id: costId }, include: { assignment: true } })
        : null;
    if (!entry || !isParty(ctx.principal.municipality, entry.assignment))
      throw notFound('No such cost', { argument: 'costId' });
    requireParty(ctx.principal.municipality, entry.assignment, 'receiving', 'Recording a reimbursement');
    const agreement = ctx.agreements.find((a) => a.id === entry.assignment.agreementId);
    const period = agreement ? periodOf(agreement, dayOf(entry.date)) : null;
    return commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
      const settled =
        agreement && period
          ? await periodSettled(ctx, tx, entry.assignment.homeMunicipality, agreement, period)
          : false;
      enforce(
        checkReimbursement({ gross: entry.amount.toFixed(2), reimbursed: amount, periodSettled: settled }),
        'Recording the reimbursement',
      );
      const updated = await tx.costEntry.update({
        where: { id: costId },
        data: { reimbursed: amount, reimbursementSource: source },
      });
      tell({
        to: entry.assignment.homeMunicipality,
        message: { kind: 'costReported', assignmentId: entry.assignmentId, ...costMessage(updated) },
      });
      return updated;
    });
  },

  confirmReconciliation: (_, { between, period, agreement }, ctx) =>
    confirmReconciliation(ctx, between, period, agreement),

  declineReconciliation: (_, { between, period, agreement, reason }, ctx) =>
    declineReconciliation(ctx, between, period, reason, agreement),
};
