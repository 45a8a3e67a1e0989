// Input checks for the internal API. Each failure is a BAD_USER_INPUT naming
// the input field in `extensions.field`, so a client can point at it.
import { badUserInput } from '../../schema/contract/errors';
import { isMunicipalityCode, type MunicipalityCode } from '../../schema/contract/municipality';
import { isIsoDate } from '../../schema/contract/dates';
import {
  parsePersonalIdentityNumber,
  type PersonalIdentityNumber,
} from '../agreement/rules/personalIdentityNumber';

export const MAX_NAME_LENGTH = 200;
export const MAX_SHORT_TEXT_LENGTH = 500;
export const MAX_TEXT_LENGTH = 10_000;

const UNIT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const invalid = (field: string, message: string) => badUserInput(message, { field });

/** Counts characters as people do (code points), not UTF-16 units. */
const lengthOf = (text: string) => [...text].length;

/** Trimmed, non-empty text of at most `max` characters. */
export function requiredText(field: string, value: string, max: number): string {
  const text = value.trim();
  if (text.length === 0) throw invalid(field, `${field} must not be empty`);
  if (lengthOf(text) > max)
    throw invalid(field, `${field} must be at most ${max} characters (got ${lengthOf(text)})`);
  return text;
}

/** Like requiredText, but absent or blank text is null. */
export function optionalText(field: string, value: string | null | undefined, max: number): string | null {
  if (value == null || value.trim().length === 0) return null;
  return requiredText(field, value, max);
}

/** A personnummer or co-ordination number, normalized to YYYYMMDD-NNNC. */
export function personalIdentityNumber(
  value: string,
  today: string,
  field = 'personalIdentityNumber',
): PersonalIdentityNumber {
  const parsed = parsePersonalIdentityNumber(value, today);
  if (!parsed)
    throw invalid(
      field,
      `${field} is not a valid personal identity or co-ordination number ` +
        '(YYYYMMDD-NNNC or YYMMDD-NNNC, an existing birth date not after today, a correct check digit)',
    );
  return parsed;
}

export function municipalityCode(field: string, value: string): MunicipalityCode {
  if (!isMunicipalityCode(value))
    throw invalid(
      field,
      `${field} must be a four-digit municipality code, e.g. "0180"; got ${JSON.stringify(value)}`,
    );
  return value;
}

/** A real calendar date (the Date scalar checks only the shape). */
export function calendarDate(field: string, value: string): string {
  if (!isIsoDate(value)) throw invalid(field, `${field} is not a calendar date: ${value}`);
  return value;
}

export function unitId(field: string, value: string): string {
  if (!UNIT_ID.test(value))
    throw invalid(
      field,
      `${field} must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  return value;
}

/** Unit ids for a merge: at least one, each once. */
export function unitIds(field: string, values: readonly string[]): string[] {
  if (values.length === 0) throw invalid(field, `${field} must name at least one unit`);
  const duplicates = values.filter((id, i) => values.indexOf(id) !== i);
  if (duplicates.length > 0)
    throw invalid(field, `${field} names a unit more than once: ${[...new Set(duplicates)].join(', ')}`);
  return [...values];
}
