// What the bench reads from the processes and the work tree: each city's SQL
// statement counter, a process's resident memory, the commit measured; and
// how a run is written to bench/results/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** city_sql_statements_total of one city (its base URL); `token` is what /metrics asks for. */
export async function sqlStatements(cityUrl: string, token?: string): Promise<number> {
  const response = await fetch(`${cityUrl.replace(/\/$/, '')}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await response.text();
  const line = text.split('\n').find((l) => l.startsWith('city_sql_statements_total'));
  if (!line) throw new Error(`${cityUrl}/metrics has no city_sql_statements_total`);
  return Number(line.trim().split(/\s+/).at(-1));
}

export async function sqlSnapshot(
  cities: ReadonlyMap<string, string>,
  token?: string,
): Promise<Map<string, number>> {
  const entries = await Promise.all(
    [...cities].map(async ([code, url]) => [code, await sqlStatements(url, token)] as const),
  );
  return new Map(entries);
}

/** Resident set size of a process in MiB (Linux /proc), or null where unreadable. */
export function rssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/** The commit measured, with "+changes" when the work tree differs from it; null outside git. */
function measuredCommit(): string | null {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    });
    return dirty.trim() ? `${commit}+changes` : commit;
  } catch {
    return null;
  }
}

// Read as the bench starts, when the processes' bundles are built from the work tree, so
// that edits made while it runs are not taken for what was measured.
const COMMIT_AT_START = measuredCommit();

/**
 * Writes a run to `dir` as `<prefix><start time>.json` (colons replaced, so the
 * name is valid everywhere), with when it ran, the commit and the machine first.
 */
export function writeRun(dir: string, prefix: string, startedAt: Date, run: object): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${prefix}${startedAt.toISOString().replace(/:/g, '-')}.json`);
  const header = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit: COMMIT_AT_START,
    machine: { cpus: cpus().length, node: process.version, platform: process.platform },
  };
  writeFileSync(file, `${JSON.stringify({ ...header, ...run }, null, 2)}\n`);
  return file;
}

export interface Bucket {
  /** Upper bound in the metric's unit; Infinity for +Inf. */
  le: number;
  /** Observations at or under `le` (cumulative, as exposed). */
  count: number;
}

/** One series of a histogram from a /metrics text: `labels` are `name="value"` pairs it must carry. */
export function histogramBuckets(text: string, name: string, labels: readonly string[]): Bucket[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}_bucket{`) && labels.every((label) => line.includes(label)))
    .map((line) => {
      const le = /le="([^"]+)"/.exec(line)![1]!;
      return { le: le === '+Inf' ? Infinity : Number(le), count: Number(line.trim().split(/\s+/).at(-1)) };
    })
    .sort((a, b) => a.le - b.le);
}

/** The buckets of what was observed between two readings of one series. */
export function bucketsBetween(before: readonly Bucket[], after: readonly Bucket[]): Bucket[] {
  return after.map(({ le, count }) => ({ le, count: count - (before.find((b) => b.le === le)?.count ?? 0) }));
}

/**
 * The q-quantile of a histogram, interpolated linearly inside the bucket it falls in,
 * as Prometheus's histogram_quantile does; null without observations. Its precision is
 * the bucket's width: the bench prints it beside the share within the target.
 */
export function histogramQuantile(buckets: readonly Bucket[], q: number): number | null {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const { le, count } of buckets) {
    if (count >= rank) {
      if (le === Infinity) return lower;
      return lower + ((le - lower) * (rank - below)) / Math.max(count - below, 1);
    }
    lower = le;
    below = count;
  }
  return lower;
}

/** The share of a histogram's observations at or under `le` (one of its bounds). */
export function shareWithin(buckets: readonly Bucket[], le: number): number | null {
  const total = buckets.at(-1)?.count ?? 0;
  const within = buckets.find((b) => b.le === le);
  return total === 0 || !within ? null : within.count / total;
}
