// Builds each process's code into one JavaScript file (`dist/city.mjs`,
// `dist/gateway.mjs`), packages left as imports. A process started from it
// loads in about half the time it takes through a TypeScript loader, which
// resolves and transforms each of the project's modules on every start.
// `npm start`, the tests and the bench build before they start processes, so
// they never run stale code; `npm run build` does it for `npm run city` and
// `npm run gateway`.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { requireGeneratedCode } from '../runtime/generatedCode';

const root = fileURLToPath(new URL('..', import.meta.url));
export const DIST_DIR = join(root, 'dist');

/** Each process's entry, by the file it is built into under dist/. */
export const PROCESS_ENTRIES = {
  'city.mjs': 'subgraphs/main.ts',
  'gateway.mjs': 'gateway/main.ts',
} as const;
export type ProcessBundle = keyof typeof PROCESS_ENTRIES;

// Modules find their files next to their source (`new URL('../prisma/migrations',
// import.meta.url)`): in the bundle, import.meta.url stays each module's own source file.
const sourceUrls: Plugin = {
  name: 'source-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromDist = relative(DIST_DIR, path).split('\\').join('/');
      return {
        contents: text.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(fromDist)}, import.meta.url).href`,
        ),
        loader: 'ts',
      };
    });
  },
};

/**
 * Bundles each entry (a source file relative to the repository) into dist/ under its name.
 * A file is replaced whole, so a process starting meanwhile reads the old or the new one.
 */
export async function bundle(entries: Readonly<Record<string, string>>): Promise<void> {
  // Flat: sourceUrls reaches each source file from dist/ itself.
  const nested = Object.keys(entries).find((out) => out.includes('/'));
  if (nested) throw new Error(`A bundle goes straight into dist/, not ${nested}`);
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.entries(entries).map(([out, entry]) => ({
      in: entry,
      out: out.replace(/\.mjs$/, ''),
    })),
    outdir: DIST_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // Packages load from node_modules as they do under tsx: one graphql module for Apollo and us.
    packages: 'external',
    sourcemap: 'linked',
    plugins: [sourceUrls],
    write: false,
    logLevel: 'warning',
  });
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const aside = `${file.path}.${process.pid}.tmp`;
    writeFileSync(aside, file.contents);
    renameSync(aside, file.path);
  }
}

let built: Promise<void> | undefined;
/** Builds once per process (a network starts many processes from the same code). */
export function processesBuilt(): Promise<void> {
  built ??= bundle(PROCESS_ENTRIES);
  return built;
}

export function bundlePath(bundle: ProcessBundle): string {
  return join(DIST_DIR, bundle);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  requireGeneratedCode();
  await bundle(PROCESS_ENTRIES);
}
