// The assignment's lifecycle:
//
//   PROPOSED ──WITHDRAW──▶ WITHDRAWN          (home takes the proposal back)
//   PROPOSED ──DECLINE───▶ DECLINED           (receiving says no)
//   PROPOSED ──ACCEPT────▶ ACCEPTED           (receiving says yes)
//   ACCEPTED ──CONFIRM_PLAN──▶ ACTIVE         (plan decided after samråd)
//   ACTIVE   ──CONFIRM_PLAN──▶ ACTIVE         (a revised plan)
//   ACTIVE   ──COMPLETE──▶ COMPLETED
//   ACCEPTED | ACTIVE ──TERMINATE──▶ TERMINATED
//
// The check* functions give the verdict with the rule codes; statusAfter is
// the transition itself and throws on anything the diagram does not allow.
import { assertNever, violation, type Verdict } from './verdict';

export const ASSIGNMENT_STATUSES = [
  'PROPOSED',
  'DECLINED',
  'WITHDRAWN',
  'ACCEPTED',
  'ACTIVE',
  'COMPLETED',
  'TERMINATED',
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export const ASSIGNMENT_EVENTS = [
  'WITHDRAW',
  'ACCEPT',
  'DECLINE',
  'CONFIRM_PLAN',
  'COMPLETE',
  'TERMINATE',
] as const;
export type AssignmentEvent = (typeof ASSIGNMENT_EVENTS)[number];

export const TERMINATION_REASONS = [
  'RELAPSE',
  'MOVED',
  'CONSENT_WITHDRAWN',
  'THREAT_CHANGED',
  'CHILDREN',
  'OTHER',
] as const;
export type TerminationReason = (typeof TERMINATION_REASONS)[number];

export type ResponseDecision = 'ACCEPT' | 'DECLINE';

/** Still running in some form: proposed, accepted or active. */
export function isOpen(status: AssignmentStatus): boolean {
  switch (status) {
    case 'PROPOSED':
    case 'ACCEPTED':
    case 'ACTIVE':
      return true;
    case 'DECLINED':
    case 'WITHDRAWN':
    case 'COMPLETED':
    case 'TERMINATED':
      return false;
    default:
      return assertNever(status);
  }
}

/** Accepted and not yet ended: the parties are working on it. */
export function isOngoing(status: AssignmentStatus): boolean {
  return status === 'ACCEPTED' || status === 'ACTIVE';
}

/** Rule 9: a proposal uses the home's sending quota unless it was withdrawn or declined. */
export function countsAgainstSendingQuota(status: AssignmentStatus): boolean {
  switch (status) {
    case 'PROPOSED':
    case 'ACCEPTED':
    case 'ACTIVE':
    case 'COMPLETED':
    case 'TERMINATED':
      return true;
    case 'DECLINED':
    case 'WITHDRAWN':
      return false;
    default:
      return assertNever(status);
  }
}

/** Rule 9: an assignment uses the receiver's quota once accepted, also after it ends. */
export function countsAgainstReceivingQuota(status: AssignmentStatus): boolean {
  switch (status) {
    case 'ACCEPTED':
    case 'ACTIVE':
    case 'COMPLETED':
    case 'TERMINATED':
      return true;
    case 'PROPOSED':
    case 'DECLINED':
    case 'WITHDRAWN':
      return false;
    default:
      return assertNever(status);
  }
}

function notProposed(status: AssignmentStatus): Verdict {
  return status === 'PROPOSED'
    ? []
    : [violation('ASSIGNMENT_NOT_PROPOSED', `The assignment is ${status}, not PROPOSED.`)];
}

/** The home municipality takes back a proposal nobody has answered. */
export function checkWithdraw(status: AssignmentStatus): Verdict {
  return notProposed(status);
}

/** The receiving municipality accepts or declines a proposal, once. */
export function checkRespond(
  status: AssignmentStatus,
  alreadyResponded: boolean,
  decision: ResponseDecision,
  acceptedInTerm: number,
  receivingQuota: number,
): Verdict {
  const verdict = notProposed(status);
  if (alreadyResponded) {
    verdict.push(violation('ALREADY_RESPONDED', 'The receiving municipality has already responded.'));
  }
  // Rule 9: each party receives at most its quota in the term; declining is always possible.
  if (decision === 'ACCEPT' && acceptedInTerm >= receivingQuota) {
    verdict.push(
      violation(
        'RECEIVING_QUOTA_EXCEEDED',
        `The receiving municipality has already accepted ${acceptedInTerm} of its ${receivingQuota} assignments in this term.`,
      ),
    );
  }
  return verdict;
}

export function checkComplete(status: AssignmentStatus): Verdict {
  return status === 'ACTIVE'
    ? []
    : [violation('ASSIGNMENT_NOT_ACTIVE', `The assignment is ${status}, not ACTIVE.`)];
}

export function checkTerminate(status: AssignmentStatus): Verdict {
  return isOngoing(status)
    ? []
    : [violation('ASSIGNMENT_NOT_ONGOING', `The assignment is ${status}, not ACCEPTED or ACTIVE.`)];
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly status: AssignmentStatus,
    readonly event: AssignmentEvent,
  ) {
    super(`An assignment that is ${status} cannot ${event}.`);
    this.name = 'IllegalTransitionError';
  }
}

/** The status after an event; throws IllegalTransitionError where the lifecycle has no such edge. */
export function statusAfter(status: AssignmentStatus, event: AssignmentEvent): AssignmentStatus {
  const next = ((): AssignmentStatus | null => {
    switch (event) {
      case 'WITHDRAW':
        return status === 'PROPOSED' ? 'WITHDRAWN' : null;
      case 'ACCEPT':
        return status === 'PROPOSED' ? 'ACCEPTED' : null;
      case 'DECLINE':
        return status === 'PROPOSED' ? 'DECLINED' : null;
      case 'CONFIRM_PLAN':
        // From ACTIVE this is a revised plan; the assignment stays ACTIVE.
        return isOngoing(status) ? 'ACTIVE' : null;
      case 'COMPLETE':
        return status === 'ACTIVE' ? 'COMPLETED' : null;
      case 'TERMINATE':
        return isOngoing(status) ? 'TERMINATED' : null;
      default:
        return assertNever(event);
    }
  })();
  if (next === null) throw new IllegalTransitionError(status, event);
  return next;
}
