// What the home city applies when the receiving city reports its facts: its
// answer, its consultation answer, the costs it bore, a request to end, a
// children alert. Each is checked with the rules the receiving city used,
// on this city's clock, against this city's own record of the assignment.
import { ErrorCode } from '../../../schema/contract/errors';
import { parseId } from '../../../schema/contract/ids';
import {
  agreementEnded,
  checkApplyResponse,
  checkCost,
  checkPlanConsultation,
  checkReceivedChildrenAlert,
  checkReimbursement,
  checkRequestTermination,
  checkRespond,
  periodOf,
  statusAfter,
} from '../../agreement/rules';
import { dateColumn, dayOf, stockholmDay } from '../../clock';
import { lockFor } from '../../db/advisoryLock';
import type { Prisma } from '../../db/generated/client';
import {
  applyWith,
  MessageRefused,
  refuse,
  refuseUnless,
  type ApplyContext,
  type ChangeHandlers,
} from '../../peer/apply';
import type { ChangeMessage, CostMessage } from '../../peer/protocol';
import { OPEN_ALERT } from '../execution/alerts';
import { settledHereLocked } from '../execution/reconciliation';

type Tx = Prisma.TransactionClient;
type Message<K extends ChangeMessage['kind']> = Extract<ChangeMessage, { kind: K }>;

/** The assignment this city sent, or a NOT_FOUND refusal. */
async function sentHere(tx: Tx, assignmentId: string) {
  const assignment = await tx.assignment.findUnique({ where: { id: assignmentId } });
  return assignment ?? refuse(ErrorCode.NOT_FOUND, 'No such assignment here');
}

/** The plan version awaiting consultation or decision, with its items. */
export async function proposedPlan(tx: Tx, assignmentId: string) {
  return tx.planVersion.findFirst({
    where: { assignmentId, status: 'PROPOSED' },
    orderBy: { version: 'desc' },
    include: { items: { orderBy: [{ plannedFrom: 'asc' }, { id: 'asc' }] } },
  });
}

async function applyResponse(tx: Tx, ctx: ApplyContext, message: Message<'responseGiven'>) {
  // The lock the home city's own status changes take: a withdrawal committed at
  // the same moment is seen here, and refuses the answer, instead of both
  // passing their checks on PROPOSED and the later write undoing the other.
  await lockFor(tx, `assignment:${message.assignmentId}`);
  const assignment = await sentHere(tx, message.assignmentId);
  const target = statusAfter('PROPOSED', message.decision);
  // The same answer again (a repair) changes nothing.
  if (assignment.status === target && assignment.respondedAt) return;
  const agreement = ctx.agreements.find((a) => a.id === assignment.agreementId);
  refuseUnless(
    [
      ...checkApplyResponse(assignment.status),
      ...checkRespond({
        status: assignment.status,
        alreadyResponded: false,
        decision: message.decision,
        agreementEnded: agreement ? agreementEnded(agreement, ctx.today) : false,
        // The receiving city keeps its own count; it alone can judge its quota.
        quota: null,
      }).filter((v) => v.rule !== 'ASSIGNMENT_NOT_PROPOSED'),
    ],
    'The answer',
  );
  await tx.assignment.update({
    where: { id: assignment.id },
    data: {
      status: target,
      respondedAt: ctx.now,
      respondedAtClaimed: new Date(message.respondedAt),
      declineReason: message.decision === 'DECLINE' ? message.declineReason : null,
      updatedAt: ctx.now,
    },
  });
  // The status is this city's: the receiving city learns it took effect.
  ctx.tell({
    to: assignment.receivingMunicipality,
    message: {
      kind: 'statusChanged',
      assignmentId: assignment.id,
      event: message.decision,
      terminationReason: null,
      withheld: null,
      changedAt: ctx.now.toISOString(),
    },
  });
}

async function applyConsultation(tx: Tx, ctx: ApplyContext, message: Message<'planConsulted'>) {
  const assignment = await sentHere(tx, message.assignmentId);
  const plan = await proposedPlan(tx, assignment.id);
  const answered = plan?.items.filter((i) => i.consultation !== null) ?? [];
  // The same answer again changes nothing.
  if (plan && plan.version === message.version && answered.length === plan.items.length) {
    const same = message.answers.every((a) =>
      plan.items.some((i) => i.id === a.itemId && i.consultation === a.answer),
    );
    if (same) return;
  }
  refuseUnless(
    checkPlanConsultation({
      status: assignment.status,
      plan: plan && {
        version: plan.version,
        itemIds: plan.items.map((i) => i.id),
        answers: answered.map((i) => ({
          itemId: i.id,
          answer: i.consultation!,
          reason: i.cannotDeliverReason,
        })),
      },
      version: message.version,
      answers: message.answers,
    }),
    'The consultation answer',
  );
  for (const answer of message.answers) {
    await tx.planItem.update({
      where: { id: answer.itemId },
      data: { consultation: answer.answer, cannotDeliverReason: answer.reason },
    });
  }
  await tx.planVersion.update({ where: { id: plan!.id }, data: { consultedAt: ctx.now } });
  await tx.assignment.update({ where: { id: assignment.id }, data: { updatedAt: ctx.now } });
}

/**
 * Checks one reported cost against this city's decided plan and stores (or
 * updates) its copy. Every refusal comes before anything is written.
 */
async function applyCost(tx: Tx, ctx: ApplyContext, assignmentId: string, cost: CostMessage) {
  const assignment = await sentHere(tx, assignmentId);
  const costParties = parseId(cost.costId, 'cost');
  if (
    costParties?.home !== assignment.homeMunicipality ||
    costParties.receiving !== assignment.receivingMunicipality
  ) {
    refuse(ErrorCode.FORBIDDEN, 'The cost does not belong to this assignment');
  }
  const item = await tx.planItem.findFirst({
    where: { id: cost.planItemId, decided: true, planVersion: { assignmentId } },
  });
  const existing = await tx.costReport.findUnique({ where: { id: cost.costId } });
  if (existing && existing.assignmentId !== assignmentId) refuse(ErrorCode.FORBIDDEN, 'The cost id is taken');
  // A reimbursement changed in a period this city settled as the pair's holder is refused here
  // too, not only by the sender; where the sender holds the pair, its own record is all there is.
  const reimbursementChanged = existing !== null && !existing.reimbursed.equals(cost.reimbursed);
  const agreement = ctx.agreements.find((a) => a.id === assignment.agreementId);
  const period = agreement ? periodOf(agreement, cost.date) : null;
  const periodSettled =
    reimbursementChanged && agreement && period
      ? await settledHereLocked(tx, ctx.city.code, assignment.receivingMunicipality, { agreement, period })
      : false;
  refuseUnless(
    [
      ...checkCost({
        status: assignment.status,
        item:
          item && item.category === cost.category
            ? { plannedFrom: dayOf(item.plannedFrom), plannedTo: dayOf(item.plannedTo) }
            : null,
        amount: cost.gross,
        date: cost.date,
        endedOn: assignment.endedAt ? stockholmDay(assignment.endedAt) : null,
      }).filter((v) => !(existing && v.rule === 'ASSIGNMENT_NOT_ACTIVE')),
      ...checkReimbursement({ gross: cost.gross, reimbursed: cost.reimbursed, periodSettled }),
    ],
    'The cost',
  );
  const data = {
    planItemId: cost.planItemId,
    category: cost.category,
    date: dateColumn(cost.date),
    gross: cost.gross,
    reimbursed: cost.reimbursed,
    reimbursementSource: cost.reimbursementSource,
  };
  if (existing) {
    // Only the reimbursement may change once a cost is reported.
    if (!existing.gross.equals(cost.gross) || dayOf(existing.date) !== cost.date) {
      refuse(ErrorCode.CONFLICT, 'A reported cost cannot change its amount or date');
    }
    await tx.costReport.update({
      where: { id: cost.costId },
      data: { reimbursed: cost.reimbursed, reimbursementSource: cost.reimbursementSource },
    });
  } else {
    await tx.costReport.create({ data: { id: cost.costId, assignmentId, ...data, reportedAt: ctx.now } });
  }
}

async function applyTerminationRequest(tx: Tx, ctx: ApplyContext, message: Message<'terminationRequested'>) {
  const assignment = await sentHere(tx, message.assignmentId);
  if (assignment.terminationRequestedAt && assignment.terminationRequestReason === message.reason) return;
  refuseUnless(
    checkRequestTermination(assignment.status, assignment.terminationRequestedAt !== null),
    'The request to end the assignment',
  );
  await tx.assignment.update({
    where: { id: assignment.id },
    data: { terminationRequestedAt: ctx.now, terminationRequestReason: message.reason, updatedAt: ctx.now },
  });
}

/**
 * Rule 11: a children alert always gets through, whatever the assignment's
 * status or the basis for other details: both parties must settle it at once.
 */
async function applyChildrenAlert(tx: Tx, ctx: ApplyContext, message: Message<'childrenAlert'>) {
  const assignment = await sentHere(tx, message.assignmentId);
  if (message.by !== 'receiving') refuse(ErrorCode.FORBIDDEN, 'The home municipality speaks for itself');
  // The lock a raise here takes: alerts arriving at once are decided one after the other.
  await lockFor(tx, `children-alert:${assignment.id}`);
  const alert = await tx.childrenAlert.findUnique({ where: { id: message.alertId } });
  if (message.action === 'RAISED') {
    if (alert) return;
    const open = await tx.childrenAlert.findFirst({
      where: { assignmentId: assignment.id, raisedBy: assignment.receivingMunicipality, ...OPEN_ALERT },
      select: { id: true },
    });
    refuseUnless(checkReceivedChildrenAlert(open !== null), 'The children alert');
    await tx.childrenAlert.create({
      data: {
        id: message.alertId,
        assignmentId: assignment.id,
        raisedBy: assignment.receivingMunicipality,
        raisedAt: ctx.now,
      },
    });
  } else {
    if (!alert || alert.assignmentId !== assignment.id) refuse(ErrorCode.NOT_FOUND, 'No such children alert');
    if (alert.acknowledgedByReceivingAt) return;
    await tx.childrenAlert.update({ where: { id: alert.id }, data: { acknowledgedByReceivingAt: ctx.now } });
  }
  await tx.assignment.update({ where: { id: assignment.id }, data: { updatedAt: ctx.now } });
}

/** A repair: the receiving city's facts, applied as far as this city's rules let them. */
async function applyReceivingState(tx: Tx, ctx: ApplyContext, message: Message<'receivingState'>) {
  const assignment = await sentHere(tx, message.assignmentId);
  if (message.response && assignment.status === 'PROPOSED') {
    await applyResponse(tx, ctx, {
      kind: 'responseGiven',
      assignmentId: assignment.id,
      ...message.response,
    });
  }
  const plan = await proposedPlan(tx, assignment.id);
  const consultation = plan && message.consultations.find((c) => c.version === plan.version);
  if (consultation && plan.items.every((i) => i.consultation === null)) {
    await applyConsultation(tx, ctx, {
      kind: 'planConsulted',
      assignmentId: assignment.id,
      version: consultation.version,
      answers: consultation.answers,
    });
  }
  // Each cost on its own: one this city refuses (as it refused its report, or a reimbursement a
  // settled period no longer lets change) is left out, and this city's copy of it kept, so it
  // cannot hold the repair's other facts back for good.
  for (const cost of message.costs) {
    try {
      await applyCost(tx, ctx, assignment.id, cost);
    } catch (error) {
      if (!(error instanceof MessageRefused)) throw error;
    }
  }
}

export const homeHandlers: ChangeHandlers<
  | 'responseGiven'
  | 'planConsulted'
  | 'costReported'
  | 'terminationRequested'
  | 'childrenAlert'
  | 'receivingState'
> = {
  responseGiven: applyResponse,
  planConsulted: applyConsultation,
  costReported: (tx, ctx, { assignmentId, kind: _kind, ...cost }) => applyCost(tx, ctx, assignmentId, cost),
  terminationRequested: applyTerminationRequest,
  childrenAlert: applyChildrenAlert,
  receivingState: applyReceivingState,
};

/** Applies a message the other city sent about an assignment this city holds as home. */
export const applyAtHome = applyWith(homeHandlers, 'home');
