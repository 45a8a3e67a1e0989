// Bench options, from flags or environment: `npm run bench -- --quick`,
// `--duration 8 --connections 10 --rate 25 --sizes 1000,10000,100000 --db postgres`,
// `--rounds 5 --round-seconds 4`, `--soak [--soak-minutes 10]`, `--profile`.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Seconds of load per row (after warm-up). */
  durationSec: number;
  warmupSec: number;
  connections: number;
  /** Requests a second of the paced (latency) run of every row. */
  rate: number;
  /** Assignments per city for the deep-cursor rows, ascending. */
  sizes: number[];
  /** Where the cities keep their data; `auto` is PostgreSQL when reachable. */
  db: 'auto' | 'postgres' | 'pglite';
  /** Sequential requests per SQL probe (SQL statements per request = delta / probe). */
  probeRequests: number;
  quick: boolean;
  /**
   * Whether our gateway shares identical reads in flight. Off by default: the
   * load repeats one request of one person, which sharing would answer once
   * for many, unlike the other gateways and unlike real traffic.
   */
  shareReads: boolean;
  /** Where results go; nothing is written when empty. */
  resultsDir: string;
  /** Rounds of the throughput comparison taking turns, and seconds per path in each. */
  rounds: number;
  roundSec: number;
  /** Only the soak: row 5 at half its capacity for `soakMinutes`, memory and latency per minute. */
  soak: boolean;
  soakMinutes: number;
  /** Only the profile: rows 2 and 5 loaded with every process under `node --cpu-prof`. */
  profile: boolean;
}

const positiveNumber = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${value}`);
  return n;
};

export function readOptions(argv = process.argv.slice(2), env = process.env): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      rate: { type: 'string' },
      sizes: { type: 'string' },
      db: { type: 'string' },
      probe: { type: 'string' },
      'results-dir': { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      'share-reads': { type: 'boolean', default: false },
      rounds: { type: 'string' },
      'round-seconds': { type: 'string' },
      soak: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'soak-minutes': { type: 'string' },
    },
  });
  const quick = values.quick || env.BENCH_QUICK === 'true';
  const sizes = (values.sizes ?? env.BENCH_SIZES ?? (quick ? '1000,10000' : '1000,10000,100000'))
    .split(',')
    .map((s) => positiveNumber('sizes', s.trim(), 0))
    .map(Math.round)
    .sort((a, b) => a - b);
  const db = values.db ?? env.BENCH_DB ?? 'auto';
  if (db !== 'auto' && db !== 'postgres' && db !== 'pglite')
    throw new Error(`--db must be auto, postgres or pglite, got ${db}`);
  return {
    durationSec: positiveNumber('duration', values.duration ?? env.BENCH_DURATION, quick ? 2 : 6),
    warmupSec: positiveNumber('warmup', values.warmup ?? env.BENCH_WARMUP, 1),
    connections: Math.round(positiveNumber('connections', values.connections ?? env.BENCH_CONNECTIONS, 10)),
    rate: positiveNumber('rate', values.rate ?? env.BENCH_RATE, 25),
    sizes,
    db,
    probeRequests: Math.round(positiveNumber('probe', values.probe ?? env.BENCH_PROBE, quick ? 10 : 20)),
    quick,
    shareReads: values['share-reads'] || env.BENCH_SHARE_READS === 'true',
    resultsDir: values['no-write'] ? '' : (values['results-dir'] ?? env.BENCH_RESULTS_DIR ?? 'bench/results'),
    rounds: Math.round(positiveNumber('rounds', values.rounds ?? env.BENCH_ROUNDS, quick ? 3 : 5)),
    roundSec: positiveNumber(
      'round-seconds',
      values['round-seconds'] ?? env.BENCH_ROUND_SECONDS,
      quick ? 2 : 4,
    ),
    soak: values.soak || env.BENCH_SOAK === 'true',
    profile: values.profile || env.BENCH_PROFILE === 'true',
    soakMinutes: Math.max(
      1,
      Math.round(positiveNumber('soak-minutes', values['soak-minutes'] ?? env.BENCH_SOAK_MINUTES, 10)),
    ),
  };
}
