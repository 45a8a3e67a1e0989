// Two kinds of run. `load` (autocannon): fixed connections as fast as answers
// come, a warm-up not counted; throughput, where latency is mostly queueing.
// `paced`: requests sent on a fixed schedule well below every path's capacity;
// latency. Percentiles come from every response's own time, not buckets.
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { Pool } from 'undici';

export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Headers made anew for every request (a principal a city accepts once). */
  headersEach?: () => Record<string, string>;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Non-2xx, socket errors, timeouts and bodies carrying GraphQL errors. */
  failures: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** p50, p95 and p99 of response times (sorts them in place). */
function percentiles(times: number[]): Pick<LoadResult, 'p50' | 'p95' | 'p99'> {
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

function run(
  target: LoadTarget,
  connections: number,
  seconds: number,
  record?: number[],
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: target.body,
        // Every target goes through the same per-request step, so the load generator costs each row alike.
        requests: [
          {
            setupRequest: (request: autocannon.Request) => ({
              ...request,
              headers: { ...request.headers, ...target.headersEach?.() },
            }),
          },
        ],
        connections,
        duration: seconds,
        // A 200 with errors (a city unavailable, a refused principal) is a failure here.
        verifyBody: (body) => typeof body === 'string' && !body.includes('"errors"'),
        timeout: 10,
      },
      (error: unknown, result) =>
        error
          ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }))
          : resolve(result),
    );
    if (record) instance.on('response', (_client, _status, _bytes, time) => void record.push(time));
  });
}

export async function load(
  target: LoadTarget,
  options: { connections: number; durationSec: number; warmupSec: number },
): Promise<LoadResult> {
  if (options.warmupSec > 0) await run(target, options.connections, options.warmupSec);
  const times: number[] = [];
  const result = await run(target, options.connections, options.durationSec, times);
  return {
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || options.durationSec),
    ...percentiles(times),
    failures: result.non2xx + result.errors + result.timeouts + result.mismatches,
  };
}

/**
 * `rate` requests a second for `durationSec`, each sent at its scheduled time
 * whether or not earlier ones have answered (open loop), and timed from that
 * schedule, so a stall shows as latency instead of fewer requests. Written
 * here because autocannon's rate limit sends each second's quota in a burst.
 */
export async function paced(
  target: LoadTarget,
  options: { rate: number; durationSec: number },
): Promise<LoadResult> {
  return (await pacedInTurn([target], options))[0]!;
}

/**
 * One paced schedule shared by several targets, taking turns: request k goes
 * to target k mod n. Each target sees the same moments of the machine, so
 * their ratio holds even when the machine's speed drifts between runs (on a
 * VM, idle wake-ups can vary twofold from one minute to the next).
 */
export async function pacedInTurn(
  targets: readonly LoadTarget[],
  options: { rate: number; durationSec: number },
): Promise<LoadResult[]> {
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string) => {
    let pool = pools.get(origin);
    if (!pool) pools.set(origin, (pool = new Pool(origin, { connections: 8 })));
    return pool;
  };
  const runs = targets.map((target) => ({
    target,
    url: new URL(target.url),
    headers: { 'content-type': 'application/json', ...target.headers },
    times: [] as number[],
    failures: 0,
  }));
  const interval = 1000 / options.rate;
  const count = Math.max(runs.length, Math.round(options.rate * options.durationSec));
  const send = async (run: (typeof runs)[number], scheduled: number) => {
    try {
      const response = await poolFor(run.url.origin).request({
        path: run.url.pathname + run.url.search,
        method: 'POST',
        headers: run.target.headersEach ? { ...run.headers, ...run.target.headersEach() } : run.headers,
        body: run.target.body,
      });
      const text = await response.body.text();
      if (response.statusCode !== 200 || text.includes('"errors"')) run.failures += 1;
    } catch {
      run.failures += 1;
    }
    run.times.push(performance.now() - scheduled);
  };
  const started = performance.now();
  const sent: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const scheduled = started + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 0) await sleep(wait);
    sent.push(send(runs[i % runs.length]!, scheduled));
  }
  await Promise.all(sent);
  const seconds = (performance.now() - started) / 1000;
  await Promise.all([...pools.values()].map((pool) => pool.close()));
  return runs.map((run) => ({
    requests: run.times.length,
    rps: run.times.length / seconds,
    ...percentiles(run.times),
    failures: run.failures,
  }));
}

export interface RoundsResult {
  /** Requests a second of each target (by index) in each round. */
  rps: number[][];
  /** Largest RSS in MiB seen right after each target's runs, by index; null without a pid. */
  rssMiB: (number | null)[];
  failures: number[];
}

/**
 * Loaded runs taking turns: each round drives every target once for
 * `durationSec`, in an order rotated by one each round, so a drift of the
 * machine's speed lands on every target alike. Compare per-round ratios
 * (`medianRatio`), not totals.
 */
export async function loadInTurn(
  /** Each target, built for a run of at most `seconds`. */
  targets: readonly ((seconds: number) => Promise<LoadTarget>)[],
  options: { connections: number; durationSec: number; warmupSec: number; rounds: number },
  rss: (index: number) => number | null = () => null,
): Promise<RoundsResult> {
  const rps = Array.from({ length: options.rounds }, () => targets.map(() => Number.NaN));
  const rssMiB: (number | null)[] = targets.map(() => null);
  const failures = targets.map(() => 0);
  for (const target of targets)
    await run(await target(options.warmupSec), options.connections, options.warmupSec);
  for (let round = 0; round < options.rounds; round++) {
    for (let turn = 0; turn < targets.length; turn++) {
      const index = (round + turn) % targets.length;
      const target = await targets[index]!(options.durationSec);
      const result = await run(target, options.connections, options.durationSec);
      rps[round]![index] = result.requests.total / (result.duration || options.durationSec);
      failures[index]! += result.non2xx + result.errors + result.timeouts + result.mismatches;
      const now = rss(index);
      if (now !== null) rssMiB[index] = Math.max(rssMiB[index] ?? 0, now);
    }
  }
  return { rps, rssMiB, failures };
}

/** The median of `a ÷ b` over the rounds, with the smallest and largest. */
export function medianRatio(
  rounds: RoundsResult,
  a: number,
  b: number,
): { median: number; min: number; max: number } {
  const ratios = rounds.rps.map((round) => round[a]! / round[b]!).sort((x, y) => x - y);
  const middle = Math.floor(ratios.length / 2);
  const median = ratios.length % 2 ? ratios[middle]! : (ratios[middle - 1]! + ratios[middle]!) / 2;
  return { median, min: ratios[0]!, max: ratios.at(-1)! };
}
