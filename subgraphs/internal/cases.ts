// Loading and changing cases inside a transaction. Every change to a case
// goes through changeOpenCase: one conditional UPDATE that refuses a closed
// case, bumps updatedAt and holds the row lock until the transaction ends, so
// a concurrent closeCase cannot slip in between the check and the write.
import { conflict, notFound } from '../../schema/contract/errors';
import { dayOf } from '../clock';
import type { Prisma } from '../db/generated/client';
import type { CaseModel, DisclosureBasisModel } from './models';
import { CASE_CLOSED } from './ruleCodes';

export type Tx = Prisma.TransactionClient;

const caseNotFound = (caseId: string) => notFound(`No case with id ${caseId}`, { caseId });
const caseClosed = (found: CaseModel) =>
  conflict(
    `Case ${found.id} was closed at ${found.closedAt?.toISOString() ?? 'an unknown time'}; a closed case cannot be changed`,
    [CASE_CLOSED],
    { caseId: found.id },
  );

export async function requireCase(tx: Tx, caseId: string): Promise<CaseModel> {
  const found = await tx.case.findUnique({ where: { id: caseId } });
  if (!found) throw caseNotFound(caseId);
  return found;
}

export async function requireOpenCase(tx: Tx, caseId: string): Promise<CaseModel> {
  const found = await requireCase(tx, caseId);
  if (found.closedAt) throw caseClosed(found);
  return found;
}

/** Applies `data` to the case if it is open (NOT_FOUND / CASE_CLOSED otherwise); bumps updatedAt. */
export async function changeOpenCase(
  tx: Tx,
  caseId: string,
  data: Prisma.CaseUncheckedUpdateManyInput = {},
  now: Date,
): Promise<CaseModel> {
  const { count } = await tx.case.updateMany({
    where: { id: caseId, closedAt: null },
    data: { ...data, updatedAt: now },
  });
  if (count === 0) throw caseClosed(await requireCase(tx, caseId));
  return tx.case.findUniqueOrThrow({ where: { id: caseId } });
}

/** The threat picture, once assessed with its structured facts. */
export function threatOf(c: CaseModel) {
  return c.threatLevel && c.threatAssessedByPolice !== null && c.threatAssessedOn && c.threatAssessedAt
    ? {
        level: c.threatLevel,
        assessedByPolice: c.threatAssessedByPolice,
        assessedOn: dayOf(c.threatAssessedOn),
        source: c.threatSource,
        assessedAt: c.threatAssessedAt,
      }
    : null;
}

/** The motivation assessment, once made. */
export function motivationOf(c: CaseModel) {
  return c.motivated !== null && c.motivationAssessment !== null && c.motivationAssessedAt
    ? { motivated: c.motivated, assessment: c.motivationAssessment, assessedAt: c.motivationAssessedAt }
    : null;
}

/** Rule 4: started, not ended and not withdrawn on `today` (YYYY-MM-DD, Europe/Stockholm). */
export function inForce(basis: DisclosureBasisModel, today: string): boolean {
  if (basis.withdrawnAt) return false;
  if (dayOf(basis.validFrom) > today) return false;
  return basis.validTo === null || today <= dayOf(basis.validTo);
}
