// The network a bench run measures. On PostgreSQL it runs as production does
// (NODE_ENV=production: tokens from an identity provider, each city as its
// runtime role, no demo data), seeded with SQL straight into each database.
// PGlite cannot be seeded from outside its city process, so there the
// network runs outside production mode on its demo data, and says so.
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { PERMISSIONS } from '../schema/contract/permissions';
import { PRINCIPAL_HEADER, type Principal } from '../schema/contract/principal';
import { demoId } from '../subgraphs/cities/demo-ids';
import { postgresAvailable } from '../test/support/postgres';
import { DEMO_CITIES, startTestNetwork, type TestNetwork } from '../test/support/network';
import type { LoadTarget } from './load';
import { principalPool } from './principal';
import { CALLER } from './queries';
import { seedAssignments, seededAssignmentId, type CityDb } from './seed';

export const CODES = DEMO_CITIES.map((c) => c.code);

export interface BenchNetwork {
  network: TestNetwork;
  database: 'postgres' | 'pglite';
  /** Whether every process runs with NODE_ENV=production. */
  production: boolean;
  cityDbs: CityDb[];
  networkFile: string;
  keysDir: string;
  /** The bearer token /metrics asks for. */
  metricsToken: string;
  /** A Stockholm assignment that Stockholm's casework endpoint answers alone. */
  singleId: string;
  cityUrl(code: string): string;
  /** A request to a gateway as the caller, with a token of the caller's identity provider. */
  viaGateway(url: string, payload: string): Promise<LoadTarget>;
  /**
   * A request straight to a city's endpoint with principals the way the gateway
   * signs them: one per request, bound to the body (a city accepts each once).
   * `requests` is how many the run may send.
   */
  direct: (
    code: string,
    payload: string,
    role?: 'casework' | 'execution',
  ) => (requests: number) => Promise<LoadTarget>;
  /** Grows every city to `size` bench assignments sent (PostgreSQL only). */
  grow(size: number): Promise<void>;
  seeded(): number;
  stop(): Promise<void>;
}

export async function startBenchNetwork(options: {
  db: 'auto' | 'postgres' | 'pglite';
  shareReads: boolean;
  log: (line: string) => void;
  /** Every process writes a V8 CPU profile here when it exits. */
  cpuProfileDir?: string;
  /** Extra environment for every process (tracing); undefined removes a variable. */
  env?: Record<string, string | undefined>;
}): Promise<BenchNetwork> {
  const usePostgres = options.db === 'postgres' || (options.db === 'auto' && (await postgresAvailable()));
  const database = usePostgres ? 'postgres' : 'pglite';
  const metricsToken = randomBytes(24).toString('hex');
  options.log(`starting the network (${database}${usePostgres ? ', production mode' : ', demo data'})`);
  const network = await startTestNetwork({
    database,
    production: usePostgres,
    demoData: !usePostgres,
    cityTimeoutMs: 10_000,
    cpuProfileDir: options.cpuProfileDir,
    env: { DEDUPE_CITY_READS: String(options.shareReads), METRICS_TOKEN: metricsToken, ...options.env },
  });
  const cityUrl = (code: string) => network.cities.get(code)!.url;
  // Seeded as the owner of the tables: only the owner may ANALYZE them after (the runtime role is skipped).
  const cityDbs: CityDb[] = usePostgres
    ? CODES.map((code) => {
        const { spec } = network.cities.get(code)!;
        return { code, url: spec.databaseOwnerUrl ?? spec.databaseUrl! };
      })
    : [];
  const permissions = [...PERMISSIONS];
  const principal: Principal = {
    municipality: CALLER,
    unit: null,
    subject: `bench-user-${CALLER}`,
    permissions,
  };
  // Within the gateway's longest token lifetime (an hour), made anew for each run.
  const token = () =>
    network.identityProvider
      ? network.identityProvider.mint(CALLER, { permissions, expiresIn: '50m' })
      : network.token(CALLER, permissions);
  let seeded = 0;
  return {
    network,
    database,
    production: usePostgres,
    cityDbs,
    keysDir: network.keysDir,
    networkFile: join(dirname(network.keysDir), 'network.json'),
    metricsToken,
    singleId: usePostgres ? seededAssignmentId(CODES, CALLER, 1) : demoId('asg', '0180', '1280', 1),
    cityUrl,
    async viaGateway(url, payload) {
      return { url, headers: { authorization: `Bearer ${await token()}` }, body: payload };
    },
    direct:
      (code, payload, role = 'casework') =>
      async (requests) => {
        const next = await principalPool(network.keysDir, principal, code, payload, requests);
        return {
          url: `${cityUrl(code)}/${role}/graphql`,
          headers: {},
          headersEach: () => ({ [PRINCIPAL_HEADER]: next() }),
          body: payload,
        };
      },
    async grow(size) {
      if (!usePostgres) throw new Error('Seeding needs PostgreSQL');
      options.log(`seeding ${size} assignments per city`);
      const started = Date.now();
      await seedAssignments(cityDbs, seeded, size);
      seeded = size;
      options.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
    seeded: () => seeded,
    stop: () => network.stop(),
  };
}
