// Writing and reading this city's disclosure log. Entries are appended under
// a lock so the chain has one order; the table itself refuses changes.
import type { PrismaClient } from '../db/generated/client';
import { lockFor } from '../db/locks';
import { entryHash, GENESIS_HASH, verifyChain, type LogEntryContent, type StoredLogEntry } from './chain';

export async function appendDisclosure(
  prisma: PrismaClient,
  entry: LogEntryContent,
): Promise<StoredLogEntry> {
  return prisma.$transaction(async (tx) => {
    await lockFor(tx, 'disclosure-log');
    const last = await tx.disclosureLogEntry.findFirst({
      orderBy: { sequence: 'desc' },
      select: { hash: true },
    });
    const previousHash = last?.hash ?? GENESIS_HASH;
    return tx.disclosureLogEntry.create({
      data: { ...entry, previousHash, hash: entryHash(previousHash, entry) },
    });
  });
}

export async function verifyDisclosureLog(prisma: PrismaClient) {
  const entries = await prisma.disclosureLogEntry.findMany({ orderBy: { sequence: 'asc' } });
  return verifyChain(entries);
}
