// Writing and reading this city's disclosure log. Entries are appended under
// a lock so the chain has one order; the table itself refuses changes.
import type { PrismaClient } from '../db/generated/client';
import { lockFor } from '../db/locks';
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

  constructor(private readonly prisma: PrismaClient) {}

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
          this.prisma,
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

async function writeBatch(prisma: PrismaClient, entries: LogEntryContent[]): Promise<StoredLogEntry[]> {
  return prisma.$transaction(async (tx) => {
    await lockFor(tx, 'disclosure-log');
    const last = await tx.disclosureLogEntry.findFirst({
      orderBy: { sequence: 'desc' },
      select: { hash: true },
    });
    let previousHash = last?.hash ?? GENESIS_HASH;
    const rows = entries.map((entry) => {
      const row = { ...entry, previousHash, hash: entryHash(previousHash, entry) };
      previousHash = row.hash;
      return row;
    });
    // One statement; the sequence follows the order of the rows, which is the chain's.
    const created = await tx.disclosureLogEntry.createManyAndReturn({ data: rows });
    return created.sort((a, b) => a.sequence - b.sequence);
  });
}

// One writer per database client, so every path that logs (GraphQL requests,
// peer messages) shares the same queue and the chain keeps one order.
const writers = new WeakMap<PrismaClient, GroupWriter>();

/** Appends an entry to the log; resolves once it is stored. */
export function appendDisclosure(prisma: PrismaClient, entry: LogEntryContent): Promise<StoredLogEntry> {
  let writer = writers.get(prisma);
  if (!writer) writers.set(prisma, (writer = new GroupWriter(prisma)));
  return writer.append(entry);
}

export async function verifyDisclosureLog(prisma: PrismaClient) {
  const entries = await prisma.disclosureLogEntry.findMany({ orderBy: { sequence: 'asc' } });
  return verifyChain(entries);
}
