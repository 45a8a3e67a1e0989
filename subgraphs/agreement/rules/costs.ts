// Delivery and costs: rules 7 and 8. The receiving municipality bears the
// costs of the interventions in the agreed plan (inom ramen för 6 §), so a
// cost must belong to an agreed plan item and fall within its planned period.
import { isPositiveAmount, parseAmount } from './amounts';
import { isIsoDate } from '../../../schema/contract/dates';
import type { AssignmentStatus } from './transitions';
import { violation, type Verdict } from './verdict';

export const DELIVERY_STATUSES = ['NOT_STARTED', 'ONGOING', 'DELIVERED', 'CANCELLED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface CostFacts {
  status: AssignmentStatus;
  /** The plan item the cost is for; null when it is not an item of the agreed plan. */
  item: { plannedFrom: string; plannedTo: string } | null;
  /** Decimal string, SEK, at most two decimals. */
  amount: string;
  /** The day the cost was incurred. */
  date: string;
  /** The day a COMPLETED or TERMINATED assignment ended; null while it runs. */
  endedOn: string | null;
}

function costAllowedInStatus(status: AssignmentStatus, date: string, endedOn: string | null): boolean {
  if (status === 'ACTIVE') return true;
  // Costs incurred up to the end may still be booked after the assignment ended.
  return (status === 'COMPLETED' || status === 'TERMINATED') && endedOn !== null && date <= endedOn;
}

export function checkCost(facts: CostFacts): Verdict {
  const verdict: Verdict = [];
  const { status, item, amount, date, endedOn } = facts;

  if (!costAllowedInStatus(status, date, endedOn)) {
    verdict.push(
      violation(
        'ASSIGNMENT_NOT_ACTIVE',
        status === 'COMPLETED' || status === 'TERMINATED'
          ? `The assignment ended${endedOn === null ? '' : ` on ${endedOn}`}, before the cost date ${date}.`
          : `The assignment is ${status}, not ACTIVE.`,
      ),
    );
  }
  if (item === null) {
    verdict.push(
      violation('PLAN_ITEM_NOT_AGREED', 'The cost is not for an intervention in the agreed plan.'),
    );
  }
  if (!isPositiveAmount(amount)) {
    verdict.push(
      violation('AMOUNT_NOT_POSITIVE', 'The amount is not a positive amount with at most two decimals.'),
    );
  }
  if (item !== null && !(isIsoDate(date) && item.plannedFrom <= date && date <= item.plannedTo)) {
    verdict.push(
      violation(
        'COST_DATE_OUTSIDE_PLAN',
        `The cost date ${date} is outside the planned period ${item.plannedFrom} to ${item.plannedTo}.`,
      ),
    );
  }
  return verdict;
}

/** The receiving municipality reports delivery of an agreed intervention. */
export function checkDelivery(facts: { status: AssignmentStatus; itemAgreed: boolean }): Verdict {
  const verdict: Verdict = [];
  if (facts.status !== 'ACTIVE') {
    verdict.push(violation('ASSIGNMENT_NOT_ACTIVE', `The assignment is ${facts.status}, not ACTIVE.`));
  }
  if (!facts.itemAgreed) {
    verdict.push(violation('PLAN_ITEM_NOT_AGREED', 'The intervention is not in the agreed plan.'));
  }
  return verdict;
}

export interface CostPayload {
  planItemId: string;
  date: string;
  amount: string;
  description: string | null;
}

function sameAmount(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parseAmount(a);
  const y = parseAmount(b);
  return x !== null && y !== null && x.equals(y);
}

/**
 * A retried cost report under an idempotency key already used must carry the
 * same payload; "100.5" and "100.50" are the same amount.
 */
export function checkIdempotentRetry(existing: CostPayload, retry: CostPayload): Verdict {
  const same =
    existing.planItemId === retry.planItemId &&
    existing.date === retry.date &&
    existing.description === retry.description &&
    sameAmount(existing.amount, retry.amount);
  return same
    ? []
    : [violation('IDEMPOTENCY_KEY_REUSED', 'The idempotency key was already used for a different cost.')];
}

export const REIMBURSEMENT_SOURCES = ['POLICE_NATIONAL_OPERATIONS', 'OTHER'] as const;
export type ReimbursementSource = (typeof REIMBURSEMENT_SOURCES)[number];

/**
 * Money counted once (002_, 003_: part of the cost may be reimbursed by state
 * funding through the police): a reimbursement is recorded against its cost,
 * never more than the cost, and not once the cost's period is settled.
 */
export function checkReimbursement(facts: {
  gross: string;
  reimbursed: string;
  periodSettled: boolean;
}): Verdict {
  const verdict: Verdict = [];
  const gross = parseAmount(facts.gross);
  const reimbursed = parseAmount(facts.reimbursed);
  if (reimbursed === null || reimbursed.isNegative()) {
    verdict.push(violation('AMOUNT_NOT_POSITIVE', 'The reimbursed amount is not an amount of zero or more.'));
  } else if (gross !== null && reimbursed.greaterThan(gross)) {
    verdict.push(
      violation('REIMBURSEMENT_EXCEEDS_COST', `${facts.reimbursed} is more than the cost, ${facts.gross}.`),
    );
  }
  if (facts.periodSettled) {
    verdict.push(
      violation('RECONCILIATION_SETTLED', "The cost's reconciliation period is settled and cannot change."),
    );
  }
  return verdict;
}
