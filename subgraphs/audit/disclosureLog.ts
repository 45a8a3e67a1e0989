// Writing and reading this city's disclosure log. Entries are appended under
// a lock so the chain has one order; the table itself refuses changes.
import type { CityDatabase } from '../db/database';
import type { PrismaClient } from '../db/generated/client';
import { entryHash, GENESIS_HASH, verifyChain, type LogEntryContent, type StoredLogEntry } from './chain';

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

type Row = LogEntryContent & { previousHash: string; hash: string };

/** The table's columns and where each value of a row comes from. */
const COLUMNS: [column: string, value: (row: Row) => unknown][] = [
  ['at', (r) => r.at],
  ['municipality', (r) => r.municipality],
  ['unit', (r) => r.unit],
  ['subject', (r) => r.subject],
  ['roles', (r) => r.roles],
  ['operation', (r) => r.operation],
  ['kind', (r) => r.kind],
  ['assignments', (r) => r.assignments],
  ['fields', (r) => r.fields],
  ['basis', (r) => r.basis],
  ['trace_id', (r) => r.traceId],
  ['previous_hash', (r) => r.previousHash],
  ['hash', (r) => r.hash],
];

/**
 * Plain SQL in one transaction (lock, newest hash, one INSERT): on every
 * cross-municipal request's path, where an interactive Prisma transaction
 * costs about three times as much.
 */
async function writeBatch(db: CityDatabase, entries: LogEntryContent[]): Promise<StoredLogEntry[]> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('disclosure-log'))::text`);
    const [last] = await tx.query<{ hash: string }>(
      'SELECT "hash" FROM "disclosure_log" ORDER BY "sequence" DESC LIMIT 1',
    );
    let previousHash = last?.hash ?? GENESIS_HASH;
    const rows = entries.map((entry): Row => {
      const row = { ...entry, previousHash, hash: entryHash(previousHash, entry) };
      previousHash = row.hash;
      return row;
    });
    const params = rows.flatMap((row) => COLUMNS.map(([, value]) => value(row)));
    const values = rows
      .map((_, i) => `(${COLUMNS.map((__, j) => `$${i * COLUMNS.length + j + 1}`).join(', ')})`)
      .join(', ');
    // The sequence follows the order of the rows, which is the chain's.
    const created = await tx.query<{ sequence: number }>(
      `INSERT INTO "disclosure_log" (${COLUMNS.map(([column]) => `"${column}"`).join(', ')}) VALUES ${values} RETURNING "sequence"`,
      params,
    );
    const sequences = created.map((c) => Number(c.sequence)).sort((a, b) => a - b);
    return rows.map((row, i) => ({ ...row, sequence: sequences[i]! }));
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
