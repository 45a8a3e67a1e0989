// npm run compose: composes schema/*.graphql into schema/supergraph.graphql.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeSupergraph, SUPERGRAPH_FILE } from '../schema/compose';

const { supergraphSdl, errors } = composeSupergraph();
if (!supergraphSdl) {
  console.error(`Composition failed:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}
writeFileSync(SUPERGRAPH_FILE, supergraphSdl);
console.log(`Wrote ${fileURLToPath(SUPERGRAPH_FILE)}`);
