// A demo network for the web app's browser tests and its benchmark: three
// cities, the demo OpenID providers and a gateway serving the built app,
// on ephemeral ports, removed however the caller ends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintDevToken } from '../../../gateway/auth/devIssuer';
import { demoAgreements } from '../../../schema/contract/agreements';
import { devIssuer } from '../../../schema/contract/identity';
import {
  startDemoIdentityProviders,
  type DemoIdentityProviders,
} from '../../../scripts/demo/identityProviders';
import { ensureWebAppBuilt, WEB_APP_DIR } from '../../../scripts/demo/webApp';
import { freePort, startNetwork, type RunningNetwork } from '../../../scripts/network';
import { stockholmDay } from '../../../subgraphs/clock';

export const CITIES = [
  { code: '0180', name: 'Stockholm' },
  { code: '1480', name: 'Göteborg' },
  { code: '1280', name: 'Malmö' },
];

export interface WebNetwork {
  /** Where the browser opens the app. */
  appUrl: string;
  network: RunningNetwork;
  identityProviders: DemoIdentityProviders;
  /** Sends an operation's text to the gateway as a caseworker of `municipality` (a script's dev token). */
  query(
    municipality: string,
    query: string,
  ): Promise<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }>;
  /** A city's internal API, as a caseworker of a unit of that city (scripts' dev token). */
  internal<T>(
    municipality: string,
    unit: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<T>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface WebNetworkOptions {
  /** The gateway runs only the built app's operations, as production should. @default false */
  trustedDocuments?: boolean;
}

export async function startWebNetwork(options: WebNetworkOptions = {}): Promise<WebNetwork> {
  ensureWebAppBuilt(() => {});
  const dir = mkdtempSync(join(tmpdir(), 'avhoppare-web-'));
  const keysDir = join(dir, 'keys');
  const agreementsFile = join(dir, 'agreements.json');
  writeFileSync(agreementsFile, JSON.stringify(demoAgreements(stockholmDay(new Date()))));
  // The providers name the app's origin among their redirect URIs: its port is chosen first.
  const gatewayPort = await freePort();
  const appUrl = `http://127.0.0.1:${gatewayPort}`;
  const identityProviders = await startDemoIdentityProviders({
    municipalities: CITIES,
    appOrigins: [appUrl],
  });
  let network: RunningNetwork;
  try {
    network = await startNetwork({
      cities: CITIES.map((city) => ({
        ...city,
        // Internal APIs keep trusting the local dev issuer, for the tests' own set-up calls.
        start: { env: { ISSUER: devIssuer(city.code) } },
      })),
      gatewayPort,
      keysDir,
      dataRoot: dir,
      demoData: true,
      agreementsFile,
      // A stopped city refuses connections at once; the budget is for a busy machine's slow answers.
      cityTimeoutMs: 10_000,
      circuitCooldownMs: 1000,
      identityProviders: Object.fromEntries(CITIES.map((c) => [c.code, identityProviders.entryOf(c.code)])),
      env: {
        WEB_APP_DIR,
        ...(options.trustedDocuments
          ? { TRUSTED_DOCUMENTS_FILE: join(WEB_APP_DIR, 'persisted-documents.json') }
          : {}),
      },
      output: process.env.NETWORK_LOG ? (source, line) => console.log(`[${source}] ${line}`) : undefined,
    });
  } catch (error) {
    await identityProviders.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const stop = async () => {
    await network.stop();
    await identityProviders.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    appUrl,
    network,
    identityProviders,
    async query(municipality, query) {
      const token = await mintDevToken(keysDir, { municipality, permissions: ['caseworker'] });
      const response = await fetch(`${appUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as Awaited<ReturnType<WebNetwork['query']>>;
    },
    async internal<T>(
      municipality: string,
      unit: string,
      query: string,
      variables?: Record<string, unknown>,
    ) {
      const token = await mintDevToken(keysDir, { municipality, unit, permissions: ['caseworker'] });
      const response = await fetch(`${network.cities.get(municipality)!.url}/internal/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data as T;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
