// A city's database: embedded PGlite (one data directory per city) or a real
// PostgreSQL server. Both are reached through the same Prisma client and the
// same small raw-SQL surface used by migrations and health checks.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/client/runtime/client';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/client';
import { acquireLock } from './pidFile';

export type DatabaseOptions = (
  | { kind: 'pglite'; dataDir: string }
  | {
      kind: 'postgres';
      url: string;
      /** Most connections open at once. @default 10 */
      poolSize?: number;
    }
) & {
  /** Called with every SQL statement sent, by the Prisma client or as raw SQL. */
  onQuery?: (sql: string) => void;
  /** Called when an idle pooled connection fails (PostgreSQL only). */
  onIdleError?: (error: Error) => void;
};

export interface SqlRunner {
  /** Runs a script of one or more statements (no parameters). */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface CityDatabase extends SqlRunner {
  readonly kind: DatabaseOptions['kind'];
  readonly prisma: PrismaClient;
  /** Runs fn inside BEGIN/COMMIT on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Runs fn on one dedicated connection (session state such as advisory locks). */
  session<T>(fn: (session: SqlRunner) => Promise<T>): Promise<T>;
  /** Connections open, idle and requests waiting for one. */
  pool(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<CityDatabase> {
  return options.kind === 'pglite'
    ? openPGlite(options.dataDir, options.onQuery)
    : openPostgres(options.url, options.poolSize, options.onQuery, options.onIdleError);
}

async function openPGlite(dataDir: string, onQuery?: (sql: string) => void): Promise<CityDatabase> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  // Two processes opening one PGlite directory corrupt it (electric-sql/pglite#1106).
  const lock = acquireLock(`${dir}.lock`);
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir: dir });
  } catch (error) {
    lock.release();
    throw error;
  }
  const report = onQuery ?? (() => {});
  const runner = (q: Pick<PGlite, 'exec' | 'query'>): SqlRunner => ({
    exec: async (sql) => void (report(sql), await q.exec(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (report(sql), await q.query<T>(sql, params)).rows,
  });
  const prisma = new PrismaClient({ adapter: observe(new PrismaPGlite(db), onQuery) });
  return {
    kind: 'pglite',
    prisma,
    ...runner(db),
    async transaction(fn) {
      report('BEGIN');
      try {
        const result = await db.transaction((tx) => fn(runner(tx)));
        report('COMMIT');
        return result;
      } catch (error) {
        report('ROLLBACK');
        throw error;
      }
    },
    // One embedded connection, always open.
    pool: () => ({ total: 1, idle: 1, waiting: 0 }),
    // PGlite has a single connection; there is nothing to pin.
    session: (fn) => fn(runner(db)),
    async close() {
      try {
        await prisma.$disconnect();
        await db.close();
      } finally {
        lock.release();
      }
    },
  };
}

async function openPostgres(
  url: string,
  poolSize = 10,
  onQuery?: (sql: string) => void,
  onIdleError?: (error: Error) => void,
): Promise<CityDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server ends (restart, administrator) is replaced on
  // the next query; without a listener the error would end the process.
  pool.on('error', (error) => onIdleError?.(error));
  // Fail at start-up on a wrong URL rather than at the first request.
  await pool.query('SELECT 1').catch(async (error: unknown) => {
    await pool.end();
    throw error;
  });
  const report = onQuery ?? (() => {});
  const runner = (q: pg.Pool | pg.PoolClient): SqlRunner => ({
    // Without parameters pg uses the simple-query protocol, which accepts
    // several statements in one string.
    exec: async (sql) => void (report(sql), await q.query(sql)),
    query: async <T>(sql: string, params?: unknown[]) =>
      (report(sql), await q.query(sql, params)).rows as T[],
  });
  const session = async <T>(fn: (s: SqlRunner) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await fn(runner(client));
    } finally {
      client.release();
    }
  };
  const prisma = new PrismaClient({ adapter: observe(new PrismaPg(pool), onQuery) });
  return {
    kind: 'postgres',
    prisma,
    ...runner(pool),
    session,
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async transaction(fn) {
      const client = await pool.connect();
      const tx = runner(client);
      let broken: unknown;
      try {
        await tx.exec('BEGIN');
        const result = await fn(tx);
        await tx.exec('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is discarded, not pooled.
        await tx.exec('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
        throw error;
      } finally {
        client.release(broken as Error | undefined);
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

type Adapter = Awaited<ReturnType<SqlDriverAdapterFactory['connect']>>;
type SqlQuery = Parameters<Adapter['queryRaw']>[0];

/**
 * Reports every statement Prisma sends. Wrapping the adapter (not the driver)
 * also sees queries inside transactions, and BEGIN/COMMIT are reported the
 * same way for both drivers although pg sends them through the adapter and
 * PGlite inside its own transaction() ("phantom" queries).
 */
function observe(factory: SqlDriverAdapterFactory, onQuery?: (sql: string) => void): SqlDriverAdapterFactory {
  if (!onQuery) return factory;
  const report = onQuery;
  const reporting = (q: Pick<Adapter, 'queryRaw' | 'executeRaw'>) => ({
    queryRaw: (query: SqlQuery) => (report(query.sql), q.queryRaw(query)),
    executeRaw: (query: SqlQuery) => (report(query.sql), q.executeRaw(query)),
  });
  return delegate(factory, {
    connect: async () => {
      const adapter = await factory.connect();
      return delegate(adapter, {
        ...reporting(adapter),
        startTransaction: async (isolationLevel) => {
          const tx = await adapter.startTransaction(isolationLevel);
          report('BEGIN');
          if (isolationLevel) report(`SET TRANSACTION ISOLATION LEVEL ${isolationLevel}`);
          if (!tx.options.usePhantomQuery) return delegate(tx, reporting(tx));
          return delegate(tx, {
            ...reporting(tx),
            commit: () => (report('COMMIT'), tx.commit()),
            rollback: () => (report('ROLLBACK'), tx.rollback()),
          });
        },
      });
    },
  });
}

/** A proxy that answers with overrides where given and forwards the rest. */
function delegate<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, key) {
      if (Object.hasOwn(overrides, key)) return (overrides as Record<PropertyKey, unknown>)[key];
      const value: unknown = Reflect.get(t, key, t);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(t) : value;
    },
  });
}
