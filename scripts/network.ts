// Starts a network as separate processes: one per city, then the gateway.
// Used by `npm start` and by the integration tests.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { devIssuerKeyFiles, gatewayKeyFiles } from '../schema/contract/identity';
import { ensureKeyPair } from '../schema/contract/keys';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface CitySpec {
  /** A folder under subgraphs/cities ... */
  code: string;
  name: string;
  /** ... or a configuration file for a city that has no folder. */
  configFile?: string;
  /** Fixed port; 0 or absent picks a free one. */
  port?: number;
  /** PostgreSQL URL; absent means embedded PGlite under dataRoot. */
  databaseUrl?: string;
}

export interface NetworkOptions {
  cities: CitySpec[];
  gatewayPort?: number;
  /** Gateway replicas on one network; they share no state. The first gets gatewayPort. @default 1 */
  gateways?: number;
  keysDir: string;
  /** Where PGlite data directories and the network file go. */
  dataRoot: string;
  demoData?: boolean;
  /** Agreements as data (JSON); the built-in agreements when absent. */
  agreementsFile?: string;
  cityTimeoutMs?: number;
  /** How long the gateway fails fast for a city that keeps failing. */
  circuitCooldownMs?: number;
  production?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** Child output goes here; by default it is dropped. */
  output?: (source: string, line: string) => void;
  /** Extra environment for every child (LOG_LEVEL, OTEL_*); undefined removes a variable. */
  env?: Record<string, string | undefined>;
}

export type ProgressEvent =
  | { kind: 'starting'; name: string }
  | { kind: 'ready'; name: string; url: string }
  | { kind: 'stopped'; name: string };

export interface RunningProcess {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
}

export interface RunningNetwork {
  /** The first gateway's URL. */
  gatewayUrl: string;
  cities: Map<string, RunningProcess & { spec: CitySpec }>;
  /** The first gateway. */
  gateway: RunningProcess;
  /** Every gateway replica, the first one included. */
  gateways: RunningProcess[];
  /** Stops one city (SIGTERM, then SIGKILL after a grace period). */
  stopCity(code: string): Promise<void>;
  /** Starts a stopped city again on its old port. */
  startCity(code: string): Promise<void>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function start(
  name: string,
  script: string,
  env: Record<string, string>,
  options: NetworkOptions,
): Promise<RunningProcess> {
  options.onProgress?.({ kind: 'starting', name });
  const child = fork(join(root, script), [], {
    cwd: root,
    env: Object.fromEntries(
      Object.entries({ ...process.env, ...options.env, ...env }).filter(([, value]) => value !== undefined),
    ),
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const tail: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      options.output?.(name, line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise((resolveReady, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`${name} exited (${code}) before it was ready:\n${tail.join('\n')}`));
    child.once('exit', onExit);
    child.on('message', (message: { type?: string; url?: string; port?: number }) => {
      if (message.type !== 'ready') return;
      child.off('exit', onExit);
      options.onProgress?.({ kind: 'ready', name, url: message.url! });
      resolveReady({ name, url: message.url!, port: message.port!, child });
    });
  });
}

async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

export async function startNetwork(options: NetworkOptions): Promise<RunningNetwork> {
  const dataRoot = resolve(options.dataRoot);
  const keysDir = resolve(options.keysDir);
  mkdirSync(dataRoot, { recursive: true });
  await ensureKeyPair(gatewayKeyFiles(keysDir));
  for (const city of options.cities) await ensureKeyPair(devIssuerKeyFiles(keysDir, city.code));

  // Written once the cities have their ports; cities read it when they first need it.
  const networkFile = join(dataRoot, 'network.json');
  const common: Record<string, string> = {
    KEYS_DIR: keysDir,
    NETWORK_FILE: networkFile,
    NODE_ENV: options.production ? 'production' : 'development',
    ...(options.agreementsFile ? { AGREEMENTS_FILE: resolve(options.agreementsFile) } : {}),
  };
  const cityEnv = (spec: CitySpec, port: number): Record<string, string> => ({
    ...common,
    ...(spec.configFile ? { CITY_CONFIG: spec.configFile } : { CITY: spec.code }),
    PORT: String(port),
    DEMO_DATA: String(options.demoData ?? true),
    ...(spec.databaseUrl
      ? { DATABASE_URL: spec.databaseUrl }
      : { DATA_DIR: join(dataRoot, 'cities', spec.code, 'pgdata') }),
  });

  const cities = new Map<string, RunningProcess & { spec: CitySpec }>();
  const started = await Promise.allSettled(
    options.cities.map(async (spec) => {
      const running = await start(
        `${spec.code} ${spec.name}`,
        'subgraphs/main.ts',
        cityEnv(spec, spec.port ?? 0),
        options,
      );
      cities.set(spec.code, { ...running, spec });
    }),
  );
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all([...cities.values()].map((c) => stopProcess(c.child)));
    throw failed.reason;
  }

  writeFileSync(
    networkFile,
    JSON.stringify({
      municipalities: options.cities.map((spec) => ({
        code: spec.code,
        name: spec.name,
        url: cities.get(spec.code)!.url,
      })),
    }),
  );
  const gatewayEnv = (replica: number): Record<string, string> => ({
    ...common,
    PORT: String(replica === 0 ? (options.gatewayPort ?? 0) : 0),
    ...(options.cityTimeoutMs ? { CITY_TIMEOUT_MS: String(options.cityTimeoutMs) } : {}),
    ...(options.circuitCooldownMs ? { CIRCUIT_COOLDOWN_MS: String(options.circuitCooldownMs) } : {}),
  });
  const gateways: RunningProcess[] = [];
  const replicas = await Promise.allSettled(
    Array.from({ length: options.gateways ?? 1 }, async (_, replica) => {
      const name = replica === 0 ? 'gateway' : `gateway ${replica + 1}`;
      gateways[replica] = await start(name, 'gateway/main.ts', gatewayEnv(replica), options);
    }),
  );
  const replicaFailed = replicas.find((r) => r.status === 'rejected');
  if (replicaFailed) {
    await Promise.all([...gateways.filter(Boolean), ...cities.values()].map((p) => stopProcess(p.child)));
    throw replicaFailed.reason;
  }
  const gateway = gateways[0]!;

  const network: RunningNetwork = {
    gatewayUrl: gateway.url,
    cities,
    gateway,
    gateways,
    async stopCity(code) {
      const city = cities.get(code)!;
      await stopProcess(city.child);
      options.onProgress?.({ kind: 'stopped', name: city.name });
    },
    async startCity(code) {
      const city = cities.get(code)!;
      const running = await start(city.name, 'subgraphs/main.ts', cityEnv(city.spec, city.port), options);
      cities.set(code, { ...running, spec: city.spec });
    },
    async stop() {
      await Promise.all(gateways.map((g) => stopProcess(g.child)));
      await Promise.all([...cities.values()].map((c) => stopProcess(c.child)));
    },
    [Symbol.asyncDispose]: () => network.stop(),
  };
  return network;
}
