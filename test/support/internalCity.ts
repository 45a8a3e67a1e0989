// One real city process in-process, for tests of its internal API: temporary
// keys, a temporary PGlite directory or throwaway PostgreSQL database, an
// ephemeral port, and GraphQL over HTTP with tokens of the dev issuers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintDevToken, type DevTokenRequest } from '../../gateway/auth/devIssuer';
import { PERMISSIONS } from '../../schema/contract/permissions';
import { devIssuerKeyFiles, gatewayKeyFiles } from '../../runtime/keys';
import { ensureKeyPair } from '../../runtime/keys';
import { createLogger } from '../../runtime/logger';
import type { CityConfig } from '../../subgraphs/city';
import { readCityRuntimeConfig } from '../../subgraphs/config';
import { startCity } from '../../subgraphs/server';
import { createTempDatabase, postgresAvailable, postgresRequired } from './postgres';
import { prepareDataDirectories } from '../../scripts/pgliteTemplate';

export type DatabaseKind = 'pglite' | 'postgres';

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestCity {
  url: string;
  keysDir: string;
  city: CityConfig;
  token(request?: Partial<DevTokenRequest>): Promise<string>;
  /** POSTs to /internal/graphql; `token: null` sends no authorization header. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string | null },
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/** PGlite always; PostgreSQL when it answers (and it must answer with CI=true). */
export async function internalDatabaseKinds(): Promise<DatabaseKind[]> {
  if (await postgresAvailable()) return ['pglite', 'postgres'];
  if (postgresRequired) throw new Error('PostgreSQL must be reachable when CI=true');
  return ['pglite'];
}

/**
 * Starts the city `code` the way `npm run city` does (readCityRuntimeConfig),
 * without demo data; `configure` may change its configuration, e.g. add units.
 */
export async function startTestCity(options: {
  code: string;
  database: DatabaseKind;
  configure?: (city: CityConfig) => CityConfig;
}): Promise<TestCity> {
  const dir = mkdtempSync(join(tmpdir(), 'avhoppare-internal-'));
  const keysDir = join(dir, 'keys');
  let drop = async () => {};
  const cleanup = async () => {
    await drop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await ensureKeyPair(gatewayKeyFiles(keysDir));
    await ensureKeyPair(devIssuerKeyFiles(keysDir, options.code));
    const environment: NodeJS.ProcessEnv = {
      CITY: options.code,
      PORT: '0',
      KEYS_DIR: keysDir,
      DATA_DIR: join(dir, 'pgdata'),
      DEMO_DATA: 'false',
      NODE_ENV: 'test',
    };
    if (options.database === 'pglite') await prepareDataDirectories([environment.DATA_DIR!]);
    if (options.database === 'postgres') {
      const database = await createTempDatabase();
      drop = database.drop;
      environment.DATABASE_URL = database.url;
    }
    const config = await readCityRuntimeConfig(environment);
    const city = options.configure ? options.configure(config.city) : config.city;
    // Quiet unless asked: the test runner's output is for the tests.
    const log = createLogger({ service: `test-city-${city.code}`, level: process.env.LOG_LEVEL ?? 'silent' });
    const running = await startCity({ ...config, city }, { log });
    const token = (request: Partial<DevTokenRequest> = {}) =>
      mintDevToken(keysDir, { municipality: options.code, permissions: [...PERMISSIONS], ...request });
    const defaultToken = token();
    return {
      url: `${running.url}/internal/graphql`,
      keysDir,
      city,
      token,
      async graphql<T>(
        query: string,
        variables?: Record<string, unknown>,
        opts: { token?: string | null } = {},
      ) {
        const bearer = opts.token === undefined ? await defaultToken : opts.token;
        const response = await fetch(`${running.url}/internal/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
          },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
        return { status: response.status, ...body };
      },
      async stop() {
        try {
          await running.stop();
        } finally {
          await cleanup();
        }
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
