// Demo data for a city, written on first start. Idempotent: rows that exist
// are left alone, so restarts and repeated seeding change nothing.
import { parseId } from '../../schema/contract/ids';
import { AGREEMENTS, type AgreementRecord } from '../../schema/contract/agreements';
import { agreementInForce } from '../agreement/rules';
import type { CityConfig } from '../city';
import { traceIdOf } from '../../runtime/trace';
import { writeOutbox } from '../peer/outbox';
import { Prisma, type PrismaClient } from './generated/client';

const ANSWERED = new Set(['DECLINED', 'ACCEPTED', 'ACTIVE', 'COMPLETED', 'TERMINATED']);
const ENDED = new Set(['COMPLETED', 'TERMINATED']);

const day = (date: string) => new Date(`${date}T00:00:00.000Z`);

function partiesOf(id: string) {
  const parsed = parseId(id, 'asg');
  if (!parsed) throw new Error(`Demo data has a malformed assignment id: ${id}`);
  return parsed;
}

/** Writes the city's units (always) and its demo data (when it has any). */
export async function seedCity(
  prisma: PrismaClient,
  city: CityConfig,
  withDemo: boolean,
  agreements: readonly AgreementRecord[] = AGREEMENTS,
): Promise<void> {
  const demo = withDemo ? city.demo : undefined;
  await prisma.$transaction(async (tx) => {
    // Units first without successors, then link merges: successors may come later in the list.
    await tx.unit.createMany({
      data: city.units.map(({ id, name, kind }) => ({ id, name, kind })),
      skipDuplicates: true,
    });
    for (const unit of city.units.filter((u) => u.mergedInto)) {
      await tx.unit.update({
        where: { id: unit.id },
        data: { successorId: unit.mergedInto, mergedAt: unit.mergedAt ? new Date(unit.mergedAt) : null },
      });
    }
    if (!demo) return;
    await tx.case.createMany({
      data: demo.cases.map((c) => ({ ...c, openedAt: new Date(c.openedAt) })),
      skipDuplicates: true,
    });
    await tx.assignment.createMany({
      data: demo.outgoing.map((a) => ({
        id: a.id,
        caseId: a.caseId,
        homeMunicipality: city.code,
        receivingMunicipality: partiesOf(a.id).receiving,
        status: a.status,
        agreementId:
          agreementInForce(agreements, city.code, partiesOf(a.id).receiving, a.proposedAt.slice(0, 10))?.id ??
          null,
        proposedAt: new Date(a.proposedAt),
        updatedAt: new Date(a.updatedAt),
        respondedAt: ANSWERED.has(a.status) ? new Date(a.proposedAt) : null,
        declineReason: a.status === 'DECLINED' ? ('OTHER' as const) : null,
        endedAt: ENDED.has(a.status) ? new Date(a.updatedAt) : null,
        endReason: a.status === 'TERMINATED' ? ('OTHER' as const) : null,
      })),
      skipDuplicates: true,
    });
    // Each demo assignment was proposed on the person's consent to its receiving municipality (rule 4).
    await tx.disclosureBasis.createMany({
      data: demo.outgoing.map((a) => ({
        id: `basis-${a.id}`,
        caseId: a.caseId,
        recipientMunicipality: partiesOf(a.id).receiving,
        kind: 'CONSENT' as const,
        scope: 'Uppdrag, genomförandeplan, uppföljning och kostnader',
        validFrom: day(a.proposedAt.slice(0, 10)),
      })),
      skipDuplicates: true,
    });
    const plans = demo.outgoing.flatMap((a) => a.plans.map((p) => ({ ...p, assignmentId: a.id })));
    await tx.planVersion.createMany({
      data: plans.map((p) => ({
        id: `${p.assignmentId}#plan-${p.version}`,
        assignmentId: p.assignmentId,
        version: p.version,
        status: p.status,
        proposedAt: new Date(p.proposedAt),
        consultedAt: p.decidedAt ? new Date(p.decidedAt) : null,
        decidedAt: p.decidedAt ? new Date(p.decidedAt) : null,
      })),
      skipDuplicates: true,
    });
    await tx.planItem.createMany({
      data: plans.flatMap((p) =>
        p.items.map((item) => ({
          id: item.id,
          planVersionId: `${p.assignmentId}#plan-${p.version}`,
          category: item.category,
          plannedFrom: day(item.plannedFrom),
          plannedTo: day(item.plannedTo),
          extentQuantity: item.extent.quantity,
          extentUnit: item.extent.unit,
          estimatedCost: item.estimatedCost,
          // A decided plan was answered and decided in full in the demo.
          consultation: p.status === 'PROPOSED' ? null : ('CAN_DELIVER' as const),
          decided: p.status !== 'PROPOSED',
        })),
      ),
      skipDuplicates: true,
    });
    await tx.incomingAssignment.createMany({
      data: demo.incoming.map((a) => ({
        id: a.id,
        homeMunicipality: partiesOf(a.id).home,
        receivingMunicipality: city.code,
        agreementId:
          agreementInForce(agreements, partiesOf(a.id).home, city.code, a.receivedAt.slice(0, 10))?.id ??
          null,
        receivedAt: new Date(a.receivedAt),
        updatedAt: new Date(a.updatedAt),
        status: a.status,
        response:
          a.status === 'DECLINED'
            ? ('DECLINE' as const)
            : ANSWERED.has(a.status)
              ? ('ACCEPT' as const)
              : null,
        declineReason: a.status === 'DECLINED' ? ('OTHER' as const) : null,
        respondedAt: ANSWERED.has(a.status) ? new Date(a.receivedAt) : null,
        endedOn: ENDED.has(a.status) ? day(a.updatedAt.slice(0, 10)) : null,
      })),
      skipDuplicates: true,
    });
    await tx.receivedPlanItem.createMany({
      data: demo.incoming.flatMap((a) =>
        a.agreedItems.map((item) => ({
          id: item.id,
          assignmentId: a.id,
          planVersion: item.planVersion,
          status: 'AGREED' as const,
          category: item.category,
          plannedFrom: day(item.plannedFrom),
          plannedTo: day(item.plannedTo),
          extentQuantity: item.extent.quantity,
          extentUnit: item.extent.unit,
          estimatedCost: item.estimatedCost,
          consultation: 'CAN_DELIVER' as const,
        })),
      ),
      skipDuplicates: true,
    });
    const costs = demo.incoming.flatMap((a) => a.costs.map((c) => ({ ...c, assignmentId: a.id })));
    const booked = new Set(
      (
        await tx.costEntry.findMany({ where: { id: { in: costs.map((c) => c.id) } }, select: { id: true } })
      ).map((c) => c.id),
    );
    const unbooked = costs.filter((c) => !booked.has(c.id));
    await tx.costEntry.createMany({
      data: unbooked.map((c) => ({
        ...c,
        reimbursed: c.reimbursed ?? '0',
        date: day(c.date),
        idempotencyKey: `demo:${c.id}`,
      })),
    });
    // Reported to the home city as any booking is, so its copy holds them as soon as it answers.
    await writeOutbox(
      tx,
      { now: new Date(), principal: null, traceId: traceIdOf(undefined) },
      unbooked.map((c) => ({
        to: partiesOf(c.assignmentId).home,
        message: {
          kind: 'costReported' as const,
          assignmentId: c.assignmentId,
          costId: c.id,
          planItemId: c.planItemId,
          category: c.category,
          date: c.date,
          gross: new Prisma.Decimal(c.amount).toFixed(2),
          reimbursed: new Prisma.Decimal(c.reimbursed ?? '0').toFixed(2),
          reimbursementSource: null,
        },
      })),
    );
  });
}
