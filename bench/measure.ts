// What the bench reads from the processes: each city's SQL statement counter
// and a process's resident memory.
import { readFileSync } from 'node:fs';

/** city_sql_statements_total of one city (its base URL). */
export async function sqlStatements(cityUrl: string): Promise<number> {
  const response = await fetch(`${cityUrl.replace(/\/$/, '')}/metrics`);
  const text = await response.text();
  const line = text.split('\n').find((l) => l.startsWith('city_sql_statements_total'));
  if (!line) throw new Error(`${cityUrl}/metrics has no city_sql_statements_total`);
  return Number(line.trim().split(/\s+/).at(-1));
}

export async function sqlSnapshot(cities: ReadonlyMap<string, string>): Promise<Map<string, number>> {
  const entries = await Promise.all(
    [...cities].map(async ([code, url]) => [code, await sqlStatements(url)] as const),
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
