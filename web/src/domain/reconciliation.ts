// What a six-monthly reconciliation (rule 8) means for the person looking at
// it: who pays whom, what they may still do, and shares as Swedish percentages.
// Every figure stays the decimal string the API sent; nothing is computed in floats.

export type ReconciliationStatus = 'OPEN' | 'CONFIRMED_BY_ONE' | 'SETTLED' | 'DISPUTED';

export interface ReconciliationLike {
  between: readonly string[];
  period: number;
  confirmedBy: readonly string[];
  declinedBy: readonly { municipality: string }[];
  settled: boolean;
  /** Whether the other party's own sums match the holder's; null when it gave none. */
  counterpartyAgrees?: boolean | null;
  equalisation?: { amount: { amount: string }; payer: string; payee: string } | null;
}

export type Payment =
  | { kind: 'none' }
  | { kind: 'due'; payer: string; payee: string; amount: string; mine: 'pay' | 'receive' | 'other' };

/** The equalisation payment from the caller's side: none below the threshold, else who pays whom. */
export function paymentOf(reconciliation: ReconciliationLike, me: string): Payment {
  const e = reconciliation.equalisation;
  if (!e) return { kind: 'none' };
  const mine = e.payer === me ? 'pay' : e.payee === me ? 'receive' : 'other';
  return { kind: 'due', payer: e.payer, payee: e.payee, amount: e.amount.amount, mine };
}

/** The other party of a reconciliation the caller's municipality is party to. */
export function counterpartOf(reconciliation: ReconciliationLike, me: string): string {
  return reconciliation.between.find((m) => m !== me) ?? reconciliation.between[0] ?? '';
}

/**
 * What the caller may still do: only finance officers of a party act, and
 * a settled period is final. Confirming takes back one's own decline; one
 * declines only what one has neither confirmed nor already declined. Figures
 * the two sides are not known to share may be declined, not confirmed.
 */
export function actionsOf(
  reconciliation: ReconciliationLike,
  me: string,
  permissions: readonly string[],
): { confirm: boolean; decline: boolean } {
  const party = reconciliation.between.includes(me);
  if (!party || !permissions.includes('finance') || reconciliation.settled)
    return { confirm: false, decline: false };
  const confirmed = reconciliation.confirmedBy.includes(me);
  const declined = reconciliation.declinedBy.some((d) => d.municipality === me);
  return {
    confirm: !confirmed && reconciliation.counterpartyAgrees === true,
    decline: !confirmed && !declined,
  };
}

/**
 * A share as the API sends it ("0.5072") as a Swedish percentage ("50,72 %"),
 * by moving the decimal point in the string.
 */
export function formatShare(share: string): string {
  const negative = share.startsWith('-');
  const [whole = '0', fraction = ''] = share.replace(/^-/, '').split('.');
  const padded = fraction.padEnd(2, '0');
  const percent = `${whole}${padded.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = padded.slice(2);
  return `${negative ? '−' : ''}${percent}${rest ? `,${rest}` : ''}\u00a0%`;
}

/** Reconciliations by counterpart (by code), each counterpart's periods in order. */
export function byCounterpart<R extends ReconciliationLike>(rows: readonly R[], me: string): [string, R[]][] {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const counterpart = counterpartOf(row, me);
    groups.set(counterpart, [...(groups.get(counterpart) ?? []), row]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([counterpart, list]) => [counterpart, [...list].sort((x, y) => x.period - y.period)]);
}

/** An amount's decimal string ("1234.50") as whole öre, exactly. */
export function toOre(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace(/^-/, '').split('.');
  const ore = BigInt(whole || '0') * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  return negative ? -ore : ore;
}

/**
 * Bar lengths for a chart, in tenths of a per cent of the largest amount:
 * computed in whole öre, so no amount passes through a float.
 */
export function barLengths(amounts: readonly string[]): number[] {
  const ore = amounts.map((a) => {
    const value = toOre(a);
    return value < 0n ? -value : value;
  });
  const max = ore.reduce((m, v) => (v > m ? v : m), 0n);
  return ore.map((v) => (max === 0n ? 0 : Number((v * 1000n) / max)));
}
