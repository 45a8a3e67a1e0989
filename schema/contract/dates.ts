// Calendar dates as ISO "YYYY-MM-DD" strings (calendar days in
// Europe/Stockholm, decided by the caller). Fixed-width ISO dates order the
// same as strings and as days, so rules compare them as strings. The
// arithmetic here is pure calendar arithmetic: no clock, no time zone.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDate {
  year: number;
  month: number; // 1-12
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** The parts of an ISO date, or null when it is not a real calendar date. */
export function parseIsoDate(value: string): CalendarDate | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return isValidCalendarDate(year, month, day) ? { year, month, day } : null;
}

export function isIsoDate(value: string): boolean {
  return parseIsoDate(value) !== null;
}

export function formatIsoDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function requireIsoDate(value: string): CalendarDate {
  const parsed = parseIsoDate(value);
  if (!parsed) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${value}`);
  return parsed;
}

/**
 * Adds whole months; when the day does not exist in the target month it is
 * clamped to that month's last day (2023-08-31 + 6 months = 2024-02-29).
 */
export function addMonths(date: string, months: number): string {
  if (!Number.isInteger(months)) throw new RangeError(`Not a whole number of months: ${months}`);
  const { year, month, day } = requireIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return formatIsoDate({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, daysInMonth(targetYear, targetMonth)),
  });
}

export function dayBefore(date: string): string {
  const { year, month, day } = requireIsoDate(date);
  if (day > 1) return formatIsoDate({ year, month, day: day - 1 });
  if (month > 1) return formatIsoDate({ year, month: month - 1, day: daysInMonth(year, month - 1) });
  return formatIsoDate({ year: year - 1, month: 12, day: 31 });
}

/** Inclusive on both ends. */
export function isWithin(date: string, from: string, to: string): boolean {
  return from <= date && date <= to;
}
