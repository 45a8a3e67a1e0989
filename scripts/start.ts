// npm start: the demo network on its embedded defaults (PGlite per city,
// local dev issuers), with demo data, until Ctrl-C.
import { mintDevToken } from '../gateway/auth/devIssuer';
import { devIssuer } from '../schema/contract/identity';
import { DEMO_NETWORK } from '../schema/contract/network';
import { requireGeneratedCode } from '../runtime/generatedCode';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoAgreements } from '../schema/contract/agreements';
import { stockholmDay } from '../subgraphs/clock';
import { launcherEnvironment, readScriptEnvironment } from './environment';
import { ensureWebAppBuilt } from './demo/webApp';
import { startNetwork } from './network';

requireGeneratedCode();
const {
  KEYS_DIR: keysDir,
  DATA_ROOT: dataRoot,
  PORT: gatewayPort,
  IDP_PORT: identityProviderPort,
  VERBOSE: verbose,
} = readScriptEnvironment(launcherEnvironment);
const began = Date.now();
const appUrl = `http://localhost:${gatewayPort}/`;
console.log(`The app: ${appUrl}`);
console.log(
  'Starting the demo network (Stockholm 0180, Göteborg 1480, Malmö 1280, their sign-in and the gateway)...',
);
ensureWebAppBuilt();
// Loaded here, not at the top: the app's address is the first thing the launcher prints.
const { appOrigins, startDemoIdentityProviders } = await import('./demo/identityProviders');
// Each municipality's people sign in at its own OpenID provider (demo users, password "demo").
const identityProviders = await startDemoIdentityProviders({
  municipalities: DEMO_NETWORK.municipalities,
  appOrigins: appOrigins(gatewayPort),
  port: identityProviderPort,
  publicHost: 'localhost',
});
console.log(`  ✔ ${'sign-in (OpenID)'.padEnd(16)} ${identityProviders.url}`);

mkdirSync(dataRoot, { recursive: true });
const agreementsFile = join(dataRoot, 'agreements.json');
writeFileSync(agreementsFile, JSON.stringify(demoAgreements(stockholmDay(new Date())), null, 2));

const network = await startNetwork({
  cities: DEMO_NETWORK.municipalities.map((m) => ({
    code: m.code,
    name: m.name,
    port: Number(new URL(m.url).port),
    // People sign in to the gateway at the demo providers; the cities' internal APIs keep
    // trusting the local dev issuer, so npm run token and the audit tools work as before.
    start: { env: { ISSUER: devIssuer(m.code) } },
  })),
  gatewayPort,
  keysDir,
  dataRoot,
  demoData: true,
  agreementsFile,
  identityProviders: Object.fromEntries(
    DEMO_NETWORK.municipalities.map((m) => [m.code, identityProviders.entryOf(m.code)]),
  ),
  onProgress: (event) => {
    if (event.kind === 'starting') console.log(`  … starting ${event.name}`);
    if (event.kind === 'ready') console.log(`  ✔ ${event.name.padEnd(16)} ${event.url}`);
  },
  output: readable(verbose),
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

const token = await mintDevToken(keysDir, { municipality: '0180', permissions: ['caseworker'] });
console.log(`
Ready in ${((Date.now() - began) / 1000).toFixed(1)} s.
The app: ${appUrl} (sign in as e.g. sto-caseworker or gbg-coordinator, password "demo")
Gateway: ${network.gatewayUrl.replace('127.0.0.1', 'localhost')}

Try, as Stockholm (0180):

curl -s ${network.gatewayUrl.replace('127.0.0.1', 'localhost')} \\
  -H 'content-type: application/json' \\
  -H 'authorization: Bearer ${token}' \\
  -d '{"query":"{ assignments(first: 10) { edges { node { id homeMunicipality receivingMunicipality status planSummary { items { category estimatedCost { amount } } } costs { total { amount currency } } } } pageInfo { hasNextPage endCursor } } }"}'

Tokens for other cities: npm run -s token -- --municipality 1480
Press Ctrl-C to stop.`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping...');
  void network
    .stop()
    .then(() => identityProviders.close())
    .then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const running of [...network.cities.values(), network.gateway]) {
  running.child.once('exit', (code) => {
    if (!stopping) console.error(`${running.name} exited unexpectedly (${code}); the others keep running.`);
  });
}

/**
 * The processes log JSON lines; here they read as one short line each:
 * warnings and errors always, everything with VERBOSE=1.
 */
function readable(verbose: boolean) {
  const hidden = new Set(['time', 'level', 'msg', 'service', 'municipality', 'pid', 'hostname']);
  return (source: string, line: string) => {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      if (verbose) console.log(`[${source}] ${line}`);
      return;
    }
    const level = typeof entry.level === 'string' ? entry.level : 'info';
    if (!verbose && !['warn', 'error', 'fatal'].includes(level)) return;
    const fields = Object.entries(entry)
      .filter(([key]) => !hidden.has(key))
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
    console.log(
      `[${source}] ${time} ${level.padEnd(5)} ${typeof entry.msg === 'string' ? entry.msg : ''} ${fields.join(' ')}`.trimEnd(),
    );
  };
}
