// The Prisma client and the resolver types are generated (npm run generate,
// which npm install runs), never checked in. A process started without them
// would stop on ERR_MODULE_NOT_FOUND deep in an import; this says what to run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** One file in each generated folder, relative to the repository's root. */
export const GENERATED_FILES = [
  'subgraphs/db/generated/client.ts',
  'subgraphs/generated/casework.ts',
  'subgraphs/generated/execution.ts',
  'subgraphs/generated/internal.ts',
  'gateway/generated/agreement.ts',
] as const;

/** The generated folders that are missing or incomplete under `base`. */
export function missingGeneratedCode(base: string = root): string[] {
  const missing = GENERATED_FILES.filter((file) => !existsSync(join(base, file)));
  return [...new Set(missing.map((file) => `${file.slice(0, file.lastIndexOf('/'))}/`))];
}

/** Stops the process with one sentence when generated code is missing. */
export function requireGeneratedCode(base: string = root): void {
  const missing = missingGeneratedCode(base);
  if (missing.length === 0) return;
  console.error(`Run npm run generate first: the generated code in ${missing.join(', ')} is missing.`);
  process.exit(1);
}

// Run as a script (`tsx runtime/generatedCode.ts`) before commands whose
// imports need the generated code: ES modules resolve every import before
// the first line runs, so such a process cannot check for itself.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) requireGeneratedCode();
