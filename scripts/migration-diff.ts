// npm run -s migration:diff [-- --write <name>]: the SQL that takes a database
// migrated with subgraphs/prisma/migrations to schema.prisma, computed by
// Prisma's own schema engine (wasm) over an in-memory PGlite. With --write it
// becomes the next migration in Prisma's layout.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { MIGRATIONS_DIR, readMigrations } from '../subgraphs/db/migrate';
import { diffToSchema, EMPTY_DIFF, openSchemaEngine } from '../subgraphs/db/schemaEngine';

const { values } = parseArgs({ options: { write: { type: 'string' } } });
const schema = readFileSync(new URL('../subgraphs/prisma/schema.prisma', import.meta.url), 'utf8');

const pglite = await PGlite.create();
for (const migration of readMigrations()) await pglite.exec(migration.script);
const engine = await openSchemaEngine(schema, new PrismaPGlite(pglite));
try {
  const sql = await diffToSchema(engine, schema);
  if (sql === EMPTY_DIFF) {
    console.log('-- The migrations already match schema.prisma.');
  } else if (values.write) {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = join(MIGRATIONS_DIR, `${stamp}_${values.write}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'migration.sql'), sql);
    console.log(`Wrote ${join(dir, 'migration.sql')}`);
  } else {
    process.stdout.write(sql);
  }
} finally {
  engine.free();
  await pglite.close();
}
