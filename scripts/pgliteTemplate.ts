// New PGlite data directories start as a copy of one initialised directory.
// PGlite.create on an empty directory runs PostgreSQL's initdb in WebAssembly,
// seconds per city on two cores; a copy takes a fraction of that. Only initdb
// is saved: each city still applies its migrations and seeds at start.
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

const root = fileURLToPath(new URL('..', import.meta.url));

/** An initialised, empty PGlite data directory for the installed PGlite, made on first use. */
async function initialisedDirectory(): Promise<string> {
  const { version } = JSON.parse(
    readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  ) as { version: string };
  const dir = join(root, 'node_modules/.cache/avhoppare', `pglite-${version}-initdb`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  // Made aside and renamed into place: two networks starting at once never see half a directory.
  const making = `${dir}.${process.pid}.${Date.now()}`;
  mkdirSync(making, { recursive: true });
  const db = await PGlite.create({ dataDir: making });
  await db.close();
  try {
    renameSync(making, dir);
  } catch {
    rmSync(making, { recursive: true, force: true });
  }
  return dir;
}

/** Fills each data directory that does not exist yet with a fresh initialised cluster. */
export async function prepareDataDirectories(dirs: readonly string[]): Promise<void> {
  const fresh = dirs.filter((dir) => !existsSync(dir));
  if (fresh.length === 0) return;
  const template = await initialisedDirectory();
  for (const dir of fresh) cpSync(template, dir, { recursive: true });
}
