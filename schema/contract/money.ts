// Money crosses city lines as a decimal string with exactly two decimals plus
// a currency; it is never a binary float.
import { Decimal } from 'decimal.js';

export const CURRENCY = 'SEK' as const;

export interface Money {
  amount: string;
  currency: typeof CURRENCY;
}

/** Anything with Decimal.js's toFixed (Prisma.Decimal) or a decimal string. */
export type DecimalLike = { toFixed(digits: number): string } | string;

export function formatAmount(value: DecimalLike): string {
  if (typeof value === 'string') {
    if (!/^-?\d+(\.\d{1,2})?$/.test(value)) throw new RangeError(`Not a decimal amount: ${value}`);
    const [whole, fraction = ''] = value.split('.');
    return `${whole}.${fraction.padEnd(2, '0')}`;
  }
  // Decimal.toString() drops trailing zeros ("12500.5"); toFixed(2) keeps them.
  return value.toFixed(2);
}

export function money(value: DecimalLike): Money {
  return { amount: formatAmount(value), currency: CURRENCY };
}

const decimal = (value: DecimalLike) => new Decimal(typeof value === 'string' ? value : value.toFixed(2));

/** What cost rows add up to: gross, reimbursed from elsewhere, and net. */
export function costTotals(rows: readonly { gross: DecimalLike; reimbursed: DecimalLike }[]) {
  const gross = rows.reduce((sum, row) => sum.plus(decimal(row.gross)), new Decimal(0));
  const reimbursed = rows.reduce((sum, row) => sum.plus(decimal(row.reimbursed)), new Decimal(0));
  return { total: money(gross), reimbursed: money(reimbursed), net: money(gross.minus(reimbursed)) };
}
