// What the casework role tells the rest of the city about the assignments it
// sent as home municipality, for figures counted by the execution role.
import { countsAgainstSendingQuota, statusesWhere } from '../../agreement/rules';
import type { Prisma, PrismaClient } from '../../db/generated/client';

type Reader = PrismaClient | Prisma.TransactionClient;

/** Rule 9: the assignments sent under an agreement that count against the home's sending quota. */
export const countSentAgainstQuota = (db: Reader, agreementId: string) =>
  db.assignment.count({
    where: { agreementId, status: { in: statusesWhere(countsAgainstSendingQuota) } },
  });

/** Every assignment sent under an agreement: the facts the joint figures count. */
export const sentUnder = (db: Reader, agreementId: string) =>
  db.assignment.findMany({
    where: { agreementId },
    select: {
      receivingMunicipality: true,
      status: true,
      proposedAt: true,
      endedAt: true,
      beyondAimReason: true,
    },
  });

/** Rule 9: the assignments sent under an agreement beyond its aim, with a stated reason. */
export const countSentBeyondAim = (db: Reader, agreementId: string) =>
  db.assignment.count({ where: { agreementId, beyondAimReason: { not: null } } });
