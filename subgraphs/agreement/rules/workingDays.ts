// Working days in Sweden, for the answer deadline: Monday to Friday, not a
// public holiday, and not midsummer, Christmas or New Year's Eve (which
// Swedish working life treats as Sundays). Holidays come from date-holidays,
// a maintained calendar, so movable feasts need no code of ours.
import Holidays from 'date-holidays';
import { parseIsoDate, formatIsoDate } from '../../../schema/contract/dates';

const swedish = new Holidays('SE');
const closedDays = new Map<number, Set<string>>();

function closedIn(year: number): Set<string> {
  let days = closedDays.get(year);
  if (!days) {
    days = new Set(
      swedish
        .getHolidays(year)
        .filter((h) => h.type === 'public' || h.type === 'bank')
        .map((h) => h.date.slice(0, 10)),
    );
    closedDays.set(year, days);
  }
  return days;
}

export function isWorkingDay(date: string): boolean {
  const parsed = parseIsoDate(date);
  if (!parsed) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${date}`);
  const weekday = new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !closedIn(parsed.year).has(date);
}

function nextDay(date: string): string {
  const parsed = parseIsoDate(date)!;
  const next = new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day + 1));
  return formatIsoDate({
    year: next.getUTCFullYear(),
    month: next.getUTCMonth() + 1,
    day: next.getUTCDate(),
  });
}

/** The `count`th working day after `date` (the day itself not counted). */
export function addWorkingDays(date: string, count: number): string {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`Not a count of days: ${count}`);
  let day = date;
  for (let left = count; left > 0;) {
    day = nextDay(day);
    if (isWorkingDay(day)) left -= 1;
  }
  return day;
}
