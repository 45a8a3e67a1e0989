// Follow-up (uppföljning), rule 10: the home municipality schedules and leads
// it; the receiving municipality takes active part. Only milestones (dates,
// done or not) cross city lines, never their content.
import { isOngoing, type AssignmentStatus } from './transitions';
import { violation, type Verdict } from './verdict';

export interface FollowUpFacts {
  completedAt: string | null;
}

export function checkScheduleFollowUp(status: AssignmentStatus, date: string, today: string): Verdict {
  const verdict: Verdict = [];
  if (!isOngoing(status)) {
    verdict.push(violation('ASSIGNMENT_NOT_ONGOING', `The assignment is ${status}, not ACCEPTED or ACTIVE.`));
  }
  if (date < today) {
    verdict.push(
      violation('FOLLOW_UP_DATE_IN_PAST', `The follow-up date ${date} is before today, ${today}.`),
    );
  }
  return verdict;
}

function openFollowUp(followUp: FollowUpFacts | null): Verdict {
  if (followUp === null) return [violation('FOLLOW_UP_NOT_FOUND', 'There is no such follow-up.')];
  if (followUp.completedAt !== null) {
    return [
      violation('FOLLOW_UP_ALREADY_COMPLETED', `The follow-up was completed at ${followUp.completedAt}.`),
    ];
  }
  return [];
}

/** The receiving municipality confirms it takes part in a scheduled follow-up. */
export function checkConfirmParticipation(followUp: FollowUpFacts | null): Verdict {
  return openFollowUp(followUp);
}

/** The home municipality records a follow-up as done. */
export function checkCompleteFollowUp(followUp: FollowUpFacts | null): Verdict {
  return openFollowUp(followUp);
}
