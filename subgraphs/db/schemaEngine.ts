// Prisma's own schema engine, in-process. The
// native binary cannot be downloaded here, but @prisma/internals ships the
// engine's wasm build, which runs in-process over a driver adapter (PGlite or
// pg) — the same engine `prisma migrate deploy` / `migrate diff` use.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';

export type { SchemaEngine };

const noFilters: SchemaFilter = { externalTables: [], externalEnums: [] };

// The project's lib settings carry no WebAssembly typings; this is all we use.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let engineClass: Promise<typeof SchemaEngine> | undefined;

/** Instantiates the wasm module by hand: Node cannot import .wasm as ESM (what the package's entry does). */
function loadEngineClass(): Promise<typeof SchemaEngine> {
  engineClass ??= (async () => {
    const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as {
      SchemaEngine: typeof SchemaEngine;
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasm = new Module(readFileSync(join(dirname(gluePath), 'schema_engine_bg.wasm')));
    const instance = new Instance(wasm, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue.SchemaEngine;
  })();
  return engineClass;
}

export async function openSchemaEngine(
  schema: string,
  adapter: SqlMigrationAwareDriverAdapterFactory,
): Promise<SchemaEngine> {
  const Engine = await loadEngineClass();
  return Engine.new(
    { datamodels: [['schema.prisma', schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
}

/** The migrations directory as the CLI hands it to the engine. */
function migrationsList(dir: string): MigrationList {
  const lockfile = join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: readFileSync(lockfile, 'utf8') },
    shadowDbInitScript: '',
    migrationDirectories: readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map(({ name }) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: readFileSync(join(dir, name, 'migration.sql'), 'utf8') },
        },
      }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

/** What `prisma migrate deploy` thinks of the history: accepted and up to date is
 * `{ history: { editedMigrationNames: [], failedMigrationNames: [], hasMigrationsTable: true, history: null },
 *    deploy: { appliedMigrationNames: [] } }`. */
export async function deployVerdict(engine: SchemaEngine, migrationsDir: string) {
  const list = migrationsList(migrationsDir);
  return {
    history: await engine.diagnoseMigrationHistory({
      migrationsList: list,
      optInToShadowDatabase: false,
      filters: noFilters,
    }),
    deploy: await engine.applyMigrations({ migrationsList: list, filters: noFilters }),
  };
}

/** The SQL `prisma migrate diff` would write to take the database to the schema. */
export async function diffToSchema(engine: SchemaEngine, schema: string): Promise<string> {
  const files = [{ path: 'schema.prisma', content: schema }];
  const result = await engine.diff({
    from: { tag: 'schemaDatasource', files, configDir: '.' },
    to: { tag: 'schemaDatamodel', files },
    script: true,
    exitCode: true,
    filters: noFilters,
  });
  return result.stdout ?? '';
}

export const EMPTY_DIFF = '-- This is an empty migration.\n';
