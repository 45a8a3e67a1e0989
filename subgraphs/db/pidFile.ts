// A pid lock file next to a PGlite data directory. PGlite is a single-process
// database: two processes opening one directory corrupt it
// (electric-sql/pglite#1106), so the second one must refuse to start.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/** Lock paths this process holds, to tell "opened twice here" from a stale
 * lock left by an earlier process that happened to get the same pid (pid 1 in
 * a container). */
const held = new Set<string>();

export interface DirLock {
  path: string;
  release(): void;
}

export function acquireLock(path: string): DirLock {
  // A stale lock is removed and creation retried; a second failure means
  // another process won the race for it.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      held.add(path);
      return { path, release: () => release(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    if (holder === undefined) continue; // removed meanwhile
    if (Number.isNaN(holder)) {
      throw new Error(`Lock file ${path} is unreadable; remove it if no process uses the database`);
    }
    if (isAlive(holder) && (holder !== process.pid || held.has(path))) {
      throw new Error(`Database is in use by process ${holder} (lock file ${path})`);
    }
    removeIfHeldBy(path, holder);
  }
  throw new Error(`Could not take lock file ${path}`);
}

function release(path: string): void {
  held.delete(path);
  removeIfHeldBy(path, process.pid);
}

function readHolder(path: string): number | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : Number.NaN;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function removeIfHeldBy(path: string, pid: number): void {
  if (readHolder(path) !== pid) return;
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
