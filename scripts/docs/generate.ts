// What `npm run docs` writes: the parts of docs/ that are generated from the
// code (configuration tables from the environment schemas, the permission and
// error tables from the contract, the newest bench figures), each between
// `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` in its document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { gatewayEnvironment } from '../../gateway/config';
import { processEnvironment, serverEnvironment } from '../../runtime/environment';
import { cityEnvironment } from '../../subgraphs/config';
import { generateEnvironment, launcherEnvironment, toolEnvironment } from '../environment';
import { benchFigures, steadyFigures } from './bench';
import { errorTable, evaluationColumnTable, permissionTable } from './contract';
import { environmentTable } from './environment';
import { replaceSection, sectionNames } from './markdown';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type Section = (root: string) => string;

/** Each document's generated sections, by name, in the order they appear. */
export const DOCUMENTS: Record<string, Record<string, Section>> = {
  'docs/operating.md': {
    'gateway-env': () => environmentTable(gatewayEnvironment),
    'city-env': () => environmentTable(cityEnvironment),
    'server-env': () => environmentTable(serverEnvironment),
    'process-env': () => environmentTable(processEnvironment),
    'launcher-env': () => environmentTable(launcherEnvironment),
    'tools-env': () => environmentTable(toolEnvironment),
    'generate-env': () => environmentTable(generateEnvironment),
  },
  'docs/integrating.md': {
    permissions: (root) => permissionTable(root, ['casework', 'execution', 'agreement']),
    'error-codes': () => errorTable(),
    'evaluation-columns': () => evaluationColumnTable(),
  },
  'docs/internal-api.md': {
    'internal-permissions': (root) => permissionTable(root, ['internal']),
  },
  'docs/performance.md': {
    'bench-figures': (root) => benchFigures(root),
    'steady-figures': (root) => steadyFigures(root),
  },
};

/** Every document as `npm run docs` would write it, formatted as Prettier formats it. */
export async function generateDocs(root: string = ROOT): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  for (const [file, sections] of Object.entries(DOCUMENTS)) {
    const path = join(root, file);
    let text = readFileSync(path, 'utf8');
    const found = sectionNames(text).join(', ');
    const declared = Object.keys(sections).join(', ');
    if (found !== declared)
      throw new Error(`${file} has generated sections [${found}], expected [${declared}]`);
    for (const [name, render] of Object.entries(sections)) text = replaceSection(text, name, render(root));
    const options = await prettier.resolveConfig(path);
    written.set(file, await prettier.format(text, { ...options, filepath: path }));
  }
  return written;
}
