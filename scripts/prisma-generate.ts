// Generates the Prisma client without network access.
//
// `prisma generate` only needs the schema engine binary to be present on
// disk; it never runs it. When no engine is configured we point the CLI at an
// empty placeholder so it does not try to download one.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEnvironment, readScriptEnvironment } from './environment';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function placeholderEngine(): string {
  const dir = join(tmpdir(), 'prisma-generate');
  const file = join(dir, 'schema-engine-placeholder');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, '', { mode: 0o755 });
  }
  return file;
}

const { PRISMA_SCHEMA_ENGINE_BINARY: engine } = readScriptEnvironment(generateEnvironment);
// Prisma's CLI reads its own variables too: the environment is passed on.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
  PRISMA_SCHEMA_ENGINE_BINARY: engine || placeholderEngine(),
};

const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'prisma.cmd' : 'prisma');
const child = spawn(bin, ['generate', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});

child.on('error', (err) => {
  console.error(`prisma-generate: could not start ${bin}: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    console.error(`prisma-generate: prisma terminated by ${signal}`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
