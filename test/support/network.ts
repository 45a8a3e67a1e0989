// The integration harness: a real network (city processes + gateway) on
// ephemeral ports, on PGlite or on throwaway PostgreSQL databases, cleaned
// up however the test ends.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, fetch as fetchWith } from 'undici';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintDevToken } from '../../gateway/auth/devIssuer';
import type { AgreementRecord } from '../../schema/contract/agreements';
import { PERMISSIONS } from '../../schema/contract/permissions';
import { startNetwork, type CitySpec, type NetworkTls, type RunningNetwork } from '../../scripts/network';
import { startIdentityProvider, type StandInIdentityProvider } from './identityProvider';
import { createTempDatabase } from './postgres';
import { createRuntimeRole } from './roles';

export type DatabaseKind = 'pglite' | 'postgres';

export const DEMO_CITIES: CitySpec[] = [
  { code: '0180', name: 'Stockholm' },
  { code: '1480', name: 'Göteborg' },
  { code: '1280', name: 'Malmö' },
];

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Sends a GraphQL request to a gateway as a person of `municipality`. */
export type GatewayQuery = <T = Record<string, unknown>>(
  municipality: string,
  query: string,
  variables?: Record<string, unknown>,
  /** The person's permissions; by default every permission, so tests of other rules are not about permissions. */
  permissions?: string[],
) => Promise<GraphQLResult<T>>;

export interface TestNetwork extends RunningNetwork {
  keysDir: string;
  /** In production mode: the stand-in identity provider every municipality's tokens come from. */
  identityProvider?: StandInIdentityProvider;
  /** fetch that trusts the network's certificate authority (and presents its certificate) under TLS. */
  fetch: (
    url: string,
    init?: { method?: string; headers?: Record<string, string>; body?: string },
  ) => Promise<Response>;
  /** Queries through gateway replica `index` (0 is the one `query` uses). */
  replica(index: number): { url: string; query: GatewayQuery };
  /** Sends a GraphQL request to a city's internal API with a token of that city. */
  internal<T = Record<string, unknown>>(
    municipality: string,
    query: string,
    variables?: Record<string, unknown>,
    permissions?: string[],
  ): Promise<GraphQLResult<T>>;
  token(municipality: string, permissions?: string[]): Promise<string>;
  /** Sends a GraphQL request to the gateway as a person of `municipality`. */
  query<T = Record<string, unknown>>(
    municipality: string,
    query: string,
    variables?: Record<string, unknown>,
    /** The person's permissions; by default every permission, so tests of other rules are not about permissions. */
    permissions?: string[],
  ): Promise<GraphQLResult<T>>;
}

export async function startTestNetwork(
  options: {
    cities?: CitySpec[];
    database?: DatabaseKind;
    cityTimeoutMs?: number;
    demoData?: boolean;
    /** Agreements as data; written to a file the cities and the gateway read. */
    agreements?: readonly AgreementRecord[];
    /**
     * Every process in production mode (fails closed, masked errors, no
     * introspection): tokens come from a stand-in identity provider on
     * loopback, and on PostgreSQL each city runs as a runtime role of its own.
     */
    production?: boolean;
    /** HTTPS between every process (and to the gateway). */
    tls?: NetworkTls;
    circuitCooldownMs?: number;
    /** Gateway replicas in front of the same cities. @default 1 */
    gateways?: number;
    /** Extra environment of each gateway replica, by index. */
    replicaEnv?: Record<string, string | undefined>[];
    /** Extra environment for every process; undefined removes a variable. */
    env?: Record<string, string | undefined>;
    /** Every line the processes write; printed when NETWORK_LOG is set otherwise. */
    output?: (source: string, line: string) => void;
    /** Every process writes a V8 CPU profile here when it exits. */
    cpuProfileDir?: string;
  } = {},
): Promise<TestNetwork> {
  const dir = mkdtempSync(join(tmpdir(), 'avhoppare-net-'));
  const keysDir = join(dir, 'keys');
  const databases: { drop(): Promise<void> }[] = [];
  const cities = options.cities ?? DEMO_CITIES;
  const roles: { drop(): Promise<void> }[] = [];
  let identityProvider: StandInIdentityProvider | undefined;
  const cleanup = async () => {
    await Promise.all(databases.map((db) => db.drop().catch(() => {})));
    await Promise.all(roles.map((role) => role.drop().catch(() => {})));
    await identityProvider?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  let running: RunningNetwork;
  try {
    const specs: CitySpec[] = [];
    for (const city of cities) {
      if (options.database === 'postgres') {
        const db = await createTempDatabase();
        databases.push(db);
        if (options.production) {
          const role = await createRuntimeRole(db.url);
          roles.push(role);
          specs.push({ ...city, databaseUrl: role.url, databaseOwnerUrl: db.url });
        } else specs.push({ ...city, databaseUrl: db.url });
      } else specs.push(city);
    }
    let agreementsFile: string | undefined;
    if (options.agreements) {
      agreementsFile = join(dir, 'agreements.json');
      writeFileSync(agreementsFile, JSON.stringify(options.agreements));
    }
    if (options.production) identityProvider = await startIdentityProvider(cities.map((c) => c.code));
    running = await startNetwork({
      identityProviders: identityProvider
        ? Object.fromEntries(cities.map((c) => [c.code, identityProvider!.entryOf(c.code)]))
        : undefined,
      tls: options.tls,
      cities: specs,
      agreementsFile,
      keysDir,
      dataRoot: dir,
      demoData: options.demoData ?? true,
      production: options.production,
      circuitCooldownMs: options.circuitCooldownMs,
      gateways: options.gateways,
      replicaEnv: options.replicaEnv,
      cityTimeoutMs: options.cityTimeoutMs ?? 3000,
      env: options.env,
      cpuProfileDir: options.cpuProfileDir,
      output:
        options.output ??
        (process.env.NETWORK_LOG ? (source, line) => console.log(`[${source}] ${line}`) : undefined),
    });
  } catch (error) {
    await cleanup();
    throw error;
  }
  const tokens = new Map<string, Promise<string>>();
  const token = (municipality: string, permissions: string[] = [...PERMISSIONS]) => {
    const key = `${municipality}:${permissions.join(',')}`;
    if (!tokens.has(key))
      tokens.set(
        key,
        identityProvider
          ? identityProvider.mint(municipality, { permissions })
          : mintDevToken(keysDir, { municipality, permissions }),
      );
    return tokens.get(key)!;
  };
  const stop = running.stop.bind(running);
  const tls = options.tls;
  const agent = tls
    ? new Agent({
        connect: {
          ca: readFileSync(tls.caFile, 'utf8'),
          cert: readFileSync(tls.certFile, 'utf8'),
          key: readFileSync(tls.keyFile, 'utf8'),
        },
      })
    : undefined;
  const fetch: TestNetwork['fetch'] = async (url, init) =>
    (agent
      ? await fetchWith(url, { ...init, dispatcher: agent })
      : await globalThis.fetch(url, init)) as unknown as Response;
  const queryThrough =
    (url: string): GatewayQuery =>
    async (municipality, query, variables, permissions) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await token(municipality, permissions)}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    };
  const network: TestNetwork = {
    ...running,
    keysDir,
    identityProvider,
    fetch,
    token,
    query: queryThrough(running.gatewayUrl),
    replica(index) {
      const { url } = running.gateways[index]!;
      return { url, query: queryThrough(url) };
    },
    async internal(municipality, query, variables, permissions) {
      const response = await fetch(`${running.cities.get(municipality)!.url}/internal/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await token(municipality, permissions)}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async stop() {
      await stop();
      await agent?.close();
      await cleanup();
    },
    [Symbol.asyncDispose]: () => network.stop(),
  };
  return network;
}

/** The databases the integration tests run against: PGlite always, PostgreSQL where reachable. */
export async function databaseKinds(): Promise<DatabaseKind[]> {
  const { postgresAvailable, postgresRequired } = await import('./postgres');
  if (await postgresAvailable()) return ['pglite', 'postgres'];
  if (postgresRequired) throw new Error('PostgreSQL must be reachable when CI=true');
  return ['pglite'];
}

/**
 * One database for a file whose subject does not depend on it (the gateway's
 * own behaviour): PostgreSQL where reachable, as in production, else PGlite.
 * Every database meets the gateway in the federation tests.
 */
export async function oneDatabaseKind(): Promise<DatabaseKind> {
  return (await databaseKinds()).includes('postgres') ? 'postgres' : 'pglite';
}
