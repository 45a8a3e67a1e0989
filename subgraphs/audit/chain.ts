// The disclosure log's hash chain: each entry's hash covers the previous
// entry's hash and every field of its own, so changing, removing or
// reordering any entry breaks every hash after it. Pure, for verification.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface LogEntryContent {
  at: Date;
  municipality: string;
  unit: string | null;
  subject: string;
  permissions: string[];
  operation: string;
  kind: string;
  assignments: string[];
  fields: string[];
  basis: string;
  traceId: string;
}

export interface StoredLogEntry extends LogEntryContent, ChainLink {}

/** What an entry's hash covers besides the previous hash, in order. */
function hashedFields(entry: LogEntryContent): unknown[] {
  return [
    entry.at.toISOString(),
    entry.municipality,
    entry.unit,
    entry.subject,
    entry.permissions,
    entry.operation,
    entry.kind,
    entry.assignments,
    entry.fields,
    entry.basis,
    entry.traceId,
  ];
}

/**
 * The hashed JSON after the previous hash: `["<previous>",` followed by this
 * is the whole canonical text, so the database can finish it once it knows
 * the previous hash (a hex string needs no escaping).
 */
export function hashedTail(entry: LogEntryContent): string {
  return JSON.stringify(hashedFields(entry)).slice(1);
}

export function entryHash(previousHash: string, entry: LogEntryContent): string {
  const canonical = JSON.stringify([previousHash, ...hashedFields(entry)]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** The first entry whose link or content does not match; null when the chain holds. */
  firstBrokenSequence: number | null;
  /** The last entry's sequence and hash: what another party can hold to detect a rewrite. */
  anchor: { sequence: number; hash: string } | null;
}

/** What every hash-chained log stores besides its content. */
export interface ChainLink {
  sequence: number;
  previousHash: string;
  hash: string;
}

/**
 * Entries in sequence order. Each must name the previous entry's hash and
 * hash as its content says; sequence numbers only have to increase. A
 * rolled-back append or a process killed mid-append skips a number (the
 * sequence is not transactional), which is a fault, not tampering, so a gap
 * is no break: a removed entry still is, since the next one names its hash.
 */
export function verifyLinks<T extends ChainLink>(
  entries: readonly T[],
  hashOf: (previousHash: string, entry: T) => string,
): ChainVerification {
  let previous = GENESIS_HASH;
  let lastSequence = 0;
  for (const entry of entries) {
    const intact =
      entry.sequence > lastSequence &&
      entry.previousHash === previous &&
      entry.hash === hashOf(previous, entry);
    if (!intact) {
      return { ok: false, checked: entries.length, firstBrokenSequence: entry.sequence, anchor: null };
    }
    previous = entry.hash;
    lastSequence = entry.sequence;
  }
  const last = entries.at(-1);
  return {
    ok: true,
    checked: entries.length,
    firstBrokenSequence: null,
    anchor: last ? { sequence: last.sequence, hash: last.hash } : null,
  };
}

/** The disclosure log's entries in sequence order. */
export const verifyChain = (entries: readonly StoredLogEntry[]): ChainVerification =>
  verifyLinks(entries, entryHash);
