// npm run compose: composes schema/*.graphql into schema/supergraph.graphql.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeSupergraph } from '../schema/compose';
import { SUPERGRAPH_FILE } from '../schema/files';

const { supergraphSdl, errors } = composeSupergraph();
if (!supergraphSdl) {
  console.error(`Composition failed:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}
writeFileSync(SUPERGRAPH_FILE, supergraphSdl);
console.log(`Wrote ${fileURLToPath(SUPERGRAPH_FILE)}`);
