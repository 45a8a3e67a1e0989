// The public API schema: what clients of the gateway see, the composed
// supergraph without its hidden (@inaccessible) fields and federation
// machinery. Published as schema/published/public.graphql for code generators, and
// compared with the last released one (schema/published/released.graphql).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supergraph } from '@apollo/federation-internals';
import { buildSchema, printSchema } from 'graphql';
import { diff, CriticalityLevel, type Change } from '@graphql-inspector/core';
import { SUPERGRAPH_FILE } from '../../schema/files';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PUBLIC_SCHEMA_FILE = join(ROOT, 'schema', 'published', 'public.graphql');
export const RELEASED_SCHEMA_FILE = join(ROOT, 'schema', 'published', 'released.graphql');
export const RELEASE_NOTES_FILE = join(ROOT, 'docs', 'schema-changes.md');

/** The public schema of a supergraph, printed. */
export function publicSchema(supergraphSdl: string = readFileSync(SUPERGRAPH_FILE, 'utf8')): string {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return `${printSchema(api)}\n`;
}

export interface SchemaReport {
  breaking: Change[];
  dangerous: Change[];
  safe: Change[];
  /** Breaking changes whose path no release note under "Unreleased" names. */
  unnoted: Change[];
}

/**
 * The release notes' "## Unreleased" section: a breaking change is noted
 * when its path (e.g. `Query.assignments`) appears there in backticks.
 */
export function unreleasedNotes(notes: string): string {
  return /^## Unreleased\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(notes)?.[1] ?? '';
}

export async function compareSchemas(
  released: string,
  current: string,
  notes: string,
): Promise<SchemaReport> {
  const changes = await diff(buildSchema(released), buildSchema(current));
  const of = (level: CriticalityLevel) => changes.filter((c) => c.criticality.level === level);
  const unreleased = unreleasedNotes(notes);
  const breaking = of(CriticalityLevel.Breaking);
  return {
    breaking,
    dangerous: of(CriticalityLevel.Dangerous),
    safe: of(CriticalityLevel.NonBreaking),
    unnoted: breaking.filter((change) => !change.path || !unreleased.includes(`\`${change.path}\``)),
  };
}
