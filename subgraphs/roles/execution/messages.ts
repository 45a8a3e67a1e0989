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
  checkReceivedChildrenAlert,
  type PlanProposalFacts,
  checkTransition,
  isReachable,
  statusAfter,
  type AssignmentStatus,
} from '../../agreement/rules';
import { dateColumn, stockholmDay } from '../../clock';
import { lockFor } from '../../db/advisoryLock';
import type { Prisma } from '../../db/generated/client';
import {
  applyWith,
  defer,
  refuse,
  refuseUnless,
  type ApplyContext,
  type ChangeHandlers,
} from '../../peer/apply';
import type { Verdict } from '../../agreement/rules/verdict';
import type { ChangeMessage, PlanItemMessage } from '../../peer/protocol';
import { OPEN_ALERT } from './alerts';

type Tx = Prisma.TransactionClient;
type Message<K extends ChangeMessage['kind']> = Extract<ChangeMessage, { kind: K }>;

async function receivedHere(tx: Tx, assignmentId: string) {
  const received = await tx.incomingAssignment.findUnique({ where: { id: assignmentId } });
  return received ?? refuse(ErrorCode.NOT_FOUND, 'No such assignment here');
}

/**
 * A new proposal, held for this city's answer. `unanswered: false` is a repair
 * that moves it past the proposal at once, so it takes no place among the
 * unanswered ones.
 */
async function applyProposal(
  tx: Tx,
  ctx: ApplyContext,
  message: Message<'assignmentProposed'>,
  { unanswered = true }: { unanswered?: boolean } = {},
) {
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
  if (unanswered) {
    // Counted under a lock per sender, so proposals applied at once cannot pass the bound together.
    await lockFor(tx, `open-proposals:${home}`);
    const open = await tx.incomingAssignment.count({
      where: { homeMunicipality: home, status: 'PROPOSED', response: null },
    });
    if (open >= ctx.openProposalsPerCity)
      defer(`This municipality holds ${open} unanswered proposals from ${home}, its most at once`);
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
  await recordVersion(
    tx,
    ctx,
    received,
    { version: message.version, items: message.items, status: 'PROPOSED' },
    { status: received.status, term: agreement ? { validTo: agreement.validTo, today: ctx.today } : null },
  );
  await tx.incomingAssignment.update({ where: { id: received.id }, data: { updatedAt: ctx.now } });
}

type ReceivedItem = Awaited<ReturnType<Tx['receivedPlanItem']['findMany']>>[number];

/**
 * Rule 7 on a decision of the home city's: a version awaiting one here, which
 * this city answered, holding only items it said it can deliver.
 */
function decisionVerdict(
  items: readonly ReceivedItem[],
  version: number,
  itemIds: readonly string[],
): Verdict {
  const deliverable = new Set(items.filter((i) => i.consultation === 'CAN_DELIVER').map((i) => i.id));
  if (items.length === 0 || items.some((i) => i.status !== 'PROPOSED')) {
    return [{ rule: 'NO_PROPOSED_PLAN', message: `Version ${version} is not awaiting a decision here.` }];
  }
  if (items.some((i) => i.consultation === null)) {
    return [{ rule: 'PLAN_NOT_CONSULTED', message: 'This municipality has not answered the consultation.' }];
  }
  if (itemIds.some((id) => !deliverable.has(id))) {
    return [
      {
        rule: 'INTERVENTION_NOT_OFFERED',
        message: 'The decision holds an item this municipality said it cannot deliver.',
      },
    ];
  }
  return [];
}

/** The decided version's items become agreed or not, and replace those agreed before. */
async function recordDecision(
  tx: Tx,
  assignmentId: string,
  items: readonly ReceivedItem[],
  itemIds: readonly string[],
) {
  const decided = new Set(itemIds);
  await tx.receivedPlanItem.updateMany({
    where: { assignmentId, status: 'AGREED' },
    data: { status: 'SUPERSEDED' },
  });
  for (const item of items) {
    await tx.receivedPlanItem.update({
      where: { id: item.id },
      data: { status: decided.has(item.id) ? 'AGREED' : 'NOT_AGREED' },
    });
  }
}

async function applyPlanDecision(tx: Tx, ctx: ApplyContext, message: Message<'planDecided'>) {
  const received = await receivedHere(tx, message.assignmentId);
  const items = await tx.receivedPlanItem.findMany({
    where: { assignmentId: received.id, planVersion: message.version },
  });
  if (items.length > 0 && items.every((i) => i.status !== 'PROPOSED') && received.status === 'ACTIVE') {
    return; // decided already
  }
  refuseUnless(
    [
      ...checkTransition(received.status, 'DECIDE_PLAN'),
      ...decisionVerdict(items, message.version, message.itemIds),
    ],
    'The plan decision',
  );
  await recordDecision(tx, received.id, items, message.itemIds);
  await tx.incomingAssignment.update({
    where: { id: received.id },
    data: { status: statusAfter(received.status, 'DECIDE_PLAN'), updatedAt: ctx.now },
  });
}

/** Rule 11: a children alert always gets through, whatever else has lapsed. */
async function applyChildrenAlert(tx: Tx, ctx: ApplyContext, message: Message<'childrenAlert'>) {
  const received = await receivedHere(tx, message.assignmentId);
  if (message.by !== 'home') refuse(ErrorCode.FORBIDDEN, 'The receiving municipality speaks for itself');
  // The lock a raise here takes: alerts arriving at once are decided one after the other.
  await lockFor(tx, `children-alert:${received.id}`);
  const alert = await tx.receivedChildrenAlert.findUnique({ where: { id: message.alertId } });
  if (message.action === 'RAISED') {
    if (alert) return;
    const open = await tx.receivedChildrenAlert.findFirst({
      where: { assignmentId: received.id, raisedBy: received.homeMunicipality, ...OPEN_ALERT },
      select: { id: true },
    });
    refuseUnless(checkReceivedChildrenAlert(open !== null), 'The children alert');
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

/** The answer of this city's a status needs, once the copy has moved past the proposal. */
function answerBehind(status: AssignmentStatus): 'ACCEPT' | 'DECLINE' | null {
  if (status === 'DECLINED') return 'DECLINE';
  return isReachable('ACCEPTED', status) ? 'ACCEPT' : null;
}

/**
 * A repair: the home city's facts, applied only as far as this city's own
 * word and the lifecycle let its copy move forward. A repair carries what
 * the home city says, so it is checked as the messages it stands for would
 * have been: a status past the proposal needs this city's answer, a plan
 * version still proposed that it never saw is checked as a proposal (what
 * this city offers, items of this pair), and a decision needs this city's
 * consultation answer and holds only what it said it can deliver (rule 7);
 * a version decided without it is not kept. An active copy needs a version
 * decided with it.
 */
async function applyHomeState(tx: Tx, ctx: ApplyContext, message: Message<'homeState'>) {
  let received = await tx.incomingAssignment.findUnique({ where: { id: message.assignmentId } });
  if (!received) {
    await applyProposal(
      tx,
      ctx,
      {
        kind: 'assignmentProposed',
        assignmentId: message.assignmentId,
        agreementId: message.agreementId,
        proposedAt: message.proposedAt,
      },
      { unanswered: message.status === 'PROPOSED' },
    );
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
  const answer = answerBehind(message.status);
  if (received.status === 'PROPOSED' && answer !== null && received.response !== answer) {
    refuseUnless(
      [{ rule: 'ILLEGAL_TRANSITION', message: 'This municipality did not give that answer.' }],
      'The repair',
    );
  }
  const known = await tx.receivedPlanItem.findMany({ where: { assignmentId: received.id } });
  let unconsulted: number | null = null;
  for (const plan of [...message.plans].sort((x, y) => x.version - y.version)) {
    const here = known.filter((i) => i.planVersion === plan.version);
    if (here.length > 0) {
      // A decision this city missed, on a version it answered.
      if (plan.status === 'DECIDED' && here.some((i) => i.status === 'PROPOSED')) {
        refuseUnless(decisionVerdict(here, plan.version, plan.decidedItemIds), 'The repair');
        await recordDecision(tx, received.id, here, plan.decidedItemIds);
      }
      continue;
    }
    if (plan.items === null) continue;
    const { status } = plan;
    if (status === 'DECIDED') {
      // Decided without this city's answer: nothing of it binds this city, and it is not kept.
      unconsulted = plan.version;
    } else {
      // A version superseded binds nobody: only its items' pair is checked. One still proposed is
      // checked as its proposal would have been; the term and the status are the repair's to check.
      await recordVersion(
        tx,
        ctx,
        received,
        { ...plan, items: plan.items, status },
        status === 'PROPOSED' ? { status: 'ACCEPTED', term: null } : null,
      );
    }
  }
  const active = message.status === 'ACTIVE' || message.status === 'COMPLETED';
  if (active && received.status !== 'ACTIVE' && received.status !== 'COMPLETED') {
    const agreed = await tx.receivedPlanItem.count({
      where: { assignmentId: received.id, status: 'AGREED' },
    });
    if (agreed === 0) {
      refuseUnless(
        [
          unconsulted === null
            ? {
                rule: 'NO_PROPOSED_PLAN',
                message: `No plan is decided here; the assignment cannot become ${message.status}.`,
              }
            : {
                rule: 'PLAN_NOT_CONSULTED',
                message: `This municipality has not answered the consultation on version ${unconsulted}.`,
              },
        ],
        'The repair',
      );
    }
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

/**
 * A plan version the home city proposed, checked as a proposal (what this
 * city offers, items of this pair, the assignment's status and the term as
 * given) and kept without a consultation answer: proposed, replacing the one
 * proposed before, or superseded by a later one.
 */
async function recordVersion(
  tx: Tx,
  ctx: ApplyContext,
  received: { id: string; homeMunicipality: string; receivingMunicipality: string },
  plan: { version: number; items: readonly PlanItemMessage[]; status: 'PROPOSED' | 'SUPERSEDED' },
  /** How its proposal is checked; null for a version superseded, which binds nobody. */
  checkedAs: Pick<PlanProposalFacts, 'status' | 'term'> | null,
) {
  if (checkedAs) {
    refuseUnless(
      checkPlanProposal({
        ...checkedAs,
        offered: ctx.city.offers.map((o) => o.category),
        items: plan.items.map((item) => ({
          category: item.category,
          plannedFrom: item.plannedFrom,
          plannedTo: item.plannedTo,
          extentQuantity: item.extent.quantity,
          estimatedCost: item.estimatedCost,
        })),
      }),
      'The plan',
    );
  }
  if (
    plan.items.some((item) => {
      const p = parseId(item.id, 'item');
      return p?.home !== received.homeMunicipality || p.receiving !== received.receivingMunicipality;
    })
  ) {
    refuse(ErrorCode.FORBIDDEN, 'A plan item does not belong to this assignment');
  }
  if (plan.status === 'PROPOSED') {
    await tx.receivedPlanItem.updateMany({
      where: { assignmentId: received.id, status: 'PROPOSED' },
      data: { status: 'SUPERSEDED' },
    });
  }
  // An item id held already (of another version or assignment) is a conflict, not skipped.
  await tx.receivedPlanItem.createMany({
    data: itemRows(received.id, plan.version, plan.items).map((row) => ({ ...row, status: plan.status })),
  });
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
