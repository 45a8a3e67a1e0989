// The demo serves the built web app: build it when it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The built app's directory, as the gateway reads it (WEB_APP_DIR's default). */
export const WEB_APP_DIR = join(root, 'web', 'dist');

/** Builds the web app when it is missing or older than its sources; throws when the build fails. */
export function ensureWebAppBuilt(log: (line: string) => void = console.log): void {
  const built = join(WEB_APP_DIR, 'index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) return;
  log('  … building the web app');
  const build = spawnSync('npm', ['run', '-s', 'build:web'], {
    cwd: root,
    // Under a test runner NODE_ENV is "test", and Vite would build React's development
    // bundle with import.meta.env.DEV set: an app that sends no persisted documents.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('The web app did not build (npm run build:web)');
}

/** When the app's sources last changed (its code, its page, the API's schema it is typed against). */
function newestSource(): number {
  const files = [
    ...readdirSync(join(root, 'web', 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => !f.startsWith('gql'))
      .map((f) => join(root, 'web', 'src', f)),
    join(root, 'web', 'index.html'),
    join(root, 'schema', 'supergraph.graphql'),
  ];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}
