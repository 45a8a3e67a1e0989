// Appending to a hash-chained, append-only log table: the disclosure log and
// the access log differ only in their columns, their hash and the database
// function that appends them.
import type { CityDatabase } from '../db/database';
import type { Prisma } from '../db/generated/client';
import type { ChainLink } from './chain';
import { groupWriter } from './groupWriter';

/** What every entry of a chained log has; `permissions` is stored in the `roles` column. */
interface EntryBase {
  at: Date;
  permissions: string[];
}

export interface ChainedLogSpec<E extends EntryBase> {
  /** For error messages: "disclosure log". */
  name: string;
  /** The database function that takes the chain's lock, links the rows and inserts them (see its migration). */
  appendFunction: string;
  /** The entry's hashed fields after the previous hash, as JSON without its opening bracket. */
  tail(entry: E): string;
  hash(previousHash: string, entry: E): string;
}

export interface ChainedLog<E extends EntryBase> {
  /** Appends an entry; resolves once it is stored. */
  append(db: CityDatabase, entry: E): Promise<E & ChainLink>;
  /** Appends entries inside the caller's transaction: a change and its entries commit together or not at all. */
  appendIn(tx: Prisma.TransactionClient, entries: E[]): Promise<(E & ChainLink)[]>;
}

type AppendQuery = (
  sql: string,
  payload: string,
) => Promise<{ sequence: number; previous_hash: string; hash: string }[]>;

/**
 * One statement per batch, so a request pays one round trip for its entry.
 * Each returned hash is checked against the chain's own rule, so an entry the
 * verifier would reject (a database not in UTF-8) fails its request at once
 * instead of passing unnoticed until the next verification.
 */
export function chainedLog<E extends EntryBase>(spec: ChainedLogSpec<E>): ChainedLog<E> {
  const APPEND = `SELECT "sequence", "previous_hash", "hash" FROM ${spec.appendFunction}($1::jsonb)`;
  const writeBatch = async (query: AppendQuery, entries: E[]): Promise<(E & ChainLink)[]> => {
    // The append function's keys are the table's column names.
    const payload = entries.map(({ permissions, ...entry }) => ({
      ...entry,
      roles: permissions,
      at: entry.at.toISOString(),
      tail: spec.tail({ permissions, ...entry } as E),
    }));
    const rows = await query(APPEND, JSON.stringify(payload));
    if (rows.length !== entries.length)
      throw new Error(`The ${spec.name} stored ${rows.length} of ${entries.length} entries`);
    return entries.map((entry, i) => {
      const row = rows[i]!;
      const stored = {
        ...entry,
        sequence: Number(row.sequence),
        previousHash: row.previous_hash,
        hash: row.hash,
      };
      if (stored.hash !== spec.hash(stored.previousHash, entry))
        throw new Error(`The ${spec.name}'s entry ${stored.sequence} does not hash as the chain requires`);
      return stored;
    });
  };
  // One writer per database, so every path that logs shares one queue and the chain keeps one order.
  const writers = new WeakMap<CityDatabase, (entry: E) => Promise<E & ChainLink>>();
  return {
    append(db, entry) {
      let append = writers.get(db);
      if (!append) {
        append = groupWriter((batch) => writeBatch((sql, payload) => db.query(sql, [payload]), batch));
        writers.set(db, append);
      }
      return append(entry);
    },
    appendIn: (tx, entries) => writeBatch((sql, payload) => tx.$queryRawUnsafe(sql, payload), entries),
  };
}
