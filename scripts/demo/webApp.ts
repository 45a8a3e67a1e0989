// The demo serves the built web app: build it when it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The built app's directory, as the gateway reads it (WEB_APP_DIR's default). */
export const WEB_APP_DIR = join(root, 'web', 'dist');

/** Builds the web app unless it is built already; throws when the build fails. */
export function ensureWebAppBuilt(log: (line: string) => void = console.log): void {
  if (existsSync(join(WEB_APP_DIR, 'index.html'))) return;
  log('  … building the web app (first start only)');
  const build = spawnSync('npm', ['run', '-s', 'build:web'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('The web app did not build (npm run build:web)');
}
