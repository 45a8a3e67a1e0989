// Writing and reading this city's disclosure log. Entries are appended under
// a lock so the chain has one order; the table itself refuses changes.
import type { CityDatabase } from '../db/database';
import type { Prisma, PrismaClient } from '../db/generated/client';
import { entryHash, hashedTail, verifyChain, type LogEntryContent, type StoredLogEntry } from './chain';
import { groupWriter } from './groupWriter';

/**
 * One statement per batch: `disclosure_log_append` (see its migration) takes
 * the chain's lock, reads the newest hash and inserts the rows, so a
 * cross-municipal request pays one round trip for its entry, not five.
 * Each returned hash is checked against the chain's own rule, so an entry the
 * verifier would reject (a database not in UTF-8) fails its request at once
 * instead of passing unnoticed until the next verification.
 */
type AppendQuery = (
  sql: string,
  payload: string,
) => Promise<{ sequence: number; previous_hash: string; hash: string }[]>;

const APPEND = 'SELECT "sequence", "previous_hash", "hash" FROM disclosure_log_append($1::jsonb)';

async function writeBatch(query: AppendQuery, entries: LogEntryContent[]): Promise<StoredLogEntry[]> {
  // The append function's keys are the table's column names.
  const payload = entries.map(({ permissions, ...entry }) => ({
    ...entry,
    roles: permissions,
    at: entry.at.toISOString(),
    tail: hashedTail({ permissions, ...entry }),
  }));
  const rows = await query(APPEND, JSON.stringify(payload));
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
const writers = new WeakMap<CityDatabase, (entry: LogEntryContent) => Promise<StoredLogEntry>>();

/** Appends an entry to the log; resolves once it is stored. */
export function appendDisclosure(db: CityDatabase, entry: LogEntryContent): Promise<StoredLogEntry> {
  let append = writers.get(db);
  if (!append) {
    append = groupWriter((batch) => writeBatch((sql, payload) => db.query(sql, [payload]), batch));
    writers.set(db, append);
  }
  return append(entry);
}

/**
 * Appends entries inside the caller's transaction: the change and its entry
 * commit together or not at all (messages between cities).
 */
export function appendDisclosuresIn(
  tx: Prisma.TransactionClient,
  entries: LogEntryContent[],
): Promise<StoredLogEntry[]> {
  return writeBatch((sql, payload) => tx.$queryRawUnsafe(sql, payload), entries);
}

export async function verifyDisclosureLog(prisma: PrismaClient) {
  const entries = await prisma.disclosureLogEntry.findMany({ orderBy: { sequence: 'asc' } });
  return verifyChain(entries);
}
