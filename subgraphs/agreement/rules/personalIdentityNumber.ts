// Swedish personal identity numbers (personnummer) and coordination numbers
// (samordningsnummer). Case records hold them; they never cross city lines.
//
// Accepted forms:
//   YYMMDDNNNC, YYMMDD-NNNC  the person turns at most 99 this year
//   YYMMDD+NNNC              the person turns 100 or more this year
//   YYYYMMDDNNNC, YYYYMMDD-NNNC
// C is a Luhn check digit over the ten-digit form. In a coordination number
// the day is the birth day plus 60. The birth date must exist and must not be
// after today.
import { formatIsoDate, isValidCalendarDate, parseIsoDate } from '../../../schema/contract/dates';

export interface PersonalIdentityNumber {
  /** YYYYMMDD-NNNC; a coordination number keeps its day (+60). */
  normalized: string;
  coordinationNumber: boolean;
}

const TEN_DIGITS = /^(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$/;
const TWELVE_DIGITS = /^(\d{4})(\d{2})(\d{2})-?(\d{3})(\d)$/;
const COORDINATION_OFFSET = 60;

/** The Luhn check digit for nine digits, weights 2,1,2,1,... from the left. */
export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i += 1) {
    const product = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * The birth year for a two-digit year. The separator changes from '-' to '+'
 * in the year the person turns 100 (folkbokföringslagen 18 §), so without '+'
 * the year is the latest one ending in YY that is at most this year, and with
 * '+' the latest one at least 100 years back.
 */
function fullYear(twoDigits: number, plus: boolean, thisYear: number): number {
  const latest = plus ? thisYear - 100 : thisYear;
  return latest - ((((latest - twoDigits) % 100) + 100) % 100);
}

export function parsePersonalIdentityNumber(input: string, today: string): PersonalIdentityNumber | null {
  const now = parseIsoDate(today);
  if (!now) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${today}`);
  const text = input.trim();

  let year: number;
  let monthText: string;
  let dayText: string;
  let serial: string;
  let check: string;
  const ten = TEN_DIGITS.exec(text);
  const twelve = ten ? null : TWELVE_DIGITS.exec(text);
  if (ten) {
    const [, yy = '', mm = '', dd = '', separator, nnn = '', c = ''] = ten;
    year = fullYear(Number(yy), separator === '+', now.year);
    [monthText, dayText, serial, check] = [mm, dd, nnn, c];
  } else if (twelve) {
    const [, yyyy = '', mm = '', dd = '', nnn = '', c = ''] = twelve;
    year = Number(yyyy);
    [monthText, dayText, serial, check] = [mm, dd, nnn, c];
  } else {
    return null;
  }

  const yearText = String(year).padStart(4, '0');
  const tenDigits = `${yearText.slice(2)}${monthText}${dayText}${serial}`;
  if (luhnCheckDigit(tenDigits) !== Number(check)) return null;

  const month = Number(monthText);
  const dayNumber = Number(dayText);
  const coordinationNumber = dayNumber > COORDINATION_OFFSET;
  const day = coordinationNumber ? dayNumber - COORDINATION_OFFSET : dayNumber;
  if (!isValidCalendarDate(year, month, day)) return null;
  if (formatIsoDate({ year, month, day }) > today) return null;

  return { normalized: `${yearText}${monthText}${dayText}-${serial}${check}`, coordinationNumber };
}

export function isValidPersonalIdentityNumber(input: string, today: string): boolean {
  return parsePersonalIdentityNumber(input, today) !== null;
}
