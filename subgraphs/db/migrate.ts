// Applies subgraphs/prisma/migrations at start-up, compatible with
// `prisma migrate deploy`: same _prisma_migrations table, same checksums, same
// advisory lock. The schema engine is not shipped with the cities, and PGlite
// could not be reached by it anyway.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CityDatabase, SqlRunner } from './database';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

/** The key `prisma migrate` locks, so it and the cities exclude each other. */
const ADVISORY_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  script: string;
  /** sha256 hex of the file's bytes, as Prisma records it. */
  checksum: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = join(dir, name, 'migration.sql');
      if (!existsSync(file)) throw new Error(`Migration ${name} has no migration.sql (${file})`);
      const bytes = readFileSync(file);
      return { name, script: bytes.toString('utf8'), checksum: sha256(bytes) };
    });
}

export async function applyMigrations(
  db: CityDatabase,
  migrationsDir = MIGRATIONS_DIR,
): Promise<{ applied: string[] }> {
  const migrations = readMigrations(migrationsDir);
  const run = async () => {
    await db.exec(CREATE_MIGRATIONS_TABLE);
    const recorded = await recordedMigrations(db);
    verify(migrations, recorded);
    const done = new Set(recorded.map((row) => row.migration_name));
    const applied: string[] = [];
    for (const migration of migrations.filter((m) => !done.has(m.name))) {
      await apply(db, migration);
      applied.push(migration.name);
    }
    return { applied };
  };
  // PGlite is guarded by its lock file; one server database may be shared by
  // processes starting at the same moment.
  if (db.kind !== 'postgres') return run();
  return db.session(async (session) => {
    await session.exec(`SELECT pg_advisory_lock(${ADVISORY_LOCK_KEY})`);
    try {
      return await run();
    } finally {
      await session.exec(`SELECT pg_advisory_unlock(${ADVISORY_LOCK_KEY})`);
    }
  });
}

/** Names of migrations on disk that the database has not applied. */
export async function pendingMigrations(db: CityDatabase, migrationsDir = MIGRATIONS_DIR): Promise<string[]> {
  const [{ exists } = { exists: false }] = await db.query<{ exists: boolean }>(
    `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`,
  );
  const recorded = exists ? await recordedMigrations(db) : [];
  const done = new Set(recorded.filter((row) => row.finished_at).map((row) => row.migration_name));
  return readMigrations(migrationsDir)
    .map((m) => m.name)
    .filter((name) => !done.has(name));
}

/** Rows that count: rolled-back attempts are history, as for Prisma. */
function recordedMigrations(db: SqlRunner): Promise<AppliedRow[]> {
  return db.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at FROM _prisma_migrations
      WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
}

/** Refuses to start on a failed or edited migration; both need a human. */
function verify(migrations: MigrationFile[], recorded: AppliedRow[]): void {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of recorded) {
    if (!row.finished_at) {
      throw new Error(
        `Migration ${row.migration_name} failed earlier and was not resolved. Fix the database by hand, then mark it ` +
          `with \`prisma migrate resolve --rolled-back ${row.migration_name}\` (or set rolled_back_at in _prisma_migrations).`,
      );
    }
    const file = byName.get(row.migration_name);
    if (file && !checksumMatches(file.script, row.checksum)) {
      throw new Error(
        `Migration ${row.migration_name} was modified after it was applied: recorded checksum ${row.checksum}, ` +
          `file has ${file.checksum}. Restore the file and add a new migration instead.`,
      );
    }
  }
}

/** The migration and its record commit together, so a failure leaves no trace. */
async function apply(db: CityDatabase, migration: MigrationFile): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      await tx.exec(migration.script);
      await tx.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
    });
  } catch (error) {
    throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Like Prisma, accept the file with either line ending (git may convert them). */
function checksumMatches(script: string, checksum: string): boolean {
  const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')];
  return variants.some((variant) => sha256(variant) === checksum);
}
