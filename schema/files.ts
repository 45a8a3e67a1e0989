// Where the schema's files are, apart from composing them: the processes read
// their SDL from here without loading the composition library.
import { readFileSync } from 'node:fs';

/** The federated subgraphs, one per role. Cities are shards behind each one. */
export const SUBGRAPHS = ['casework', 'execution', 'agreement'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

const schemaDir = new URL('.', import.meta.url);

export function subgraphSdl(name: SubgraphName): string {
  return readFileSync(new URL(`${name}.graphql`, schemaDir), 'utf8');
}

export const SUPERGRAPH_FILE = new URL('supergraph.graphql', schemaDir);

export const AGREED_FIELDS_FILE = new URL('agreed-fields.txt', schemaDir);
