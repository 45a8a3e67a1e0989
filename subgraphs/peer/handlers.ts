// What a city does when another city tells it something. Each handler checks
// that the sender is the party entitled to say it, and applies it in one
// transaction; conditional updates make a late or repeated message harmless.
import { Prisma } from '../db/generated/client';
import { parseId } from '../../schema/contract/ids';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import { isWithin } from '../agreement/rules';
import type { CityConfig } from '../city';
import { disclosureState } from '../agreement/disclosure';
import { lockFor } from '../db/locks';
import { dateColumn, dayOf, stockholmDay } from '../clock';
import type { CityDatabase } from '../db/database';
import type { AgreedItem, OffersResult, PeerMessage, PeerReply, PlanConfirmedResult } from './protocol';

export interface PeerContext {
  city: CityConfig;
  db: CityDatabase;
  sender: MunicipalityCode;
}

const refused = (message: string, rules: string[] = []): PeerReply => ({
  ok: false,
  code: 'CONFLICT',
  message,
  rules,
});
const forbidden = (message: string): PeerReply => ({ ok: false, code: 'FORBIDDEN', message });

/** The assignment a message names, if the sender and this city are its parties in the expected roles. */
function parties(ctx: PeerContext, assignmentId: string, senderRole: 'home' | 'receiving') {
  const id = parseId(assignmentId, 'asg');
  if (!id) return null;
  const [sender, here] = senderRole === 'home' ? [id.home, id.receiving] : [id.receiving, id.home];
  return sender === ctx.sender && here === ctx.city.code ? id : null;
}

export async function handlePeerMessage(ctx: PeerContext, message: PeerMessage): Promise<PeerReply> {
  const { prisma } = ctx.db;
  switch (message.kind) {
    case 'assignmentProposed': {
      const id = parties(ctx, message.assignmentId, 'home');
      if (!id) return forbidden('Only the home municipality may propose to this city');
      const at = new Date(message.proposedAt);
      await prisma.incomingAssignment.upsert({
        where: { id: message.assignmentId },
        create: {
          id: message.assignmentId,
          homeMunicipality: id.home,
          receivingMunicipality: id.receiving,
          receivedAt: at,
          updatedAt: at,
          status: 'PROPOSED',
          agreementId: message.agreementId,
        },
        update: {},
      });
      return { ok: true };
    }
    case 'responseGiven': {
      if (!parties(ctx, message.assignmentId, 'receiving'))
        return forbidden('Only the receiving municipality may answer');
      const status = message.decision === 'ACCEPT' ? 'ACCEPTED' : 'DECLINED';
      const at = new Date(message.respondedAt);
      const { count } = await prisma.assignment.updateMany({
        where: { id: message.assignmentId, status: 'PROPOSED' },
        data: { status, respondedAt: at, updatedAt: at },
      });
      if (count === 1) return { ok: true };
      return refused('The assignment is no longer waiting for an answer', ['ASSIGNMENT_NOT_PROPOSED']);
    }
    case 'statusChanged': {
      if (!parties(ctx, message.assignmentId, 'home'))
        return forbidden('Only the home municipality owns the status');
      await prisma.incomingAssignment.updateMany({
        where: { id: message.assignmentId },
        data: {
          status: message.status,
          endedOn: message.endedOn ? dateColumn(message.endedOn) : null,
          updatedAt: new Date(),
        },
      });
      return { ok: true };
    }
    case 'planConfirmed':
      return confirmPlanAtHome(ctx, message.assignmentId, new Date(message.confirmedAt));
    case 'offers': {
      const result: OffersResult = { categories: ctx.city.offers.map((o) => o.category) };
      return { ok: true, result };
    }
    case 'costsBorne': {
      // Only the counterparty itself may ask what this city bore for its assignments.
      if (message.counterparty !== ctx.sender)
        return forbidden('A city may only ask about its own assignments');
      const entries = await prisma.costEntry.findMany({
        where: {
          assignment: { homeMunicipality: message.counterparty, agreementId: message.agreementId },
          date: { gte: dateColumn(message.from), lte: dateColumn(message.to) },
        },
        select: { amount: true, date: true },
      });
      const total = entries
        .filter((e) => isWithin(dayOf(e.date), message.from, message.to))
        .reduce((sum, e) => sum.plus(e.amount), new Prisma.Decimal(0));
      return { ok: true, result: { amount: total.toFixed(2) } };
    }
    default: {
      const unknown: never = message;
      return { ok: false, code: 'BAD_USER_INPUT', message: `Unknown message ${JSON.stringify(unknown)}` };
    }
  }
}

/** Rule: the receiving municipality agrees the plan the home municipality proposed. */
async function confirmPlanAtHome(ctx: PeerContext, assignmentId: string, at: Date): Promise<PeerReply> {
  if (!parties(ctx, assignmentId, 'receiving'))
    return forbidden('Only the receiving municipality may confirm the plan');
  return ctx.db.prisma.$transaction(async (tx) => {
    // One plan decision at a time per assignment: two confirmations cannot both take the same version.
    await lockFor(tx, `plan:${assignmentId}`);
    const assignment = await tx.assignment.findUnique({
      where: { id: assignmentId },
      include: { case: { select: { disclosureBases: true } } },
    });
    if (!assignment || (assignment.status !== 'ACCEPTED' && assignment.status !== 'ACTIVE')) {
      return refused('Only an accepted assignment can have its plan agreed', ['ASSIGNMENT_NOT_ACCEPTED']);
    }
    // Rule 4: the plan's items are disclosed to the receiving city only on a basis in force.
    if (
      !disclosureState(assignment.case.disclosureBases, assignment.receivingMunicipality, stockholmDay(at))
        .basisInForce
    ) {
      return refused('No consent or legal basis for disclosing the plan is in force', [
        'DISCLOSURE_BASIS_MISSING',
      ]);
    }
    const proposed = await tx.planVersion.findFirst({
      where: { assignmentId, status: 'PROPOSED' },
      orderBy: { version: 'desc' },
      include: { items: true },
    });
    if (!proposed) return refused('There is no proposed plan to confirm', ['NO_PROPOSED_PLAN']);
    await tx.planVersion.updateMany({
      where: { assignmentId, status: 'CONFIRMED' },
      data: { status: 'SUPERSEDED' },
    });
    await tx.planVersion.update({
      where: { id: proposed.id },
      data: { status: 'CONFIRMED', confirmedAt: at },
    });
    const updated = await tx.assignment.update({
      where: { id: assignmentId },
      data: { status: 'ACTIVE', updatedAt: at },
    });
    const items: AgreedItem[] = proposed.items.map((item) => ({
      id: item.id,
      planVersion: proposed.version,
      category: item.category,
      plannedFrom: dayOf(item.plannedFrom),
      plannedTo: dayOf(item.plannedTo),
      estimatedCost: item.estimatedCost.toFixed(2),
    }));
    const result: PlanConfirmedResult = { status: updated.status, items };
    return { ok: true, result };
  });
}
