// The home municipality's side of the workflow. Each mutation: authorize →
// load → check the agreement's rules → write in one transaction → tell the
// receiving city what it must know (undoing the write if it cannot be told).
import { badUserInput, forbidden, notFound } from '../../../schema/contract/errors';
import { formatId, parseId } from '../../../schema/contract/ids';
import { isMunicipalityCode } from '../../../schema/contract/municipality';
import type { MutationResolvers } from '../../../schema/generated/casework';
import { enforce, requireParty } from '../../agreement/enforce';
import {
  agreementInForce,
  checkAcknowledgeChildrenAlert,
  checkComplete,
  checkHandlingUnitForRelocation,
  checkCompleteFollowUp,
  checkConfirmParticipation,
  checkPlanConfirmation,
  checkPlanProposal,
  checkProposal,
  checkRaiseChildrenAlert,
  checkScheduleFollowUp,
  checkTerminate,
  checkWithdraw,
} from '../../agreement/rules';
import { dateColumn, dayOf, stockholmDay } from '../../clock';
import type { CityContext } from '../../context';
import { lockFor } from '../../db/locks';
import { callPeer, notifyPeer } from '../../peer/call';
import type { OffersResult } from '../../peer/protocol';
import type { InterventionCategory } from '../../db/generated/client';
import type { AssignmentModel } from './models';

/** An assignment this city holds as home, or NOT_FOUND. */
async function heldHere(ctx: CityContext, id: string): Promise<AssignmentModel> {
  const parsed = parseId(id, 'asg');
  const assignment =
    parsed?.home === ctx.city.code ? await ctx.db.prisma.assignment.findUnique({ where: { id } }) : null;
  if (!assignment) throw notFound('No such assignment', { argument: 'id' });
  ctx.disclosed.add(id);
  return assignment;
}

async function followUpHeldHere(ctx: CityContext, followUpId: string) {
  const parsed = parseId(followUpId, 'fup');
  const followUp =
    parsed?.home === ctx.city.code
      ? await ctx.db.prisma.followUp.findUnique({ where: { id: followUpId }, include: { assignment: true } })
      : null;
  if (!followUp) throw notFound('No such follow-up', { argument: 'followUpId' });
  return followUp;
}

const toFacts = (followUp: { completedAt: Date | null }) => ({
  completedAt: followUp.completedAt?.toISOString() ?? null,
});

/** The newest children alert of an assignment, if any. */
const latestAlert = (ctx: CityContext, assignmentId: string) =>
  ctx.db.prisma.childrenAlert.findFirst({ where: { assignmentId }, orderBy: { raisedAt: 'desc' } });

/** Ends an assignment at home, then tells the receiving city; undone if it cannot be told. */
async function endAssignment(
  ctx: CityContext,
  assignment: AssignmentModel,
  status: 'COMPLETED' | 'TERMINATED',
  endReason: AssignmentModel['endReason'],
) {
  const endedAt = ctx.now;
  const { count } = await ctx.db.prisma.assignment.updateMany({
    where: { id: assignment.id, status: assignment.status },
    data: { status, endedAt, endReason, updatedAt: endedAt },
  });
  if (count !== 1) return enforceAgain(ctx, assignment.id, status);
  try {
    await callPeer(ctx, assignment.receivingMunicipality, {
      kind: 'statusChanged',
      assignmentId: assignment.id,
      status,
      endedOn: stockholmDay(endedAt),
    });
  } catch (error) {
    await ctx.db.prisma.assignment.updateMany({
      where: { id: assignment.id, status, endedAt },
      data: { status: assignment.status, endedAt: null, endReason: null, updatedAt: assignment.updatedAt },
    });
    throw error;
  }
  return ctx.db.prisma.assignment.findUniqueOrThrow({ where: { id: assignment.id } });
}

/** A conditional update found the assignment changed under it: check the rule on what is there now. */
async function enforceAgain(
  ctx: CityContext,
  id: string,
  target: 'COMPLETED' | 'TERMINATED' | 'WITHDRAWN',
): Promise<never> {
  const now = await heldHere(ctx, id);
  const verdict =
    target === 'WITHDRAWN'
      ? checkWithdraw(now.status)
      : target === 'COMPLETED'
        ? checkComplete(now.status)
        : checkTerminate(now.status);
  enforce(verdict, 'Changing the assignment');
  throw new Error(`Assignment ${id} changed concurrently`);
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
    const today = stockholmDay(ctx.now);
    const agreement = agreementInForce(ctx.agreements, home, receiving, today);
    const id = formatId('asg', home, receiving);
    const created = await ctx.db.prisma.$transaction(async (tx) => {
      // Locked before reading, so two proposals cannot both see the case free and the quota open.
      await lockFor(tx, `sending-quota:${home}`);
      const found = await tx.case.findUnique({
        where: { id: input.caseId },
        include: { policeConsultations: true, disclosureBases: true, assignments: true, unit: true },
      });
      if (!found) throw notFound('No such case', { field: 'caseId' });
      const sentInTerm = agreement
        ? await tx.assignment.count({
            where: { agreementId: agreement.id, status: { notIn: ['WITHDRAWN', 'DECLINED'] } },
          })
        : 0;
      enforce(
        [
          ...checkProposal({
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
            openAssignmentForCase: found.assignments.some((a) =>
              ['PROPOSED', 'ACCEPTED', 'ACTIVE'].includes(a.status),
            ),
            sentInTerm,
          }),
          ...checkHandlingUnitForRelocation({
            cityHasCentralUnit: ctx.city.units.some((u) => u.kind === 'CENTRAL_DEFECTOR_UNIT'),
            handlingUnitKind: found.unit.kind,
            threatLevel: found.threatLevel,
            threatSource: found.threatSource,
          }),
        ],
        'Proposing the assignment',
      );
      return tx.assignment.create({
        data: {
          id,
          caseId: found.id,
          homeMunicipality: home,
          receivingMunicipality: receiving,
          status: 'PROPOSED',
          agreementId: agreement!.id,
          proposedAt: ctx.now,
          updatedAt: ctx.now,
        },
      });
    });
    try {
      await callPeer(ctx, receiving, {
        kind: 'assignmentProposed',
        assignmentId: id,
        proposedAt: ctx.now.toISOString(),
        agreementId: created.agreementId!,
      });
    } catch (error) {
      // The receiving city never heard of it: the proposal did not happen.
      await ctx.db.prisma.assignment.deleteMany({ where: { id, status: 'PROPOSED' } });
      throw error;
    }
    return created;
  },

  withdrawAssignment: async (_, { id, reason }, ctx) => {
    const assignment = await heldHere(ctx, id);
    requireParty(ctx.principal.municipality, assignment, 'home', 'Withdrawing the assignment');
    if (!reason.trim()) throw badUserInput('A reason is required', { field: 'reason' });
    enforce(checkWithdraw(assignment.status), 'Withdrawing the assignment');
    const { count } = await ctx.db.prisma.assignment.updateMany({
      where: { id, status: 'PROPOSED' },
      data: {
        status: 'WITHDRAWN',
        withdrawnAt: ctx.now,
        withdrawalReason: reason.trim(),
        updatedAt: ctx.now,
      },
    });
    if (count !== 1) await enforceAgain(ctx, id, 'WITHDRAWN');
    // The receiving city's answer is checked against this status, so telling it is a courtesy.
    await notifyPeer(ctx, assignment.receivingMunicipality, {
      kind: 'statusChanged',
      assignmentId: id,
      status: 'WITHDRAWN',
      endedOn: null,
    });
    return heldHere(ctx, id);
  },

  proposePlan: async (_, { assignmentId, items }, ctx) => {
    const assignment = await heldHere(ctx, assignmentId);
    requireParty(ctx.principal.municipality, assignment, 'home', 'Proposing a plan');
    const { categories } = await callPeer<OffersResult>(ctx, assignment.receivingMunicipality, {
      kind: 'offers',
    });
    enforce(
      checkPlanProposal({
        status: assignment.status,
        offered: categories,
        items: items.map((item) => ({
          category: item.category,
          plannedFrom: item.plannedFrom,
          plannedTo: item.plannedTo,
          extentQuantity: item.extent.quantity,
          estimatedCost: item.estimatedCost,
        })),
      }),
      'Proposing the plan',
    );
    return ctx.db.prisma.$transaction(async (tx) => {
      await lockFor(tx, `plan:${assignmentId}`);
      const current = await tx.assignment.findUniqueOrThrow({ where: { id: assignmentId } });
      // The status may have moved while the receiving city was asked for its offer.
      enforce(checkPlanConfirmation(current.status, true), 'Proposing the plan');
      const last = await tx.planVersion.findFirst({ where: { assignmentId }, orderBy: { version: 'desc' } });
      // An unconfirmed earlier proposal is replaced; a confirmed plan stays in force until this one is agreed.
      await tx.planVersion.updateMany({
        where: { assignmentId, status: 'PROPOSED' },
        data: { status: 'SUPERSEDED' },
      });
      const version = (last?.version ?? 0) + 1;
      await tx.planVersion.create({
        data: {
          id: `${assignmentId}#plan-${version}`,
          assignmentId,
          version,
          status: 'PROPOSED',
          proposedAt: ctx.now,
          items: {
            create: items.map((item) => ({
              id: formatId('item', assignment.homeMunicipality, assignment.receivingMunicipality),
              category: item.category as InterventionCategory,
              plannedFrom: dateColumn(item.plannedFrom),
              plannedTo: dateColumn(item.plannedTo),
              extentQuantity: item.extent.quantity,
              extentUnit: item.extent.unit,
              estimatedCost: item.estimatedCost,
              responsibleUnit: item.responsibleUnit,
            })),
          },
        },
      });
      return tx.assignment.update({ where: { id: assignmentId }, data: { updatedAt: ctx.now } });
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

  raiseChildrenAlert: async (_, { assignmentId }, ctx) => {
    const assignment = await heldHere(ctx, assignmentId);
    requireParty(ctx.principal.municipality, assignment, 'either', 'Raising a children alert');
    return ctx.db.prisma.$transaction(async (tx) => {
      await lockFor(tx, `children-alert:${assignmentId}`);
      const latest = await tx.childrenAlert.findFirst({
        where: { assignmentId },
        orderBy: { raisedAt: 'desc' },
      });
      const open = Boolean(latest && !(latest.acknowledgedByHomeAt && latest.acknowledgedByReceivingAt));
      enforce(checkRaiseChildrenAlert(assignment.status, open), 'Raising the children alert');
      await tx.childrenAlert.create({
        data: {
          id: `${assignmentId}#alert-${ctx.now.getTime()}`,
          assignmentId,
          raisedBy: ctx.principal.municipality,
          raisedAt: ctx.now,
        },
      });
      return tx.assignment.update({ where: { id: assignmentId }, data: { updatedAt: ctx.now } });
    });
  },

  acknowledgeChildrenAlert: async (_, { assignmentId }, ctx) => {
    const assignment = await heldHere(ctx, assignmentId);
    const party = requireParty(
      ctx.principal.municipality,
      assignment,
      'either',
      'Acknowledging the children alert',
    );
    const alert = await latestAlert(ctx, assignmentId);
    enforce(
      checkAcknowledgeChildrenAlert(
        alert && {
          acknowledgedByHome: Boolean(alert.acknowledgedByHomeAt),
          acknowledgedByReceiving: Boolean(alert.acknowledgedByReceivingAt),
        },
        party,
      ),
      'Acknowledging the children alert',
    );
    await ctx.db.prisma.childrenAlert.update({
      where: { id: alert!.id },
      data: party === 'home' ? { acknowledgedByHomeAt: ctx.now } : { acknowledgedByReceivingAt: ctx.now },
    });
    return ctx.db.prisma.assignment.update({ where: { id: assignmentId }, data: { updatedAt: ctx.now } });
  },

  completeAssignment: async (_, { id }, ctx) => {
    const assignment = await heldHere(ctx, id);
    requireParty(ctx.principal.municipality, assignment, 'home', 'Completing the assignment');
    enforce(checkComplete(assignment.status), 'Completing the assignment');
    return endAssignment(ctx, assignment, 'COMPLETED', null);
  },

  terminateAssignment: async (_, { id, reason }, ctx) => {
    const assignment = await heldHere(ctx, id);
    requireParty(ctx.principal.municipality, assignment, 'home', 'Terminating the assignment');
    enforce(checkTerminate(assignment.status), 'Terminating the assignment');
    return endAssignment(ctx, assignment, 'TERMINATED', reason);
  },
};
