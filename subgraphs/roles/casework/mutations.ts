// The home municipality's side of the workflow. Each mutation: authorize →
// load → check the agreement's rules → write in one transaction, together
// with the message the receiving city must get (the outbox). What needs the
// other city's answer first (its offers) is asked before anything is written.
import { badUserInput, forbidden, notFound } from '../../../schema/contract/errors';
import { formatId, parseId } from '../../../schema/contract/ids';
import { isMunicipalityCode } from '../../../schema/contract/municipality';
import { isParty, partyOf } from '../../../schema/contract/parties';
import { enforce, requireParty } from '../../agreement/enforce';
import {
  agreementInForce,
  answerDueOn,
  beyondQuota,
  checkAcknowledgeChildrenAlert,
  childrenAlertFacts,
  checkComplete,
  checkCompleteFollowUp,
  checkConfirmParticipation,
  checkPlanDecision,
  checkPlanProposal,
  checkProposal,
  checkRaiseChildrenAlert,
  checkScheduleFollowUp,
  checkTerminate,
  checkWithdraw,
  decidedItems,
  isOpen,
  statusAfter,
  violation,
  type AssignmentEvent,
  type Verdict,
} from '../../agreement/rules';
import { disclosureState } from '../../agreement/disclosure';
import { dateColumn, dayOf, stockholmDay } from '../../clock';
import { changeScopeOf, type CityContext } from '../../context';
import { lockFor } from '../../db/advisoryLock';
import type { Prisma } from '../../db/generated/client';
import type { MutationResolvers } from '../../generated/casework';
import { askPeer } from '../../peer/ask';
import { commitAndTell, type Tell } from '../../peer/outbox';
import type { OffersResult, PlanItemMessage } from '../../peer/protocol';
import { acknowledgeReceivedAlert, OPEN_ALERT, raiseReceivedAlert } from '../execution/alerts';
import { proposedPlan } from './messages';
import type { AssignmentModel } from './models';
import { countSentAgainstQuota } from './sent';

type Tx = Prisma.TransactionClient;

/**
 * An assignment this city holds as home, or NOT_FOUND: also for a caller that
 * is not a party, who learns no more from a mutation than from a read.
 */
async function heldHere(ctx: CityContext, id: string, db: Tx = ctx.db.prisma): Promise<AssignmentModel> {
  const parsed = parseId(id, 'asg');
  const assignment =
    parsed?.home === ctx.city.code ? await db.assignment.findUnique({ where: { id } }) : null;
  if (!assignment || !isParty(ctx.principal.municipality, assignment))
    throw notFound('No such assignment', { argument: 'id' });
  ctx.disclosed.add(id);
  return assignment;
}

async function followUpHeldHere(ctx: CityContext, followUpId: string) {
  const parsed = parseId(followUpId, 'fup');
  const followUp =
    parsed?.home === ctx.city.code
      ? await ctx.db.prisma.followUp.findUnique({ where: { id: followUpId }, include: { assignment: true } })
      : null;
  if (!followUp || !isParty(ctx.principal.municipality, followUp.assignment))
    throw notFound('No such follow-up', { argument: 'followUpId' });
  return followUp;
}

const toFacts = (followUp: { completedAt: Date | null }) => ({
  completedAt: followUp.completedAt?.toISOString() ?? null,
});

/** Whether details about the person may go to the receiving city today (rule 4). */
async function basisFor(tx: Tx, assignment: AssignmentModel, today: string) {
  const bases = await tx.disclosureBasis.findMany({ where: { caseId: assignment.caseId } });
  return disclosureState(bases, assignment.receivingMunicipality, today);
}

/**
 * A status change the home city decides: the transition checked again on the
 * row as it is inside the transaction (a concurrent change cannot slip in),
 * written, and told to the receiving city in the same transaction.
 */
async function changeStatus(
  ctx: CityContext,
  id: string,
  event: Extract<AssignmentEvent, 'WITHDRAW' | 'COMPLETE' | 'TERMINATE'>,
  check: (assignment: AssignmentModel) => Verdict,
  data: Prisma.AssignmentUpdateInput,
  action: string,
) {
  return commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
    await lockFor(tx, `assignment:${id}`);
    const assignment = await heldHere(ctx, id, tx);
    enforce(check(assignment), action);
    const updated = await tx.assignment.update({
      where: { id },
      data: { ...data, status: statusAfter(assignment.status, event), updatedAt: ctx.now },
    });
    const today = stockholmDay(ctx.now);
    const basis = event === 'TERMINATE' ? await basisFor(tx, assignment, today) : null;
    tell({
      to: assignment.receivingMunicipality,
      message: {
        kind: 'statusChanged',
        assignmentId: id,
        event,
        // Why it ended is about the person: it goes only on a basis in force.
        terminationReason: basis?.basisInForce ? updated.endReason : null,
        withheld: basis && !basis.basisInForce ? basis.lapse : null,
        changedAt: ctx.now.toISOString(),
      },
      basis: basis ? (basis.basisInForce ? 'IN_FORCE' : `LAPSED:${basis.lapse}`) : undefined,
    });
    return updated;
  });
}

/** Rule 11: the newest alert of an assignment still waiting for either party, if any. */
const openAlert = (tx: Tx, assignmentId: string) =>
  tx.childrenAlert.findFirst({
    where: { assignmentId, ...OPEN_ALERT },
    orderBy: { raisedAt: 'desc' },
  });

async function raiseAlertAtHome(ctx: CityContext, assignmentId: string) {
  return commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
    await lockFor(tx, `children-alert:${assignmentId}`);
    const assignment = await heldHere(ctx, assignmentId, tx);
    enforce(
      checkRaiseChildrenAlert(assignment.status, (await openAlert(tx, assignmentId)) !== null),
      'Raising the children alert',
    );
    const alert = await tx.childrenAlert.create({
      data: { id: `alert:${crypto.randomUUID()}`, assignmentId, raisedBy: ctx.city.code, raisedAt: ctx.now },
    });
    await tx.assignment.update({ where: { id: assignmentId }, data: { updatedAt: ctx.now } });
    tellAlert(tell, assignment, alert.id, 'RAISED', ctx.now);
    return alert;
  });
}

/**
 * Acknowledges every alert this party has not: both parties may have raised
 * one at once, and each must be acknowledged by both before another can be.
 */
async function acknowledgeAlertAtHome(ctx: CityContext, assignmentId: string) {
  return commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
    await lockFor(tx, `children-alert:${assignmentId}`);
    const assignment = await heldHere(ctx, assignmentId, tx);
    const pending = await tx.childrenAlert.findMany({
      where: { assignmentId, acknowledgedByHomeAt: null },
      orderBy: { raisedAt: 'desc' },
    });
    const newest =
      pending[0] ??
      (await tx.childrenAlert.findFirst({ where: { assignmentId }, orderBy: { raisedAt: 'desc' } }));
    enforce(
      checkAcknowledgeChildrenAlert(childrenAlertFacts(newest), 'home'),
      'Acknowledging the children alert',
    );
    const updated = [];
    for (const alert of pending) {
      updated.push(
        await tx.childrenAlert.update({ where: { id: alert.id }, data: { acknowledgedByHomeAt: ctx.now } }),
      );
      tellAlert(tell, assignment, alert.id, 'ACKNOWLEDGED', ctx.now);
    }
    await tx.assignment.update({ where: { id: assignmentId }, data: { updatedAt: ctx.now } });
    return updated[0]!;
  });
}

function tellAlert(
  tell: Tell,
  assignment: AssignmentModel,
  alertId: string,
  action: 'RAISED' | 'ACKNOWLEDGED',
  at: Date,
) {
  tell({
    to: assignment.receivingMunicipality,
    message: {
      kind: 'childrenAlert',
      assignmentId: assignment.id,
      alertId,
      action,
      by: 'home',
      at: at.toISOString(),
    },
  });
}

/** Which side of an assignment the caller's own city is on; NOT_FOUND when the caller is not a party. */
function callersSide(ctx: CityContext, assignmentId: string) {
  const parsed = parseId(assignmentId, 'asg');
  const side =
    parsed &&
    partyOf(ctx.city.code, { homeMunicipality: parsed.home, receivingMunicipality: parsed.receiving });
  // Routed to the caller's own city: it must be a party itself.
  if (!side || ctx.principal.municipality !== ctx.city.code) {
    throw notFound('No such assignment', { argument: 'assignmentId' });
  }
  return side;
}

export const caseworkMutations: MutationResolvers = {
  proposeAssignment: async (_, { input }, ctx) => {
    const home = ctx.city.code;
    // The caller's own city is the home municipality: routing sends it here.
    if (ctx.principal.municipality !== home)
      throw forbidden('Only the home municipality may propose its own case');
    const receiving = input.receivingMunicipality;
    if (!isMunicipalityCode(receiving)) {
      throw badUserInput('receivingMunicipality must be a four-digit municipality code', {
        field: 'receivingMunicipality',
      });
    }
    const beyondAimReason = input.beyondAimReason?.trim() || null;
    const today = stockholmDay(ctx.now);
    const agreement = agreementInForce(ctx.agreements, home, receiving, today);
    const id = formatId('asg', home, receiving);
    return commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
      // Locked before reading, so two proposals cannot both see the case free and the quota open.
      await lockFor(tx, `sending-quota:${home}`);
      const found = await tx.case.findUnique({
        where: { id: input.caseId },
        include: { policeConsultations: true, disclosureBases: true, assignments: true },
      });
      if (!found) throw notFound('No such case', { field: 'caseId' });
      const sentInTerm = agreement ? await countSentAgainstQuota(tx, agreement.id) : 0;
      enforce(
        checkProposal({
          today,
          home,
          receiving,
          agreements: ctx.agreements,
          targetGroup: found.targetGroup,
          motivated: found.motivated,
          policeConsultations: found.policeConsultations.map((c) => ({
            municipality: c.municipality,
            date: dayOf(c.date),
          })),
          disclosureBases: found.disclosureBases.map((b) => ({
            recipientMunicipality: b.recipientMunicipality,
            validFrom: dayOf(b.validFrom),
            validTo: b.validTo ? dayOf(b.validTo) : null,
            withdrawnOn: b.withdrawnAt ? stockholmDay(b.withdrawnAt) : null,
          })),
          hasChildResponsibility: found.hasChildResponsibility,
          temporaryHousingArranged: Boolean(found.temporaryHousingArrangedAt),
          caseClosed: Boolean(found.closedAt),
          openAssignmentForCase: found.assignments.some((a) => isOpen(a.status)),
          sentInTerm,
          beyondAimReason,
        }),
        'Proposing the assignment',
      );
      const created = await tx.assignment.create({
        data: {
          id,
          caseId: found.id,
          homeMunicipality: home,
          receivingMunicipality: receiving,
          status: 'PROPOSED',
          agreementId: agreement!.id,
          answerDueOn: dateColumn(answerDueOn(agreement!, today)),
          // Kept only when it explains going beyond the aim.
          beyondAimReason: beyondQuota({
            quota: agreement!.sendingQuota,
            municipality: home,
            used: sentInTerm,
          })
            ? beyondAimReason
            : null,
          proposedAt: ctx.now,
          updatedAt: ctx.now,
        },
      });
      ctx.disclosed.add(id);
      tell({
        to: receiving,
        message: {
          kind: 'assignmentProposed',
          assignmentId: id,
          agreementId: agreement!.id,
          proposedAt: ctx.now.toISOString(),
        },
        basis: 'IN_FORCE',
      });
      return created;
    });
  },

  withdrawAssignment: async (_, { id, reason }, ctx) => {
    const assignment = await heldHere(ctx, id);
    requireParty(ctx.principal.municipality, assignment, 'home', 'Withdrawing the assignment');
    if (!reason.trim()) throw badUserInput('A reason is required', { field: 'reason' });
    return changeStatus(
      ctx,
      id,
      'WITHDRAW',
      (current) => checkWithdraw(current.status),
      { withdrawnAt: ctx.now, withdrawalReason: reason.trim() },
      'Withdrawing the assignment',
    );
  },

  proposePlan: async (_, { assignmentId, items }, ctx) => {
    const assignment = await heldHere(ctx, assignmentId);
    requireParty(ctx.principal.municipality, assignment, 'home', 'Proposing a plan');
    // A question before anything is written: what does the receiving city offer?
    const { categories } = await askPeer<OffersResult>(ctx, assignment.receivingMunicipality, {
      kind: 'offers',
    });
    const today = stockholmDay(ctx.now);
    const agreement = ctx.agreements.find((a) => a.id === assignment.agreementId);
    return commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
      await lockFor(tx, `plan:${assignmentId}`);
      const current = await heldHere(ctx, assignmentId, tx);
      const basis = await basisFor(tx, current, today);
      enforce(
        [
          ...checkPlanProposal({
            status: current.status,
            offered: categories,
            items: items.map((item) => ({
              category: item.category,
              plannedFrom: item.plannedFrom,
              plannedTo: item.plannedTo,
              extentQuantity: item.extent.quantity,
              estimatedCost: item.estimatedCost,
            })),
            term: agreement ? { validTo: agreement.validTo, today } : null,
          }),
          // Rule 4: the plan's details go to the receiving city; they need a basis in force.
          ...(basis.basisInForce
            ? []
            : [
                violation(
                  'DISCLOSURE_BASIS_MISSING',
                  `No consent or legal basis for disclosure to ${current.receivingMunicipality} is in force on ${today}.`,
                ),
              ]),
        ],
        'Proposing the plan',
      );
      const last = await tx.planVersion.findFirst({ where: { assignmentId }, orderBy: { version: 'desc' } });
      // An undecided earlier proposal is replaced; a decided plan stays in force until this one is decided.
      await tx.planVersion.updateMany({
        where: { assignmentId, status: 'PROPOSED' },
        data: { status: 'SUPERSEDED' },
      });
      const version = (last?.version ?? 0) + 1;
      const created: PlanItemMessage[] = items.map((item) => ({
        id: formatId('item', current.homeMunicipality, current.receivingMunicipality),
        category: item.category as PlanItemMessage['category'],
        plannedFrom: item.plannedFrom,
        plannedTo: item.plannedTo,
        extent: { quantity: item.extent.quantity, unit: item.extent.unit },
        estimatedCost: item.estimatedCost,
      }));
      await tx.planVersion.create({
        data: {
          id: `${assignmentId}#plan-${version}`,
          assignmentId,
          version,
          status: 'PROPOSED',
          proposedAt: ctx.now,
          items: {
            create: created.map((item) => ({
              id: item.id,
              category: item.category,
              plannedFrom: dateColumn(item.plannedFrom),
              plannedTo: dateColumn(item.plannedTo),
              extentQuantity: item.extent.quantity,
              extentUnit: item.extent.unit,
              estimatedCost: item.estimatedCost,
            })),
          },
        },
      });
      tell({
        to: current.receivingMunicipality,
        message: { kind: 'planProposed', assignmentId, version, items: created, withheld: null },
        disclosesDetails: true,
        basis: 'IN_FORCE',
      });
      return tx.assignment.update({ where: { id: assignmentId }, data: { updatedAt: ctx.now } });
    });
  },

  decidePlan: async (_, { assignmentId, version }, ctx) => {
    const assignment = await heldHere(ctx, assignmentId);
    requireParty(ctx.principal.municipality, assignment, 'home', 'Deciding the plan');
    return commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
      await lockFor(tx, `plan:${assignmentId}`);
      const current = await heldHere(ctx, assignmentId, tx);
      const plan = await proposedPlan(tx, assignmentId);
      const answers = (plan?.items ?? [])
        .filter((i) => i.consultation !== null)
        .map((i) => ({ itemId: i.id, answer: i.consultation!, reason: i.cannotDeliverReason }));
      enforce(
        checkPlanDecision({
          status: current.status,
          plan: plan && { version: plan.version, itemIds: plan.items.map((i) => i.id), answers },
          version,
        }),
        'Deciding the plan',
      );
      const decided = decidedItems(answers);
      await tx.planVersion.updateMany({
        where: { assignmentId, status: 'DECIDED' },
        data: { status: 'SUPERSEDED' },
      });
      await tx.planItem.updateMany({ where: { id: { in: decided } }, data: { decided: true } });
      await tx.planVersion.update({
        where: { id: plan!.id },
        data: { status: 'DECIDED', decidedAt: ctx.now },
      });
      tell({
        to: current.receivingMunicipality,
        message: { kind: 'planDecided', assignmentId, version, itemIds: decided },
      });
      return tx.assignment.update({
        where: { id: assignmentId },
        data: { status: statusAfter(current.status, 'DECIDE_PLAN'), updatedAt: ctx.now },
      });
    });
  },

  scheduleFollowUp: async (_, { assignmentId, date }, ctx) => {
    const assignment = await heldHere(ctx, assignmentId);
    requireParty(ctx.principal.municipality, assignment, 'home', 'Scheduling a follow-up');
    enforce(
      checkScheduleFollowUp(assignment.status, date, stockholmDay(ctx.now)),
      'Scheduling the follow-up',
    );
    return ctx.db.prisma.$transaction(async (tx) => {
      await tx.assignment.update({ where: { id: assignmentId }, data: { updatedAt: ctx.now } });
      return tx.followUp.create({
        data: {
          id: formatId('fup', assignment.homeMunicipality, assignment.receivingMunicipality),
          assignmentId,
          scheduledFor: dateColumn(date),
        },
      });
    });
  },

  confirmFollowUpParticipation: async (_, { followUpId }, ctx) => {
    const followUp = await followUpHeldHere(ctx, followUpId);
    requireParty(ctx.principal.municipality, followUp.assignment, 'receiving', 'Confirming participation');
    enforce(checkConfirmParticipation(toFacts(followUp)), 'Confirming participation');
    return ctx.db.prisma.followUp.update({
      where: { id: followUpId },
      data: { receivingConfirmedAt: followUp.receivingConfirmedAt ?? ctx.now },
    });
  },

  completeFollowUp: async (_, { followUpId, done }, ctx) => {
    const followUp = await followUpHeldHere(ctx, followUpId);
    requireParty(ctx.principal.municipality, followUp.assignment, 'home', 'Completing the follow-up');
    enforce(checkCompleteFollowUp(toFacts(followUp)), 'Completing the follow-up');
    const { count } = await ctx.db.prisma.followUp.updateMany({
      where: { id: followUpId, completedAt: null },
      data: { completedAt: ctx.now, done },
    });
    if (count !== 1)
      enforce(checkCompleteFollowUp({ completedAt: ctx.now.toISOString() }), 'Completing the follow-up');
    return ctx.db.prisma.followUp.findUniqueOrThrow({ where: { id: followUpId } });
  },

  // Rule 11: taken by the caller's own city, whichever party it is, so an alert
  // is never lost because the other city is down; the outbox carries it over.
  raiseChildrenAlert: (_, { assignmentId }, ctx) =>
    callersSide(ctx, assignmentId) === 'home'
      ? raiseAlertAtHome(ctx, assignmentId)
      : raiseReceivedAlert(ctx, assignmentId),

  acknowledgeChildrenAlert: (_, { assignmentId }, ctx) =>
    callersSide(ctx, assignmentId) === 'home'
      ? acknowledgeAlertAtHome(ctx, assignmentId)
      : acknowledgeReceivedAlert(ctx, assignmentId),

  completeAssignment: async (_, { id }, ctx) => {
    const assignment = await heldHere(ctx, id);
    requireParty(ctx.principal.municipality, assignment, 'home', 'Completing the assignment');
    return changeStatus(
      ctx,
      id,
      'COMPLETE',
      (current) => checkComplete(current.status),
      { endedAt: ctx.now, endReason: null },
      'Completing the assignment',
    );
  },

  terminateAssignment: async (_, { id, reason }, ctx) => {
    const assignment = await heldHere(ctx, id);
    requireParty(ctx.principal.municipality, assignment, 'home', 'Terminating the assignment');
    return changeStatus(
      ctx,
      id,
      'TERMINATE',
      (current) => checkTerminate(current.status),
      { endedAt: ctx.now, endReason: reason },
      'Terminating the assignment',
    );
  },
};
