// Money and shares as decimals, never binary floats. Amounts follow the
// contract's format (schema/contract/money.ts): an optional minus sign,
// digits, and at most two decimals (whole öre).
import { Decimal } from 'decimal.js';

const AMOUNT = /^-?\d+(\.\d{1,2})?$/;
const SHARE = /^\d+(\.\d+)?$/;

/** The decimal value of an amount string, or null when it is not one. */
export function parseAmount(value: string): Decimal | null {
  return AMOUNT.test(value) ? new Decimal(value) : null;
}

/** True for a well-formed amount (at most two decimals) greater than zero. */
export function isPositiveAmount(value: string): boolean {
  const amount = parseAmount(value);
  return amount !== null && amount.greaterThan(0);
}

export function requireAmount(value: string, what: string): Decimal {
  const amount = parseAmount(value);
  if (amount === null)
    throw new RangeError(`${what} is not a decimal amount with at most two decimals: ${value}`);
  return amount;
}

/** A non-negative decimal share such as "0.10". */
export function requireShare(value: string, what: string): Decimal {
  if (!SHARE.test(value)) throw new RangeError(`${what} is not a non-negative decimal: ${value}`);
  return new Decimal(value);
}

/**
 * Rounds to whole öre, half away from zero (Decimal.ROUND_HALF_UP): 0.005
 * becomes 0.01 and -0.005 becomes -0.01, the usual commercial rounding.
 */
export function toOre(value: Decimal): string {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}
