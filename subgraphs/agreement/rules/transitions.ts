// The assignment's lifecycle:
//
//   PROPOSED ──WITHDRAW──▶ WITHDRAWN          (home takes the proposal back)
//   PROPOSED ──DECLINE───▶ DECLINED           (receiving says no)
//   PROPOSED ──ACCEPT────▶ ACCEPTED           (receiving says yes)
//   ACCEPTED ──DECIDE_PLAN──▶ ACTIVE          (home decides the plan after samråd)
//   ACTIVE   ──DECIDE_PLAN──▶ ACTIVE          (a revised plan)
//   ACTIVE   ──COMPLETE──▶ COMPLETED
//   ACCEPTED | ACTIVE ──TERMINATE──▶ TERMINATED
//
// The check* functions give the verdict with the rule codes; statusAfter is
// the transition itself and throws on anything the diagram does not allow.
import { checkQuota, type QuotaFacts } from './quotas';
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
  'DECIDE_PLAN',
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

export const DECLINE_REASONS = ['NO_CAPACITY', 'NOT_SUITABLE', 'SAFETY', 'OTHER'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/**
 * The statuses a rule's predicate holds for: how database filters ask the
 * rule (`status: { in: statusesWhere(isOpen) }`) instead of listing statuses again.
 */
export function statusesWhere(predicate: (status: AssignmentStatus) => boolean): AssignmentStatus[] {
  return ASSIGNMENT_STATUSES.filter(predicate);
}

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

/** The receiving municipality accepts or declines a proposal, once, while the term runs. */
export function checkRespond(facts: {
  status: AssignmentStatus;
  alreadyResponded: boolean;
  decision: ResponseDecision;
  /** Rule 1: no new answers once the agreement's term has ended. */
  agreementEnded: boolean;
  /** Rule 9, for accepting: the receiving quota. Declining is always possible. */
  quota: Omit<QuotaFacts, 'direction'> | null;
}): Verdict {
  const verdict = notProposed(facts.status);
  if (facts.alreadyResponded) {
    verdict.push(violation('ALREADY_RESPONDED', 'The receiving municipality has already responded.'));
  }
  // Nothing new starts after the term: accepting would start an assignment, declining starts nothing.
  if (facts.agreementEnded && facts.decision === 'ACCEPT') {
    verdict.push(violation('AGREEMENT_ENDED', "The agreement's term has ended: nothing new is accepted."));
  }
  if (facts.decision === 'ACCEPT' && facts.quota) {
    verdict.push(...checkQuota({ ...facts.quota, direction: 'receiving' }));
  }
  return verdict;
}

/**
 * The home city applies the receiving municipality's answer: it must still be
 * a proposal (a withdrawal may have crossed the answer on its way).
 */
export function checkApplyResponse(status: AssignmentStatus): Verdict {
  return notProposed(status);
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

/**
 * What the receiving city counts against its quota: its own answer applied to
 * the home city's status as it last heard it (an accepted proposal counts at
 * once, before the home city has confirmed; a withdrawn one never does).
 */
export function receivingStatus(
  homeStatus: AssignmentStatus,
  response: ResponseDecision | null,
): AssignmentStatus {
  if (homeStatus !== 'PROPOSED' || response === null) return homeStatus;
  return statusAfter('PROPOSED', response);
}

/** Whether `to` can follow `from` by events of the lifecycle (itself included). */
export function isReachable(from: AssignmentStatus, to: AssignmentStatus): boolean {
  const seen = new Set<AssignmentStatus>([from]);
  const queue: AssignmentStatus[] = [from];
  while (queue.length > 0) {
    const status = queue.shift()!;
    for (const event of ASSIGNMENT_EVENTS) {
      const next = nextStatus(status, event);
      if (next && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen.has(to);
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

/** The status after an event, or null where the lifecycle has no such edge. */
function nextStatus(status: AssignmentStatus, event: AssignmentEvent): AssignmentStatus | null {
  switch (event) {
    case 'WITHDRAW':
      return status === 'PROPOSED' ? 'WITHDRAWN' : null;
    case 'ACCEPT':
      return status === 'PROPOSED' ? 'ACCEPTED' : null;
    case 'DECLINE':
      return status === 'PROPOSED' ? 'DECLINED' : null;
    case 'DECIDE_PLAN':
      // From ACTIVE this is a revised plan; the assignment stays ACTIVE.
      return isOngoing(status) ? 'ACTIVE' : null;
    case 'COMPLETE':
      return status === 'ACTIVE' ? 'COMPLETED' : null;
    case 'TERMINATE':
      return isOngoing(status) ? 'TERMINATED' : null;
    default:
      return assertNever(event);
  }
}

/** The status after an event; throws IllegalTransitionError where the lifecycle has no such edge. */
export function statusAfter(status: AssignmentStatus, event: AssignmentEvent): AssignmentStatus {
  const next = nextStatus(status, event);
  if (next === null) throw new IllegalTransitionError(status, event);
  return next;
}

/** A transition's verdict: the event must be an edge of the lifecycle from `status`. */
export function checkTransition(status: AssignmentStatus, event: AssignmentEvent): Verdict {
  return nextStatus(status, event)
    ? []
    : [violation('ILLEGAL_TRANSITION', `An assignment that is ${status} cannot ${event}.`)];
}
