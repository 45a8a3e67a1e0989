// The performance figures of the newest bench run (bench/results/), as the
// table and the verdicts docs/performance.md shows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoundsResult } from '../../bench/load';
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
  rounds?: RoundsResult & { keys: string[]; roundSec: number };
  production?: boolean;
  checks: Check[];
}

interface SoakRun {
  startedAt: string;
  commit?: string;
  database: string;
  production?: boolean;
  capacityRps: number;
  rate: number;
  minutes: {
    minute: number;
    p50: number;
    p99: number;
    requests: number;
    failures: number;
    rssMiB: Record<string, number | null>;
  }[];
  checks: Check[];
}

interface CatchUpRun {
  at: string;
  rate: number;
  downSeconds: number;
  results: {
    database: string;
    deliveryP50Ms: number;
    deliveryP99Ms: number;
    /** Percent of the paced deliveries within 50 ms; absent in runs that read the ten-minute summary. */
    deliveriesWithinTarget?: number;
    queuedWhileDown: number;
    restartMs: number;
    drainAfterRestartMs: number;
  }[];
}

/** The newest file in bench/results/ whose name starts with `prefix` (they are named by time), if any. */
function newestWith<T>(root: string, prefix: string): { file: string; run: T } | null {
  const dir = join(root, 'bench', 'results');
  const newest = readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
    .sort()
    .at(-1);
  return newest
    ? { file: `bench/results/${newest}`, run: JSON.parse(readFileSync(join(dir, newest), 'utf8')) as T }
    : null;
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
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const rounds = run.rounds;
  const roundsTable = rounds
    ? [
        '',
        `Throughput at ${run.options.connections} connections in ${rounds.rps.length} rounds of ${rounds.roundSec} s taking turns (the order rotated each round), requests a second:`,
        '',
        table(
          ['#', 'Path', ...rounds.rps.map((_, i) => `Round ${i + 1}`), 'Median', 'RSS MiB'],
          rounds.keys.map((key, i) => [
            key,
            run.rows.find((r) => r.key === key)?.label ?? key,
            ...rounds.rps.map((round) => round[i]!.toFixed(0)),
            median(rounds.rps.map((round) => round[i]!)).toFixed(0),
            rounds.rssMiB[i]?.toFixed(0) ?? '',
          ]),
          rounds.rps.map((_, i) => i + 2).concat([rounds.rps.length + 2, rounds.rps.length + 3]),
        ),
      ]
    : [];
  const verdict = (pass: boolean | null) => (pass === null ? 'figure' : pass ? 'met' : 'not met');
  const database = { postgres: 'PostgreSQL', pglite: 'PGlite' }[run.database] ?? run.database;
  const minutes = run.finishedAt
    ? ` The run took ${Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 60_000)} minutes.`
    : '';
  return [
    `From ${code(file)}${run.commit ? ` (commit ${code(run.commit)})` : ''}: ${run.machine.cpus} CPUs shared by the load generator, the gateway, the cities and their database (${database}${run.production ? ', every process in production mode' : ''}); Node ${run.machine.node}; per row ${run.options.durationSec} s loaded at ${run.options.connections} connections and ${2 * run.options.durationSec} s paced at ${run.options.rate} requests a second; read sharing ${run.options.shareReads ? 'on' : 'off'}.${minutes}`,
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
    ...roundsTable,
    '',
    table(
      ['Target or figure', 'Verdict', 'Measured'],
      run.checks.map((check) => [check.name, verdict(check.pass), check.detail]),
    ),
  ].join('\n');
}

/** The newest soak (npm run bench -- --soak) and catch-up (npm run bench:catchup) runs. */
export function steadyFigures(root: string): string {
  const soak = newestWith<SoakRun>(root, 'soak-');
  const catchUp = newestWith<CatchUpRun>(root, 'catch-up-');
  const verdict = (pass: boolean | null) => (pass === null ? 'figure' : pass ? 'met' : 'not met');
  const parts: string[] = [];
  if (soak) {
    const { run } = soak;
    const names = Object.keys(run.minutes[0]?.rssMiB ?? {});
    parts.push(
      `Soak from ${code(soak.file)}${run.commit ? ` (commit ${code(run.commit)})` : ''}: row 5 paced at ${run.rate} requests a second, half of the ${run.capacityRps.toFixed(0)} measured loaded, for ${run.minutes.length} minutes on ${run.database}${run.production ? ' in production mode' : ''}.`,
      '',
      table(
        ['Minute', 'p50 ms', 'p99 ms', 'Requests', 'Failed', ...names.map((n) => `RSS ${n} MiB`)],
        run.minutes.map((m) => [
          String(m.minute),
          m.p50.toFixed(1),
          m.p99.toFixed(1),
          String(m.requests),
          String(m.failures),
          ...names.map((n) => m.rssMiB[n]?.toFixed(0) ?? ''),
        ]),
        [0, 1, 2, 3, 4, ...names.map((_, i) => i + 5)],
      ),
      '',
      table(
        ['Target', 'Verdict', 'Measured'],
        run.checks.map((c) => [c.name, verdict(c.pass), c.detail]),
      ),
    );
  } else parts.push('No soak run is recorded yet (`npm run bench -- --soak`).');
  if (catchUp) {
    const { run } = catchUp;
    parts.push(
      '',
      `Catch-up from ${code(catchUp.file)}: a cost recorded in the receiving city at ${run.rate} a second, timed from its commit until the home city applied it${run.results.some((r) => r.deliveriesWithinTarget !== undefined) ? ' (the paced deliveries alone, the warm-up left out)' : ''}; then the home city down for ${run.downSeconds} s.`,
      '',
      table(
        [
          'Database',
          'Delivery p50 ms',
          'Delivery p99 ms',
          'Within 50 ms',
          'Queued while down',
          'Home restart ms',
          'Drained after restart ms',
        ],
        run.results.map((r) => [
          r.database,
          String(r.deliveryP50Ms),
          String(r.deliveryP99Ms),
          r.deliveriesWithinTarget === undefined ? '–' : `${r.deliveriesWithinTarget} %`,
          String(r.queuedWhileDown),
          String(r.restartMs),
          String(r.drainAfterRestartMs),
        ]),
        [1, 2, 3, 4, 5, 6],
      ),
    );
  }
  return parts.join('\n');
}
