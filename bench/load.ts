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
        headers: run.headers,
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
