// One load run with autocannon: fixed connections, a warm-up that is not
// counted, then `duration` seconds measured. Latency percentiles come from
// every response's own time, so p95 is exact rather than read off buckets.
import autocannon from 'autocannon';

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
  times.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || options.durationSec),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    failures: result.non2xx + result.errors + result.timeouts + result.mismatches,
  };
}
