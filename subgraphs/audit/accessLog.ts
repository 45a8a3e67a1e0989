// The access log: every read and change of a case record by the city's own
// staff, through the internal API. Who (unit, subject, permissions), which
// operation, which cases, which fields, when, under which trace. Hash-chained
// and append-only like the disclosure log (chain.ts), on its own chain, and
// checkpointed to the other cities the same way, so the city's auditors can
// trust what it says and its administrator cannot rewrite it unseen.
import { createHash } from 'node:crypto';
import type { CityDatabase } from '../db/database';
import type { Prisma, PrismaClient } from '../db/generated/client';
import { verifyLinks, type ChainLink, type ChainVerification } from './chain';
import { chainedLog } from './chainedLog';

export interface AccessEntryContent {
  at: Date;
  unit: string | null;
  subject: string;
  permissions: string[];
  operation: string;
  /** "read" or "change". */
  kind: 'read' | 'change';
  cases: string[];
  /** Type.field a read selected; the arguments a change was given (names only, never values). */
  fields: string[];
  traceId: string;
}

export interface StoredAccessEntry extends AccessEntryContent, ChainLink {}

function hashedFields(entry: AccessEntryContent): unknown[] {
  return [
    entry.at.toISOString(),
    entry.unit,
    entry.subject,
    entry.permissions,
    entry.operation,
    entry.kind,
    entry.cases,
    entry.fields,
    entry.traceId,
  ];
}

export function accessEntryHash(previousHash: string, entry: AccessEntryContent): string {
  return createHash('sha256')
    .update(JSON.stringify([previousHash, ...hashedFields(entry)]))
    .digest('hex');
}

const accessLog = chainedLog<AccessEntryContent>({
  name: 'access log',
  appendFunction: 'case_access_log_append',
  tail: (entry) => JSON.stringify(hashedFields(entry)).slice(1),
  hash: accessEntryHash,
});

/** Appends an entry; resolves once it is stored. */
export function appendAccess(db: CityDatabase, entry: AccessEntryContent): Promise<StoredAccessEntry> {
  return accessLog.append(db, entry);
}

/** Appends an entry inside the caller's transaction: a change and its entry commit together. */
export async function appendAccessIn(
  tx: Prisma.TransactionClient,
  entry: AccessEntryContent,
): Promise<StoredAccessEntry> {
  const [stored] = await accessLog.appendIn(tx, [entry]);
  return stored!;
}

export async function verifyAccessLog(prisma: PrismaClient): Promise<ChainVerification> {
  const entries = await prisma.caseAccessLogEntry.findMany({ orderBy: { sequence: 'asc' } });
  return verifyLinks(
    entries.map((e) => ({ ...e, kind: e.kind as AccessEntryContent['kind'] })),
    accessEntryHash,
  );
}
