// What the receiving city applies when the home city reports its facts: a
// new proposal, a status it changed, a plan version to answer on, its
// decision, a children alert. Each is checked with the rules the home city
// used, on this city's clock and against what this city itself said (its
// answer, its consultation answer, its own offers): a hostile or confused
// home city cannot move this city's copy where the agreement does not allow.
import { ErrorCode } from '../../../schema/contract/errors';
import { parseId } from '../../../schema/contract/ids';
import {
  agreementInForce,
  answerDueOn,
  checkPlanProposal,
  checkTransition,
  isReachable,
  statusAfter,
  type AssignmentStatus,
} from '../../agreement/rules';
import { dateColumn, stockholmDay } from '../../clock';
import type { Prisma } from '../../db/generated/client';
import { applyWith, refuse, refuseUnless, type ApplyContext, type ChangeHandlers } from '../../peer/apply';
import type { ChangeMessage, PlanItemMessage } from '../../peer/protocol';

type Tx = Prisma.TransactionClient;
type Message<K extends ChangeMessage['kind']> = Extract<ChangeMessage, { kind: K }>;

async function receivedHere(tx: Tx, assignmentId: string) {
  const received = await tx.incomingAssignment.findUnique({ where: { id: assignmentId } });
  return received ?? refuse(ErrorCode.NOT_FOUND, 'No such assignment here');
}

async function applyProposal(tx: Tx, ctx: ApplyContext, message: Message<'assignmentProposed'>) {
  const existing = await tx.incomingAssignment.findUnique({ where: { id: message.assignmentId } });
  if (existing) {
    if (existing.agreementId !== message.agreementId)
      refuse(ErrorCode.CONFLICT, 'The assignment exists already');
    return;
  }
  const { home, receiving } = parseId(message.assignmentId, 'asg')!;
  // Rule 1, on this city's calendar: an agreement both parties approved is in force today.
  const agreement = agreementInForce(ctx.agreements, home, receiving, ctx.today);
  if (!agreement || agreement.id !== message.agreementId) {
    refuseUnless(
      [
        {
          rule: 'AGREEMENT_NOT_IN_FORCE',
          message: `Agreement ${message.agreementId} is not in force for ${home} and ${receiving} on ${ctx.today}.`,
        },
      ],
      'The proposal',
    );
  }
  await tx.incomingAssignment.create({
    data: {
      id: message.assignmentId,
      homeMunicipality: home,
      receivingMunicipality: receiving,
      receivedAt: ctx.now,
      updatedAt: ctx.now,
      proposedAtClaimed: new Date(message.proposedAt),
      status: 'PROPOSED',
      agreementId: message.agreementId,
      answerDueOn: dateColumn(answerDueOn(agreement!, ctx.today)),
    },
  });
}

async function applyStatusChange(tx: Tx, ctx: ApplyContext, message: Message<'statusChanged'>) {
  const received = await receivedHere(tx, message.assignmentId);
  const target = (() => {
    try {
      return statusAfter(received.status, message.event);
    } catch {
      return null;
    }
  })();
  // The same change again (a repair, a replay of content) changes nothing.
  if (target === null && received.status === EFFECT[message.event]) return;
  refuseUnless(checkTransition(received.status, message.event), 'The status change');
  // The home city applies this city's answer; it cannot answer for it.
  if ((message.event === 'ACCEPT' || message.event === 'DECLINE') && received.response !== message.event) {
    refuseUnless(
      [{ rule: 'ILLEGAL_TRANSITION', message: `This municipality did not ${message.event} the proposal.` }],
      'The status change',
    );
  }
  const ended = message.event === 'COMPLETE' || message.event === 'TERMINATE';
  await tx.incomingAssignment.update({
    where: { id: received.id },
    data: {
      status: target!,
      updatedAt: ctx.now,
      ...(ended
        ? {
            endedOn: dateColumn(ctx.today),
            endedOnClaimed: dateColumn(stockholmDay(new Date(message.changedAt))),
            terminationReason: message.terminationReason,
          }
        : {}),
    },
  });
}

/** What each event leaves the assignment as. */
const EFFECT = {
  WITHDRAW: 'WITHDRAWN',
  ACCEPT: 'ACCEPTED',
  DECLINE: 'DECLINED',
  COMPLETE: 'COMPLETED',
  TERMINATE: 'TERMINATED',
} as const satisfies Record<Message<'statusChanged'>['event'], AssignmentStatus>;

function itemRows(assignmentId: string, version: number, items: readonly PlanItemMessage[]) {
  return items.map((item) => ({
    id: item.id,
    assignmentId,
    planVersion: version,
    status: 'PROPOSED' as const,
    category: item.category,
    plannedFrom: dateColumn(item.plannedFrom),
    plannedTo: dateColumn(item.plannedTo),
    extentQuantity: item.extent.quantity,
    extentUnit: item.extent.unit,
    estimatedCost: item.estimatedCost,
  }));
}

async function applyPlanProposal(tx: Tx, ctx: ApplyContext, message: Message<'planProposed'>) {
  const received = await receivedHere(tx, message.assignmentId);
  const known = await tx.receivedPlanItem.findMany({ where: { assignmentId: received.id } });
  const latest = Math.max(0, ...known.map((i) => i.planVersion));
  if (message.version <= latest) {
    if (known.some((i) => i.planVersion === message.version)) return;
    refuse(ErrorCode.CONFLICT, `Version ${message.version} is older than version ${latest}`);
  }
  // Details withheld (the basis lapsed before the message left): nothing to consult on.
  if (message.items === null) return;
  const agreement = ctx.agreements.find((a) => a.id === received.agreementId);
  refuseUnless(
    checkPlanProposal({
      status: received.status,
      offered: ctx.city.offers.map((o) => o.category),
      items: message.items.map((item) => ({
        category: item.category,
        plannedFrom: item.plannedFrom,
        plannedTo: item.plannedTo,
        extentQuantity: item.extent.quantity,
        estimatedCost: item.estimatedCost,
      })),
      term: agreement ? { validTo: agreement.validTo, today: ctx.today } : null,
    }),
    'The plan',
  );
  const parties = message.items.map((item) => parseId(item.id, 'item'));
  if (
    parties.some(
      (p) => p?.home !== received.homeMunicipality || p.receiving !== received.receivingMunicipality,
    )
  ) {
    refuse(ErrorCode.FORBIDDEN, 'A plan item does not belong to this assignment');
  }
  await tx.receivedPlanItem.updateMany({
    where: { assignmentId: received.id, status: 'PROPOSED' },
    data: { status: 'SUPERSEDED' },
  });
  await tx.receivedPlanItem.createMany({ data: itemRows(received.id, message.version, message.items) });
  await tx.incomingAssignment.update({ where: { id: received.id }, data: { updatedAt: ctx.now } });
}

async function applyPlanDecision(tx: Tx, ctx: ApplyContext, message: Message<'planDecided'>) {
  const received = await receivedHere(tx, message.assignmentId);
  const items = await tx.receivedPlanItem.findMany({
    where: { assignmentId: received.id, planVersion: message.version },
  });
  if (items.length > 0 && items.every((i) => i.status !== 'PROPOSED') && received.status === 'ACTIVE') {
    return; // decided already
  }
  const deliverable = new Set(items.filter((i) => i.consultation === 'CAN_DELIVER').map((i) => i.id));
  const verdict = checkTransition(received.status, 'DECIDE_PLAN');
  if (items.length === 0 || items.some((i) => i.status !== 'PROPOSED')) {
    verdict.push({
      rule: 'NO_PROPOSED_PLAN',
      message: `Version ${message.version} is not awaiting a decision here.`,
    });
  } else if (items.some((i) => i.consultation === null)) {
    verdict.push({
      rule: 'PLAN_NOT_CONSULTED',
      message: 'This municipality has not answered the consultation.',
    });
  } else if (message.itemIds.some((id) => !deliverable.has(id))) {
    // Rule 7: the receiving municipality delivers only what it said it can.
    verdict.push({
      rule: 'INTERVENTION_NOT_OFFERED',
      message: 'The decision holds an item this municipality said it cannot deliver.',
    });
  }
  refuseUnless(verdict, 'The plan decision');
  const decided = new Set(message.itemIds);
  await tx.receivedPlanItem.updateMany({
    where: { assignmentId: received.id, status: 'AGREED' },
    data: { status: 'SUPERSEDED' },
  });
  for (const item of items) {
    await tx.receivedPlanItem.update({
      where: { id: item.id },
      data: { status: decided.has(item.id) ? 'AGREED' : 'NOT_AGREED' },
    });
  }
  await tx.incomingAssignment.update({
    where: { id: received.id },
    data: { status: statusAfter(received.status, 'DECIDE_PLAN'), updatedAt: ctx.now },
  });
}

/** Rule 11: a children alert always gets through, whatever else has lapsed. */
async function applyChildrenAlert(tx: Tx, ctx: ApplyContext, message: Message<'childrenAlert'>) {
  const received = await receivedHere(tx, message.assignmentId);
  if (message.by !== 'home') refuse(ErrorCode.FORBIDDEN, 'The receiving municipality speaks for itself');
  const alert = await tx.receivedChildrenAlert.findUnique({ where: { id: message.alertId } });
  if (message.action === 'RAISED') {
    if (alert) return;
    await tx.receivedChildrenAlert.create({
      data: {
        id: message.alertId,
        assignmentId: received.id,
        raisedBy: received.homeMunicipality,
        raisedAt: ctx.now,
      },
    });
  } else {
    if (!alert || alert.assignmentId !== received.id) refuse(ErrorCode.NOT_FOUND, 'No such children alert');
    if (alert.acknowledgedByHomeAt) return;
    await tx.receivedChildrenAlert.update({
      where: { id: alert.id },
      data: { acknowledgedByHomeAt: ctx.now },
    });
  }
  await tx.incomingAssignment.update({ where: { id: received.id }, data: { updatedAt: ctx.now } });
}

/** A repair: the home city's facts, applied only as far as the lifecycle lets this copy move forward. */
async function applyHomeState(tx: Tx, ctx: ApplyContext, message: Message<'homeState'>) {
  let received = await tx.incomingAssignment.findUnique({ where: { id: message.assignmentId } });
  if (!received) {
    await applyProposal(tx, ctx, {
      kind: 'assignmentProposed',
      assignmentId: message.assignmentId,
      agreementId: message.agreementId,
      proposedAt: message.proposedAt,
    });
    received = await receivedHere(tx, message.assignmentId);
  }
  if (!isReachable(received.status, message.status)) {
    refuseUnless(
      [
        {
          rule: 'ILLEGAL_TRANSITION',
          message: `An assignment that is ${received.status} cannot become ${message.status}.`,
        },
      ],
      'The repair',
    );
  }
  if (message.status === 'ACCEPTED' || message.status === 'DECLINED') {
    if (
      received.status === 'PROPOSED' &&
      received.response !== (message.status === 'ACCEPTED' ? 'ACCEPT' : 'DECLINE')
    ) {
      refuseUnless(
        [{ rule: 'ILLEGAL_TRANSITION', message: 'This municipality did not give that answer.' }],
        'The repair',
      );
    }
  }
  const known = await tx.receivedPlanItem.findMany({ where: { assignmentId: received.id } });
  const knownIds = new Set(known.map((i) => i.id));
  for (const plan of [...message.plans].sort((x, y) => x.version - y.version)) {
    if (plan.items === null || known.some((i) => i.planVersion === plan.version)) continue;
    const decided = new Set(plan.decidedItemIds);
    // A decided version replaces the agreed items of earlier ones.
    if (plan.status === 'DECIDED') {
      await tx.receivedPlanItem.updateMany({
        where: { assignmentId: received.id, status: 'AGREED', planVersion: { lt: plan.version } },
        data: { status: 'SUPERSEDED' },
      });
    }
    await tx.receivedPlanItem.createMany({
      skipDuplicates: true,
      data: itemRows(
        received.id,
        plan.version,
        plan.items.filter((item) => !knownIds.has(item.id)),
      ).map((row) => ({
        ...row,
        status:
          plan.status === 'PROPOSED'
            ? ('PROPOSED' as const)
            : plan.status === 'SUPERSEDED'
              ? ('SUPERSEDED' as const)
              : decided.has(row.id)
                ? ('AGREED' as const)
                : ('NOT_AGREED' as const),
        consultation:
          plan.status === 'PROPOSED' ? null : decided.has(row.id) ? ('CAN_DELIVER' as const) : null,
      })),
    });
  }
  const ended = message.status === 'COMPLETED' || message.status === 'TERMINATED';
  if (received.status !== message.status) {
    await tx.incomingAssignment.update({
      where: { id: received.id },
      data: {
        status: message.status,
        updatedAt: ctx.now,
        ...(ended ? { endedOn: dateColumn(ctx.today), terminationReason: message.terminationReason } : {}),
      },
    });
  }
}

export const receivingHandlers: ChangeHandlers<
  'assignmentProposed' | 'statusChanged' | 'planProposed' | 'planDecided' | 'childrenAlert' | 'homeState'
> = {
  assignmentProposed: applyProposal,
  statusChanged: applyStatusChange,
  planProposed: applyPlanProposal,
  planDecided: applyPlanDecision,
  childrenAlert: applyChildrenAlert,
  homeState: applyHomeState,
};

/** Applies a message the other city sent about an assignment this city holds as receiving. */
export const applyAtReceiving = applyWith(receivingHandlers, 'receiving');
