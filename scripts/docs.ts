// npm run docs: writes the generated parts of docs/ (configuration, permission
// and error tables, the newest bench figures) from the code that defines them.
// `npm run docs -- --check` writes nothing and fails when a document is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDocs, ROOT } from './docs/generate';

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [file, text] of await generateDocs()) {
  const path = join(ROOT, file);
  if (readFileSync(path, 'utf8') === text) continue;
  stale.push(file);
  if (!check) writeFileSync(path, text);
}
if (check && stale.length > 0) {
  console.error(`Stale: ${stale.join(', ')}. Run npm run docs.`);
  process.exit(1);
}
console.log(stale.length === 0 ? 'docs/ is up to date' : `Wrote ${stale.join(', ')}`);
