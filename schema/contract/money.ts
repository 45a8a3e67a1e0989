// Money crosses city lines as a decimal string with exactly two decimals plus
// a currency; it is never a binary float.

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
