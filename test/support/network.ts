// The integration harness: a real network (city processes + gateway) on
// ephemeral ports, on PGlite or on throwaway PostgreSQL databases, cleaned
// up however the test ends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintDevToken } from '../../gateway/auth/devIssuer';
import type { AgreementRecord } from '../../subgraphs/agreement/agreements';
import { ROLES } from '../../schema/contract/roles';
import { startNetwork, type CitySpec, type RunningNetwork } from '../../scripts/network';
import { createTempDatabase } from './postgres';

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
  /** The person's roles; by default every role, so tests of other rules are not about roles. */
  roles?: string[],
) => Promise<GraphQLResult<T>>;

export interface TestNetwork extends RunningNetwork {
  keysDir: string;
  /** Queries through gateway replica `index` (0 is the one `query` uses). */
  replica(index: number): { url: string; query: GatewayQuery };
  /** Sends a GraphQL request to a city's internal API with a token of that city. */
  internal<T = Record<string, unknown>>(
    municipality: string,
    query: string,
    variables?: Record<string, unknown>,
    roles?: string[],
  ): Promise<GraphQLResult<T>>;
  token(municipality: string, roles?: string[]): Promise<string>;
  /** Sends a GraphQL request to the gateway as a person of `municipality`. */
  query<T = Record<string, unknown>>(
    municipality: string,
    query: string,
    variables?: Record<string, unknown>,
    /** The person's roles; by default every role, so tests of other rules are not about roles. */
    roles?: string[],
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
    /** Every process in production mode (masked errors, no introspection). */
    production?: boolean;
    circuitCooldownMs?: number;
    /** Gateway replicas in front of the same cities. @default 1 */
    gateways?: number;
    /** Extra environment for every process; undefined removes a variable. */
    env?: Record<string, string | undefined>;
    /** Every line the processes write; printed when NETWORK_LOG is set otherwise. */
    output?: (source: string, line: string) => void;
  } = {},
): Promise<TestNetwork> {
  const dir = mkdtempSync(join(tmpdir(), 'avhoppare-net-'));
  const keysDir = join(dir, 'keys');
  const databases: { drop(): Promise<void> }[] = [];
  const cities = options.cities ?? DEMO_CITIES;
  const cleanup = async () => {
    await Promise.all(databases.map((db) => db.drop().catch(() => {})));
    rmSync(dir, { recursive: true, force: true });
  };
  let running: RunningNetwork;
  try {
    const specs: CitySpec[] = [];
    for (const city of cities) {
      if (options.database === 'postgres') {
        const db = await createTempDatabase();
        databases.push(db);
        specs.push({ ...city, databaseUrl: db.url });
      } else specs.push(city);
    }
    let agreementsFile: string | undefined;
    if (options.agreements) {
      agreementsFile = join(dir, 'agreements.json');
      writeFileSync(agreementsFile, JSON.stringify(options.agreements));
    }
    running = await startNetwork({
      cities: specs,
      agreementsFile,
      keysDir,
      dataRoot: dir,
      demoData: options.demoData ?? true,
      production: options.production,
      circuitCooldownMs: options.circuitCooldownMs,
      gateways: options.gateways,
      cityTimeoutMs: options.cityTimeoutMs ?? 3000,
      env: options.env,
      output:
        options.output ??
        (process.env.NETWORK_LOG ? (source, line) => console.log(`[${source}] ${line}`) : undefined),
    });
  } catch (error) {
    await cleanup();
    throw error;
  }
  const tokens = new Map<string, Promise<string>>();
  const token = (municipality: string, roles: string[] = [...ROLES]) => {
    const key = `${municipality}:${roles.join(',')}`;
    if (!tokens.has(key)) tokens.set(key, mintDevToken(keysDir, { municipality, roles }));
    return tokens.get(key)!;
  };
  const stop = running.stop.bind(running);
  const queryThrough =
    (url: string): GatewayQuery =>
    async (municipality, query, variables, roles) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await token(municipality, roles)}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    };
  const network: TestNetwork = {
    ...running,
    keysDir,
    token,
    query: queryThrough(running.gatewayUrl),
    replica(index) {
      const { url } = running.gateways[index]!;
      return { url, query: queryThrough(url) };
    },
    async internal(municipality, query, variables, roles) {
      const response = await fetch(`${running.cities.get(municipality)!.url}/internal/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await token(municipality, roles)}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async stop() {
      await stop();
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
