// The internal API's reads of the full case record: one statement per list,
// however many cases.
import { batched, byKey, groupByKey } from '../db/batching';
import type { PrismaClient } from '../db/generated/client';
import type { DisclosureBasisModel, JournalNoteModel, PoliceConsultationModel, UnitModel } from './models';

export function internalLoaders(prisma: PrismaClient) {
  return {
    unit: batched<string, UnitModel | null>('unit', async (ids) =>
      byKey(ids, await prisma.unit.findMany({ where: { id: { in: [...ids] } } }), (u) => u.id),
    ),
    disclosureBases: batched<string, DisclosureBasisModel[]>('disclosureBases', async (caseIds) =>
      groupByKey(
        caseIds,
        await prisma.disclosureBasis.findMany({
          where: { caseId: { in: [...caseIds] } },
          orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }],
        }),
        (b) => b.caseId,
      ),
    ),
    policeConsultations: batched<string, PoliceConsultationModel[]>('policeConsultations', async (caseIds) =>
      groupByKey(
        caseIds,
        await prisma.policeConsultation.findMany({
          where: { caseId: { in: [...caseIds] } },
          orderBy: [{ date: 'asc' }, { recordedAt: 'asc' }, { id: 'asc' }],
        }),
        (c) => c.caseId,
      ),
    ),
    notes: batched<string, JournalNoteModel[]>('notes', async (caseIds) =>
      groupByKey(
        caseIds,
        await prisma.journalNote.findMany({
          where: { caseId: { in: [...caseIds] } },
          orderBy: [{ writtenAt: 'desc' }, { id: 'desc' }],
        }),
        (n) => n.caseId,
      ),
    ),
  };
}

export type InternalLoaders = ReturnType<typeof internalLoaders>;
