// npm run schema:check: compares the public schema the gateway serves today
// with the last released one (schema/published/released.graphql) using GraphQL
// Inspector, lists breaking, dangerous and safe changes, and fails on a
// breaking change that docs/schema-changes.md does not note under
// "Unreleased", or when schema/published/public.graphql is not the schema served today.
// npm run schema:publish writes schema/published/public.graphql.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Change } from '@graphql-inspector/core';
import {
  compareSchemas,
  PUBLIC_SCHEMA_FILE,
  publicSchema,
  RELEASE_NOTES_FILE,
  RELEASED_SCHEMA_FILE,
} from './schema/public';

const current = publicSchema();
if (process.argv.includes('--publish')) {
  writeFileSync(PUBLIC_SCHEMA_FILE, current);
  console.log('Wrote schema/published/public.graphql');
  process.exit(0);
}

let failed = false;
if (readFileSync(PUBLIC_SCHEMA_FILE, 'utf8') !== current) {
  console.error(
    'schema/published/public.graphql is not the schema the gateway serves: run npm run schema:publish.',
  );
  failed = true;
}
const report = await compareSchemas(
  readFileSync(RELEASED_SCHEMA_FILE, 'utf8'),
  current,
  readFileSync(RELEASE_NOTES_FILE, 'utf8'),
);
const list = (title: string, changes: Change[]) => {
  console.log(`${title}: ${changes.length}`);
  for (const change of changes) console.log(`  - ${change.message}${change.path ? ` (${change.path})` : ''}`);
};
console.log('Compared with schema/published/released.graphql:');
list('Breaking', report.breaking);
list('Dangerous', report.dangerous);
list('Safe', report.safe);
if (report.unnoted.length > 0) {
  console.error(
    `\n${report.unnoted.length} breaking change(s) without a release note: name each path in backticks under "## Unreleased" in docs/schema-changes.md:`,
  );
  for (const change of report.unnoted) console.error(`  - ${change.path ?? change.message}`);
  failed = true;
}
process.exit(failed ? 1 : 0);
