// The gateway depends on the contract (schema/) and the process runtime,
// never on a city's code: what it shares with the cities lives in the contract.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports or re-exports (static or dynamic), resolved when relative. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.map(({ fileName }) =>
    fileName.startsWith('.') ? relative(root, resolve(dirname(file), fileName)) : fileName,
  );
}

describe('the gateway', () => {
  it('imports nothing from subgraphs/', () => {
    const files = sourceFiles(join(root, 'gateway'));
    const offending = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => target === 'subgraphs' || target.startsWith('subgraphs/'))
        .map((target) => `${relative(root, file)} -> ${target}`),
    );

    expect(files.length).toBeGreaterThan(10);
    expect(offending).toEqual([]);
  });
});
