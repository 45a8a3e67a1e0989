// The bench's one table, as text and as the JSON written to bench/results/.
import type { LoadResult, RoundsResult } from './load';

export interface Row extends LoadResult {
  key: string;
  label: string;
  database: string;
  /** The same path at a fixed, light arrival rate: latency without queueing. */
  paced: LoadResult & { rate: number };
  /** Gateway RSS in MiB after the run; null when no gateway is on the path. */
  gatewayRssMiB: number | null;
  /** SQL statements per request, per city, from a fixed sequential probe. */
  sqlPerRequest: Record<string, number>;
  /** Median latency of that probe: one request at a time, no queueing. */
  sequentialP50: number;
  /** Ratios to row 1 (the direct call): paced p50, loaded p50, requests a second. */
  pacedP50VsDirect: number | null;
  p50VsDirect: number | null;
  rpsVsDirect: number | null;
}

/** A row paced again taking turns with the rows it is compared with. */
export interface Paired extends LoadResult {
  key: string;
  label: string;
}

export interface Check {
  name: string;
  /** Null for a figure shown beside the targets, not judged. */
  pass: boolean | null;
  detail: string;
}

const fixed = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits);

export function formatTable(rows: readonly Row[], cities: readonly string[], connections: number): string {
  const rate = rows[0]?.paced.rate ?? 0;
  const loaded = `@${connections}c`;
  const light = `@${rate}/s`;
  const header = [
    '#',
    'path',
    'db',
    `req/s ${loaded}`,
    `p50 ${loaded}`,
    `p99 ${loaded}`,
    `p50 ${light}`,
    `p95 ${light}`,
    `p99 ${light}`,
    'gw RSS MiB',
    ...cities.map((c) => `SQL/req ${c}`),
    `p50 ${light} ×row1`,
    `p50 ${loaded} ×row1`,
    'req/s ×row1',
    'fail',
  ];
  const lines = rows.map((r) => [
    r.key,
    r.label,
    r.database,
    fixed(r.rps, 0),
    fixed(r.p50, 2),
    fixed(r.p99, 2),
    fixed(r.paced.p50, 2),
    fixed(r.paced.p95, 2),
    fixed(r.paced.p99, 2),
    fixed(r.gatewayRssMiB, 0),
    ...cities.map((c) => fixed(r.sqlPerRequest[c], 1)),
    fixed(r.pacedP50VsDirect, 2),
    fixed(r.p50VsDirect, 2),
    fixed(r.rpsVsDirect, 2),
    String(r.failures + r.paced.failures),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const numeric = (i: number) => i >= 3;
  const render = (cells: string[]) =>
    cells.map((cell, i) => (numeric(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  return [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(render)].join('\n');
}

export function formatChecks(checks: readonly Check[]): string {
  const verdict = (pass: boolean | null) => (pass === null ? 'INFO' : pass ? 'PASS' : 'FAIL');
  return checks.map((c) => `${verdict(c.pass)}  ${c.name}: ${c.detail}`).join('\n');
}

/** The in-turn runs, one block per group, each row against the group's first. */
export function formatPaired(groups: readonly (readonly Paired[])[]): string {
  const header = ['#', 'path', 'p50 ms', 'p95 ms', 'p99 ms', 'samples', 'p50 ×first', 'fail'];
  const lines = groups.flatMap((group, g) => [
    ...(g > 0 ? [header.map(() => '')] : []),
    ...group.map((r) => [
      r.key,
      r.label,
      fixed(r.p50, 2),
      fixed(r.p95, 2),
      fixed(r.p99, 2),
      String(r.requests),
      fixed(r.p50 / group[0]!.p50, 2),
      String(r.failures),
    ]),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) =>
    cells.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  return [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(render)].join('\n');
}

/** Requests a second of each path in each round, and each path's ratio to the first (ours to the others in the checks). */
export function formatRounds(
  rounds: RoundsResult,
  keys: readonly string[],
  labels: readonly string[],
): string {
  const header = ['#', 'path', ...rounds.rps.map((_, i) => `round ${i + 1}`), 'median', 'RSS MiB', 'fail'];
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const lines = keys.map((key, index) => {
    const values = rounds.rps.map((round) => round[index]!);
    return [
      key,
      labels[index]!,
      ...values.map((v) => fixed(v, 0)),
      fixed(median(values), 0),
      fixed(rounds.rssMiB[index], 0),
      String(rounds.failures[index]),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) =>
    cells.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  return [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(render)].join('\n');
}
