// npm run demo:reset: puts the demo data back as it was. The cities' PGlite
// directories under DATA_ROOT are removed, each under its own lock so a
// running network is never pulled from under its feet; the next npm start
// creates and seeds them again. Keys stay, so tokens already minted still work.
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_NETWORK } from '../schema/contract/network';
import { acquireLock } from '../subgraphs/db/pidFile';
import { launcherEnvironment, readScriptEnvironment } from './environment';

const { DATA_ROOT: dataRoot } = readScriptEnvironment(launcherEnvironment);
const removed: string[] = [];
for (const { code, name } of DEMO_NETWORK.municipalities) {
  const dir = resolve(join(dataRoot, 'cities', code, 'pgdata'));
  if (!existsSync(dir)) continue;
  let lock;
  try {
    lock = acquireLock(`${dir}.lock`);
  } catch (error) {
    console.error(`${name} (${code}): ${(error as Error).message}. Stop npm start first.`);
    process.exit(1);
  }
  try {
    rmSync(dir, { recursive: true, force: true });
    removed.push(`${name} (${code})`);
  } finally {
    lock.release();
  }
}
console.log(
  removed.length > 0
    ? `Demo data removed for ${removed.join(', ')}; npm start seeds it again.`
    : `No demo data under ${resolve(dataRoot)}; npm start seeds it.`,
);
