// Ending an assignment early is the home municipality's decision; the
// receiving municipality may ask for it, saying why (rule 10: it takes active
// part in the follow-up the home municipality leads).
import { isOngoing, type AssignmentStatus } from './transitions';
import { violation, type Verdict } from './verdict';

export function checkRequestTermination(status: AssignmentStatus, alreadyRequested: boolean): Verdict {
  const verdict: Verdict = [];
  if (!isOngoing(status)) {
    verdict.push(violation('ASSIGNMENT_NOT_ONGOING', `The assignment is ${status}, not ACCEPTED or ACTIVE.`));
  }
  if (alreadyRequested) {
    verdict.push(
      violation('TERMINATION_ALREADY_REQUESTED', 'Ending the assignment has already been asked for.'),
    );
  }
  return verdict;
}
