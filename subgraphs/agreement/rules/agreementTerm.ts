// Rule 1 (parties and term) and the reconciliation periods of rule 8. An
// agreement is data: who the parties are, when it is in force and how long a
// reconciliation period is all come from its record.
import type { AgreementRecord } from '../agreements';
import { addMonths, dayBefore, parseIsoDate } from './dates';

/**
 * The agreement in force on `on` (validFrom ≤ on ≤ validTo, inclusive) that
 * has both municipalities as parties, or null. Terms of one set of parties
 * should not overlap; if they do, the first matching record wins.
 */
export function agreementInForce(
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
 * may incur costs after it.
 */
export function reconciliationPeriod(
  agreement: AgreementRecord,
  period: number,
): { from: string; to: string } {
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(`Reconciliation periods are numbered from 1: ${period}`);
  }
  return { from: periodStart(agreement, period), to: dayBefore(periodStart(agreement, period + 1)) };
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
