// Rule 9, counted where the receiving city keeps its side of the assignments:
// its own answer counts at once, before the home city has confirmed it.
import {
  ASSIGNMENT_STATUSES,
  countsAgainstReceivingQuota,
  receivingStatus,
  type ResponseDecision,
} from '../../agreement/rules';
import { dateColumn } from '../../clock';
import type { Prisma, PrismaClient } from '../../db/generated/client';

type Reader = PrismaClient | Prisma.TransactionClient;

const RESPONSES: (ResponseDecision | null)[] = [null, 'ACCEPT', 'DECLINE'];

/** The (status, answer) pairs the rule counts: a database filter built from the rule. */
const COUNTED: Prisma.IncomingAssignmentWhereInput[] = ASSIGNMENT_STATUSES.flatMap((status) =>
  RESPONSES.filter((response) => countsAgainstReceivingQuota(receivingStatus(status, response))).map(
    (response) => ({ status, response }),
  ),
);

/** The assignments received under an agreement that count against the receiving quota. */
export const countReceivedAgainstQuota = (db: Reader, agreementId: string) =>
  db.incomingAssignment.count({ where: { agreementId, OR: COUNTED } });

/** Proposals to this city still unanswered after their deadline (the deadline passed before today). */
export const countOverdue = (db: Reader, today: string) =>
  db.incomingAssignment.count({
    where: { status: 'PROPOSED', response: null, answerDueOn: { lt: dateColumn(today) } },
  });
