// Writing and reading this city's disclosure log. Entries are appended under
// a lock so the chain has one order; the table itself refuses changes.
import type { CityDatabase } from '../db/database';
import type { Prisma, PrismaClient } from '../db/generated/client';
import { entryHash, hashedTail, verifyChain, type LogEntryContent, type StoredLogEntry } from './chain';
import { chainedLog } from './chainedLog';

const disclosureLog = chainedLog<LogEntryContent>({
  name: 'disclosure log',
  appendFunction: 'disclosure_log_append',
  tail: hashedTail,
  hash: entryHash,
});

/** Appends an entry to the log; resolves once it is stored. */
export function appendDisclosure(db: CityDatabase, entry: LogEntryContent): Promise<StoredLogEntry> {
  return disclosureLog.append(db, entry);
}

/**
 * Appends entries inside the caller's transaction: the change and its entry
 * commit together or not at all (messages between cities).
 */
export function appendDisclosuresIn(
  tx: Prisma.TransactionClient,
  entries: LogEntryContent[],
): Promise<StoredLogEntry[]> {
  return disclosureLog.appendIn(tx, entries);
}

export async function verifyDisclosureLog(prisma: PrismaClient) {
  const entries = await prisma.disclosureLogEntry.findMany({ orderBy: { sequence: 'asc' } });
  return verifyChain(entries);
}
