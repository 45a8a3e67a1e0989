// The network overview's figures as cells a table and a chart can both show:
// a figure is shown, withheld (rule 10: fewer people than the agreement's
// minimum cell, outside the pair) or absent (nothing to count, e.g. no
// average before any assignment ended). Withheld is never turned into zero.
// Amounts stay the decimal strings the API sent; bars are measured in whole
// öre (bigint), never through a float.
import { toOre } from './reconciliation';

export type Figure<T> = { kind: 'shown'; value: T } | { kind: 'withheld' } | { kind: 'absent' };

/** A row as the API sends joint figures: withheld fields are null and named. */
export interface Suppressible {
  suppressedFields: readonly string[];
}

/** One field of a row as a figure: withheld when the row names it, absent when null. */
export function figureOf<R extends Suppressible, K extends keyof R & string>(
  row: R,
  field: K,
): Figure<NonNullable<R[K]>> {
  if (row.suppressedFields.includes(field)) return { kind: 'withheld' };
  const value = row[field];
  return value === null || value === undefined ? { kind: 'absent' } : { kind: 'shown', value };
}

/** A money field ({ amount } or null) as a figure of its decimal string. */
export function amountOf<K extends string>(
  row: Suppressible & Record<K, { amount: string } | null | undefined>,
  field: K,
): Figure<string> {
  if (row.suppressedFields.includes(field)) return { kind: 'withheld' };
  const money = row[field];
  return money ? { kind: 'shown', value: money.amount } : { kind: 'absent' };
}

/** A shown figure's value changed (e.g. written out); withheld and absent stay as they are. */
export function mapFigure<T, U>(figure: Figure<T>, change: (value: T) => U): Figure<U> {
  return figure.kind === 'shown' ? { kind: 'shown', value: change(figure.value) } : figure;
}

/** A figure in words: the formatted value, or the text saying it is withheld or absent. */
export function describeFigure<T>(
  figure: Figure<T>,
  format: (value: T) => string,
  words: { withheld: string; absent: string },
): string {
  switch (figure.kind) {
    case 'shown':
      return format(figure.value);
    case 'withheld':
      return words.withheld;
    case 'absent':
      return words.absent;
    default:
      return assertNever(figure);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected figure ${JSON.stringify(value)}`);
}

/** Assignment statuses in the order a case goes through them, the ends last. */
export const DIRECTION_STATUSES = [
  'proposed',
  'accepted',
  'active',
  'completed',
  'declined',
  'withdrawn',
  'terminated',
] as const;

interface Direction {
  homeMunicipality: string;
  receivingMunicipality: string;
}

/** Rows in a stable order: by home, then receiving municipality code (then period or category). */
export function byDirection<R extends Direction>(rows: readonly R[], then?: (a: R, b: R) => number): R[] {
  return [...rows].sort(
    (a, b) =>
      a.homeMunicipality.localeCompare(b.homeMunicipality) ||
      a.receivingMunicipality.localeCompare(b.receivingMunicipality) ||
      (then?.(a, b) ?? 0),
  );
}

/** A series of a chart: which figure of a row it draws, under which name. */
export interface ChartSeries {
  key: string;
  name: string;
}

/** A row of a chart as the table beside it has it: a label and one figure per series. */
export interface FigureRow {
  label: string;
  figures: Record<string, Figure<number> | Figure<string>>;
}

/**
 * Chart data: per series `<key>` the bar's length (a count, or an amount in
 * whole öre; 0 when withheld or absent) and `<key>Label` the text written
 * beside the bar: the formatted figure or the word for withheld. A withheld
 * bar has no length, its label says why, so it never reads as zero; a row
 * withheld in full is labelled once.
 */
export function chartRows(
  rows: readonly FigureRow[],
  series: readonly ChartSeries[],
  describe: (figure: Figure<number> | Figure<string>) => string,
): Record<string, string | number>[] {
  return rows.map((row) => {
    const entry: Record<string, string | number> = { label: row.label };
    // A row withheld in full says so once, beside its first bar, not once per series.
    const withheld = series.every(({ key }) => row.figures[key]?.kind === 'withheld');
    series.forEach(({ key }, i) => {
      const figure = row.figures[key] ?? { kind: 'absent' };
      entry[key] = figure.kind === 'shown' ? barLength(figure.value) : 0;
      entry[`${key}Label`] = withheld && i > 0 ? '' : describe(figure);
    });
    return entry;
  });
}

/** A count as itself; an amount ("1234.50") in whole öre, exactly while it stays under 2^53 öre. */
function barLength(value: number | string): number {
  if (typeof value === 'number') return value;
  const ore = toOre(value);
  return Number(ore < 0n ? -ore : ore);
}
