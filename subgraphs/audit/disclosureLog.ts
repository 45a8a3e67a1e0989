// Writing and reading this city's disclosure log. Entries are appended under
// a lock so the chain has one order; the table itself refuses changes.
import type { CityDatabase } from '../db/database';
import type { PrismaClient } from '../db/generated/client';
import { entryHash, hashedTail, verifyChain, type LogEntryContent, type StoredLogEntry } from './chain';

/** Most entries written in one transaction. */
const MAX_BATCH = 200;

interface Pending {
  entry: LogEntryContent;
  stored(entry: StoredLogEntry): void;
  failed(error: unknown): void;
}

/**
 * Group commit: entries that arrive while a write is under way go together in
 * the next transaction. Each caller still waits until its own entry is stored
 * (nothing is answered unlogged), but the chain's lock is taken once per batch
 * rather than once per request, so concurrent readers do not queue on it.
 */
class GroupWriter {
  private readonly queue: Pending[] = [];
  private writing = false;

  constructor(private readonly db: CityDatabase) {}

  append(entry: LogEntryContent): Promise<StoredLogEntry> {
    return new Promise((stored, failed) => {
      this.queue.push({ entry, stored, failed });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        const stored = await writeBatch(
          this.db,
          batch.map((p) => p.entry),
        );
        batch.forEach((p, i) => p.stored(stored[i]!));
      } catch (error) {
        for (const p of batch) p.failed(error);
      }
    }
    this.writing = false;
  }
}

/**
 * One statement per batch: `disclosure_log_append` (see its migration) takes
 * the chain's lock, reads the newest hash and inserts the rows, so a
 * cross-municipal request pays one round trip for its entry, not five.
 * Each returned hash is checked against the chain's own rule, so an entry the
 * verifier would reject (a database not in UTF-8) fails its request at once
 * instead of passing unnoticed until the next verification.
 */
async function writeBatch(db: CityDatabase, entries: LogEntryContent[]): Promise<StoredLogEntry[]> {
  const payload = entries.map((entry) => ({ ...entry, at: entry.at.toISOString(), tail: hashedTail(entry) }));
  const rows = await db.query<{ sequence: number; previous_hash: string; hash: string }>(
    'SELECT "sequence", "previous_hash", "hash" FROM disclosure_log_append($1::jsonb)',
    [JSON.stringify(payload)],
  );
  if (rows.length !== entries.length)
    throw new Error(`The disclosure log stored ${rows.length} of ${entries.length} entries`);
  return entries.map((entry, i) => {
    const row = rows[i]!;
    const stored = {
      ...entry,
      sequence: Number(row.sequence),
      previousHash: row.previous_hash,
      hash: row.hash,
    };
    if (stored.hash !== entryHash(stored.previousHash, entry))
      throw new Error(`Disclosure log entry ${stored.sequence} does not hash as the chain requires`);
    return stored;
  });
}

// One writer per database, so every path that logs (GraphQL requests,
// peer messages) shares the same queue and the chain keeps one order.
const writers = new WeakMap<CityDatabase, GroupWriter>();

/** Appends an entry to the log; resolves once it is stored. */
export function appendDisclosure(db: CityDatabase, entry: LogEntryContent): Promise<StoredLogEntry> {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new GroupWriter(db)));
  return writer.append(entry);
}

export async function verifyDisclosureLog(prisma: PrismaClient) {
  const entries = await prisma.disclosureLogEntry.findMany({ orderBy: { sequence: 'asc' } });
  return verifyChain(entries);
}
