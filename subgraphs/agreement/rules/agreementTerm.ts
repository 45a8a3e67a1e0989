// Rule 1 (parties and term) and the reconciliation periods of rule 8. An
// agreement is data: who the parties are, when it is in force and how long a
// reconciliation period is all come from its record.
import type { AgreementRecord } from '../../../schema/contract/agreements';
import { addMonths, dayBefore, parseIsoDate } from '../../../schema/contract/dates';

/**
 * The agreement whose term covers `on` (validFrom ≤ on ≤ validTo, inclusive)
 * and that has both municipalities as parties, approved or not. Terms of one
 * set of parties should not overlap; if they do, the first matching record wins.
 */
export function agreementCovering(
  agreements: readonly AgreementRecord[],
  home: string,
  receiving: string,
  on: string,
): AgreementRecord | null {
  return (
    agreements.find(
      (agreement) =>
        agreement.validFrom <= on &&
        on <= agreement.validTo &&
        agreement.parties.includes(home) &&
        agreement.parties.includes(receiving),
    ) ?? null
  );
}

/**
 * Rule 1: "giltighet förutsätter att det godkänns av ansvarig nämnd/delegat":
 * valid for a pair only once both parties' approvals are dated on or before `on`.
 */
export function approvedByBoth(agreement: AgreementRecord, a: string, b: string, on: string): boolean {
  const approved = (municipality: string) =>
    agreement.approvals.some((x) => x.municipality === municipality && x.approvedOn <= on);
  return approved(a) && approved(b);
}

/** The agreement in force for the pair on `on`: its term covers the day and both parties approved it. */
export function agreementInForce(
  agreements: readonly AgreementRecord[],
  home: string,
  receiving: string,
  on: string,
): AgreementRecord | null {
  const covering = agreementCovering(agreements, home, receiving, on);
  return covering && approvedByBoth(covering, home, receiving, on) ? covering : null;
}

/** The term is over: nothing new starts (no proposals, answers or plan items past it). */
export function agreementEnded(agreement: AgreementRecord, today: string): boolean {
  return agreement.validTo < today;
}

function periodMonths(agreement: AgreementRecord): number {
  const months = agreement.reconciliationPeriodMonths;
  if (!Number.isInteger(months) || months < 1) {
    throw new RangeError(`Agreement ${agreement.id} has no valid reconciliation period: ${months} months`);
  }
  return months;
}

function periodStart(agreement: AgreementRecord, period: number): string {
  // Counted from validFrom each time rather than from the previous period, so a
  // clamped month end does not drift: from 2023-08-31 in 6-month periods the
  // starts are 2023-08-31, 2024-02-29, 2024-08-31, 2025-02-28, ...
  return addMonths(agreement.validFrom, (period - 1) * periodMonths(agreement));
}

/**
 * Reconciliation period `period` (1-based) of an agreement (avstämning var
 * sjätte månad): it starts `(period - 1) × reconciliationPeriodMonths` months
 * after validFrom, the day clamped to the month's last day where the month is
 * shorter, and ends the day before the next period starts. Both ends are
 * inclusive. Periods are not cut at validTo: assignments started in the term
 * run to the end of their plan, and their costs are reconciled after it. Once
 * the parties record the last day of the final reconciliation, the period
 * holding it ends there (the last one may be shorter) and no later one exists.
 */
export function reconciliationPeriod(
  agreement: AgreementRecord,
  period: number,
): { from: string; to: string } {
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(`Reconciliation periods are numbered from 1: ${period}`);
  }
  const from = periodStart(agreement, period);
  const to = dayBefore(periodStart(agreement, period + 1));
  const last = agreement.finalReconciliationOn;
  if (last && from > last) {
    throw new RangeError(`Agreement ${agreement.id} has no reconciliation period after ${last}`);
  }
  return { from, to: last && last < to ? last : to };
}

/** Whether the agreement has such a period (none after the final reconciliation's last day). */
export function hasReconciliationPeriod(agreement: AgreementRecord, period: number): boolean {
  if (!Number.isInteger(period) || period < 1) return false;
  const last = agreement.finalReconciliationOn;
  return !last || periodStart(agreement, period) <= last;
}

/** The reconciliation period a date falls in, or null before the agreement starts. */
export function periodOf(agreement: AgreementRecord, date: string): number | null {
  const target = parseIsoDate(date);
  const start = parseIsoDate(agreement.validFrom);
  if (!target) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${date}`);
  if (!start) throw new RangeError(`Agreement ${agreement.id} has no valid start: ${agreement.validFrom}`);
  if (date < agreement.validFrom) return null;

  // An estimate from whole calendar months, then corrected by at most a step
  // either way for day-of-month and clamping effects.
  const monthsApart = (target.year - start.year) * 12 + (target.month - start.month);
  let period = Math.max(1, Math.floor(monthsApart / periodMonths(agreement)) + 1);
  while (period > 1 && periodStart(agreement, period) > date) period -= 1;
  while (periodStart(agreement, period + 1) <= date) period += 1;
  return period;
}

/** True once the last day of the period is behind us. */
export function reconciliationPeriodEnded(
  agreement: AgreementRecord,
  period: number,
  today: string,
): boolean {
  return reconciliationPeriod(agreement, period).to < today;
}
