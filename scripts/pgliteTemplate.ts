// New PGlite data directories start as a copy of one migrated directory.
// PGlite.create on an empty directory runs PostgreSQL's initdb in WebAssembly,
// and the migrations take as long again: seconds per city on two cores, where a
// copy takes a fraction of that. The copy holds the migrations already applied,
// recorded in _prisma_migrations by the cities' own code, so a city starting on
// it checks them and finds nothing to do; seeds still run at each start.
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../subgraphs/db/database';
import { applyMigrations, readMigrations } from '../subgraphs/db/migrate';

const root = fileURLToPath(new URL('..', import.meta.url));
const CACHE_DIR = join(root, 'node_modules/.cache/avhoppare');

/** The template's name: the installed PGlite and every migration, so a change to either makes a new one. */
function templateName(): string {
  const { version } = JSON.parse(
    readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  ) as { version: string };
  const migrations = createHash('sha256');
  for (const { name, checksum } of readMigrations()) migrations.update(`${name}:${checksum}\n`);
  return `pglite-${version}-migrated-${migrations.digest('hex').slice(0, 16)}`;
}

/** A migrated, otherwise empty PGlite data directory for the installed PGlite, made on first use. */
async function migratedDirectory(): Promise<string> {
  const name = templateName();
  const dir = join(CACHE_DIR, name);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  // Made aside and renamed into place: two networks starting at once never see half a directory.
  const making = `${dir}.${process.pid}.${randomUUID()}`;
  mkdirSync(making, { recursive: true });
  try {
    const db = await openDatabase({ kind: 'pglite', dataDir: making });
    try {
      await applyMigrations(db);
    } finally {
      await db.close();
    }
  } catch (error) {
    rmSync(making, { recursive: true, force: true });
    throw error;
  }
  try {
    renameSync(making, dir);
  } catch {
    // Another process put its template in place first; it must be whole.
    rmSync(making, { recursive: true, force: true });
    if (!existsSync(join(dir, 'PG_VERSION'))) throw new Error(`The PGlite template ${dir} is incomplete`);
  }
  // Templates of earlier migrations or PGlite versions are never used again.
  for (const entry of readdirSync(CACHE_DIR))
    if (entry.startsWith('pglite-') && !entry.startsWith(name))
      rmSync(join(CACHE_DIR, entry), { recursive: true, force: true });
  return dir;
}

/** Fills each data directory that does not exist yet with a fresh migrated cluster. */
export async function prepareDataDirectories(dirs: readonly string[]): Promise<void> {
  const fresh = dirs.filter((dir) => !existsSync(dir));
  if (fresh.length === 0) return;
  const template = await migratedDirectory();
  for (const dir of fresh) cpSync(template, dir, { recursive: true });
}
