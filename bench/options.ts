// Bench options, from flags or environment: `npm run bench -- --quick`,
// `--duration 8 --connections 10 --rate 25 --sizes 1000,10000,100000 --db postgres`.
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
  };
}
