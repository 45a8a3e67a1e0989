// Fast answers (002_: the window of motivation is short). A proposal has an
// answer deadline, counted in Swedish working days from the day it reached
// the receiving municipality; a proposal still unanswered after it is overdue.
import type { AgreementRecord } from '../../../schema/contract/agreements';
import type { AssignmentStatus } from './transitions';
import { addWorkingDays } from './workingDays';

export function answerDueOn(agreement: AgreementRecord, proposedOn: string): string {
  return addWorkingDays(proposedOn, agreement.answerDeadlineWorkingDays);
}

export function isOverdue(status: AssignmentStatus, answerDueOn: string | null, today: string): boolean {
  return status === 'PROPOSED' && answerDueOn !== null && answerDueOn < today;
}
