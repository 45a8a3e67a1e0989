// The performance figures of the newest bench run (bench/results/), as the
// table and the verdicts docs/performance.md shows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Check, Paired, Row } from '../../bench/table';
import { code, table } from './markdown';

interface BenchRun {
  startedAt: string;
  finishedAt?: string;
  commit?: string;
  machine: { cpus: number; node: string };
  options: { durationSec: number; connections: number; rate: number; shareReads?: boolean };
  database: string;
  cities: string[];
  rows: Row[];
  inTurn?: { single: Paired[]; list: Paired[] };
  checks: Check[];
}

/** The newest run: result files are named by their start time, so the last name is the newest. */
export function newestRun(root: string): { file: string; run: BenchRun } {
  const dir = join(root, 'bench', 'results');
  const newest = readdirSync(dir)
    // Runs of npm run bench are named by their time; other figures (catch-up-…) have files of their own.
    .filter((name) => /^\d{4}-.*\.json$/.test(name))
    .sort()
    .at(-1);
  if (!newest) throw new Error(`No bench results in ${dir}`);
  return {
    file: `bench/results/${newest}`,
    run: JSON.parse(readFileSync(join(dir, newest), 'utf8')) as BenchRun,
  };
}

const ms = (n: number | undefined) => (n === undefined ? '' : n.toFixed(2));

export function benchFigures(root: string): string {
  const { file, run } = newestRun(root);
  const inTurn = new Map([...(run.inTurn?.single ?? []), ...(run.inTurn?.list ?? [])].map((r) => [r.key, r]));
  // Ratios to row 1 only among rows paced in turn with it, on one schedule.
  const single = new Map((run.inTurn?.single ?? []).map((r) => [r.key, r]));
  const base = single.get('1');
  const rows = run.rows.map((row) => {
    const paced = inTurn.get(row.key) ?? row.paced;
    const withRow1 = single.get(row.key);
    const vsRow1 = base && withRow1 ? (withRow1.p50 / base.p50).toFixed(2) : '';
    return [
      row.key,
      row.label,
      row.rps.toFixed(0),
      ms(paced.p50),
      ms(paced.p99),
      vsRow1,
      run.cities.map((city) => String(row.sqlPerRequest[city] ?? '')).join(' / '),
    ];
  });
  const turned = run.rows.filter((row) => inTurn.has(row.key)).map((row) => row.key);
  const verdict = (pass: boolean | null) => (pass === null ? 'figure' : pass ? 'met' : 'not met');
  const database = { postgres: 'PostgreSQL', pglite: 'PGlite' }[run.database] ?? run.database;
  const minutes = run.finishedAt
    ? ` The run took ${Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 60_000)} minutes.`
    : '';
  return [
    `From ${code(file)}${run.commit ? ` (commit ${code(run.commit)})` : ''}: ${run.machine.cpus} CPUs shared by the load generator, the gateway, the cities and their database (${database}); Node ${run.machine.node}; per row ${run.options.durationSec} s loaded at ${run.options.connections} connections and ${2 * run.options.durationSec} s paced at ${run.options.rate} requests a second; read sharing ${run.options.shareReads ? 'on' : 'off'}.${minutes}`,
    '',
    table(
      [
        '#',
        'Path',
        'req/s loaded',
        'p50 ms paced',
        'p99 ms paced',
        'p50 ÷ row 1',
        `SQL per request (${run.cities.join(' / ')})`,
      ],
      rows,
      [2, 3, 4, 5],
    ),
    '',
    turned.length > 0
      ? `p50 and p99 of rows ${turned.join(', ')} are from their paced run in turn; the other rows’ from their own paced run.`
      : 'p50 and p99 are from each row’s own paced run.',
    '',
    table(
      ['Target or figure', 'Verdict', 'Measured'],
      run.checks.map((check) => [check.name, verdict(check.pass), check.detail]),
    ),
  ].join('\n');
}
