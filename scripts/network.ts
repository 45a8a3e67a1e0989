// Starts a network as separate processes: one per city, then the gateway.
// Used by `npm start` and by the integration tests.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cityKeyFiles, devIssuerKeyFiles, gatewayKeyFiles } from '../runtime/keys';
import { ensureKeyPair } from '../runtime/keys';
import { bundlePath, processesBuilt, type ProcessBundle } from './build';
import { prepareDataDirectories } from './pgliteTemplate';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface CitySpec {
  /** A folder under subgraphs/cities ... */
  code: string;
  name: string;
  /** ... or a configuration file for a city that has no folder. */
  configFile?: string;
  /** Fixed port; 0 or absent picks a free one. */
  port?: number;
  /** PostgreSQL URL (the runtime role); absent means embedded PGlite under dataRoot. */
  databaseUrl?: string;
  /** How the city's process starts, each time it starts (tests). */
  start?: CityStart;
  /** PostgreSQL URL of the role that owns the tables and runs migrations; `databaseUrl` when absent. */
  databaseOwnerUrl?: string;
}

/** An identity provider as the network file names it. */
export interface IdentityProviderEntry {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

/** TLS for every process: one certificate (server and client), one authority bundle. */
export interface NetworkTls {
  certFile: string;
  keyFile: string;
  caFile: string;
  /** Cities require client certificates (mutual TLS). @default false */
  clientCertificates?: boolean;
}

/** How to start one city process besides its spec (tests: a module to preload, extra environment). */
export interface CityStart {
  /** Modules loaded before the city's own code (`--import`), e.g. a test's fault injection. */
  preload?: string[];
  /** Extra environment for this start only; undefined removes a variable. */
  env?: Record<string, string | undefined>;
}

export interface NetworkOptions {
  cities: CitySpec[];
  gatewayPort?: number;
  /** Gateway replicas on one network; they share no state. The first gets gatewayPort. @default 1 */
  gateways?: number;
  /** Extra environment of each gateway replica, by index, over `env`. */
  replicaEnv?: Record<string, string | undefined>[];
  keysDir: string;
  /** Where PGlite data directories and the network file go. */
  dataRoot: string;
  demoData?: boolean;
  /** Agreements as data (JSON); the built-in agreements when absent. */
  agreementsFile?: string;
  cityTimeoutMs?: number;
  /** How long the gateway fails fast for a city that keeps failing. */
  circuitCooldownMs?: number;
  /**
   * NODE_ENV=production for every process: the network file is written before
   * the cities start (ports picked first), every key is provisioned up front,
   * and each municipality needs an identity provider in `identityProviders`.
   * Demo data, when asked for, is written by a development start of each city
   * first: a production process never loads it.
   */
  production?: boolean;
  /** The identity provider of each municipality, by code; the local dev issuers when absent. */
  identityProviders?: Record<string, IdentityProviderEntry>;
  /** HTTPS between every process; plain HTTP when absent. */
  tls?: NetworkTls;
  onProgress?: (event: ProgressEvent) => void;
  /** Child output goes here; by default it is dropped. */
  output?: (source: string, line: string) => void;
  /** Extra environment for every child (LOG_LEVEL, OTEL_*); undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** Every process writes a V8 CPU profile here when it exits (`node --cpu-prof`), named by its pid. */
  cpuProfileDir?: string;
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
  startCity(code: string, how?: CityStart): Promise<void>;
  /** Sends a signal to a city process (SIGKILL to crash it, SIGSTOP/SIGCONT to freeze and thaw it). */
  signalCity(code: string, signal: NodeJS.Signals): void;
  /** Resolves when a city process has exited (after a crash it was made to have). */
  exitOf(code: string): Promise<void>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function start(
  name: string,
  bundle: ProcessBundle,
  env: Record<string, string | undefined>,
  options: NetworkOptions,
  preload: string[] = [],
): Promise<RunningProcess> {
  options.onProgress?.({ kind: 'starting', name });
  const child = fork(bundlePath(bundle), [], {
    cwd: root,
    env: Object.fromEntries(
      Object.entries({ ...process.env, ...options.env, ...env }).filter(([, value]) => value !== undefined),
    ),
    execArgv: [
      ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
      // Stack traces name the source files, not the bundle (as `npm run city` does).
      '--enable-source-maps',
      // Preloaded modules are a test's TypeScript: tsx loads them (its ESM hook only, as the
      // project's code is ESM; its CommonJS hook would resolve every require() of the packages).
      ...(preload.length > 0 ? ['--import', 'tsx/esm'] : []),
      ...preload.flatMap((module) => ['--import', module]),
    ],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const tail: string[] = [];
  const collect = (line: string) => {
    if (!line) return;
    tail.push(line);
    if (tail.length > 20) tail.shift();
    options.output?.(name, line);
  };
  // Whole lines: a batch of log lines can arrive split across reads.
  for (const stream of [child.stdout, child.stderr])
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', collect);
  return new Promise((resolveReady, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`${name} exited (${code}) before it was ready:\n${tail.join('\n')}`));
    // After 'close', not 'exit': the last batch of output, often the reason, is read by then.
    child.once('close', onExit);
    child.on('message', (message: { type?: string; url?: string; port?: number }) => {
      if (message.type !== 'ready') return;
      child.off('close', onExit);
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
  const production = options.production ?? false;
  mkdirSync(dataRoot, { recursive: true });
  await processesBuilt();
  // The operator's part: every key exists before a production process starts.
  await ensureKeyPair(gatewayKeyFiles(keysDir));
  for (const city of options.cities) {
    if (!production) await ensureKeyPair(devIssuerKeyFiles(keysDir, city.code));
    await ensureKeyPair(cityKeyFiles(keysDir, city.code));
  }

  const networkFile = join(dataRoot, 'network.json');
  const scheme = options.tls ? 'https' : 'http';
  const writeNetwork = (urlOf: (spec: CitySpec) => string) =>
    writeFileSync(
      networkFile,
      JSON.stringify({
        municipalities: options.cities.map((spec) => ({
          code: spec.code,
          name: spec.name,
          url: urlOf(spec),
          ...(options.identityProviders?.[spec.code]
            ? { identityProvider: options.identityProviders[spec.code] }
            : {}),
        })),
      }),
    );
  const common: Record<string, string> = {
    KEYS_DIR: keysDir,
    NETWORK_FILE: networkFile,
    NODE_ENV: production ? 'production' : 'development',
    ...(options.agreementsFile ? { AGREEMENTS_FILE: resolve(options.agreementsFile) } : {}),
    ...(options.tls
      ? {
          TLS_CERT_FILE: options.tls.certFile,
          TLS_KEY_FILE: options.tls.keyFile,
          TLS_CA_FILE: options.tls.caFile,
          TLS_CLIENT_CERTIFICATES: options.tls.clientCertificates ? 'require' : 'off',
        }
      : {}),
  };
  const dataDirOf = (spec: CitySpec) => join(dataRoot, 'cities', spec.code, 'pgdata');
  await prepareDataDirectories(options.cities.filter((spec) => !spec.databaseUrl).map(dataDirOf));
  const cityEnv = (spec: CitySpec, port: number): Record<string, string> => ({
    ...common,
    ...(spec.configFile ? { CITY_CONFIG: spec.configFile } : { CITY: spec.code }),
    PORT: String(port),
    // Production never loads demo data: it was written by a development start first.
    ...(production ? {} : { DEMO_DATA: String(options.demoData ?? true) }),
    ...(spec.databaseUrl
      ? {
          DATABASE_URL: spec.databaseUrl,
          ...(spec.databaseOwnerUrl ? { DATABASE_OWNER_URL: spec.databaseOwnerUrl } : {}),
        }
      : { DATA_DIR: dataDirOf(spec) }),
  });

  // Production reads the network file at start, and a city stopped is started again on its
  // port: the ports are picked first, in every mode.
  const ports = new Map<string, number>();
  for (const spec of options.cities) ports.set(spec.code, spec.port || (await freePort()));
  if (production) {
    writeNetwork((spec) => `${scheme}://127.0.0.1:${ports.get(spec.code)}`);
    if (options.demoData) await seedDemoData(options, cityEnv, ports);
  }

  const cities = new Map<string, RunningProcess & { spec: CitySpec }>();
  const started = await Promise.allSettled(
    options.cities.map(async (spec) => {
      const running = await start(
        `${spec.code} ${spec.name}`,
        'city.mjs',
        { ...cityEnv(spec, ports.get(spec.code)!), ...spec.start?.env },
        options,
        spec.start?.preload,
      );
      cities.set(spec.code, { ...running, spec });
    }),
  );
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all([...cities.values()].map((c) => stopProcess(c.child)));
    throw failed.reason;
  }

  // Outside production the file is written once the cities have their ports; they read it when they first need it.
  writeNetwork((spec) => cities.get(spec.code)!.url);
  const gatewayEnv = (replica: number): Record<string, string | undefined> => ({
    ...common,
    PORT: String(replica === 0 ? (options.gatewayPort ?? 0) : 0),
    ...(options.cityTimeoutMs ? { CITY_TIMEOUT_MS: String(options.cityTimeoutMs) } : {}),
    ...(options.circuitCooldownMs ? { CIRCUIT_COOLDOWN_MS: String(options.circuitCooldownMs) } : {}),
    ...options.replicaEnv?.[replica],
  });
  const gateways: RunningProcess[] = [];
  const replicas = await Promise.allSettled(
    Array.from({ length: options.gateways ?? 1 }, async (_, replica) => {
      const name = replica === 0 ? 'gateway' : `gateway ${replica + 1}`;
      gateways[replica] = await start(name, 'gateway.mjs', gatewayEnv(replica), options);
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
    async startCity(code, how) {
      const city = cities.get(code)!;
      how ??= city.spec.start ?? {};
      const running = await start(
        city.name,
        'city.mjs',
        { ...cityEnv(city.spec, city.port), ...how.env },
        options,
        how.preload,
      );
      cities.set(code, { ...running, spec: city.spec });
    },
    signalCity(code, signal) {
      cities.get(code)!.child.kill(signal);
    },
    exitOf(code) {
      const { child } = cities.get(code)!;
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((done) => child.once('exit', () => done()));
    },
    async stop() {
      await Promise.all(gateways.map((g) => stopProcess(g.child)));
      await Promise.all([...cities.values()].map((c) => stopProcess(c.child)));
    },
    [Symbol.asyncDispose]: () => network.stop(),
  };
  return network;
}

/**
 * A port nothing listens on right now, for a process that starts on it later
 * (production needs the cities' URLs before they start; a city stopped
 * starts again on its port). Picked below the range the kernel hands out to
 * outgoing connections: a port from that range can be taken meanwhile by any
 * connection opened (to the database, between the cities), and the process
 * meant to listen on it then fails with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  const ceiling = Math.min(outgoingPortsFrom(), 32_768);
  for (let attempt = 0; ceiling > LOWEST_PICKED + 1000 && attempt < 50; attempt++) {
    const port = LOWEST_PICKED + Math.floor(Math.random() * (ceiling - LOWEST_PICKED));
    if ((await listenOnce(port)) !== null) return port;
  }
  // No room below the range: any free port, as the kernel picks one.
  const any = await listenOnce(0);
  if (any === null) throw new Error('No port is free to listen on');
  return any;
}

const LOWEST_PICKED = 10_000;

/** The first port the kernel gives outgoing connections (Linux), or the usual first one. */
function outgoingPortsFrom(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return Number(low) || 32_768;
  } catch {
    return 32_768;
  }
}

/** Listens on `port` and closes again; the port, or null when it is taken. */
function listenOnce(port: number): Promise<number | null> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(null));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolvePort(bound));
    });
  });
}

/** Each city once in development mode with its demo data, then stopped: its database keeps the data. */
async function seedDemoData(
  options: NetworkOptions,
  cityEnv: (spec: CitySpec, port: number) => Record<string, string>,
  ports: ReadonlyMap<string, number>,
): Promise<void> {
  await Promise.all(
    options.cities.map(async (spec) => {
      const env = {
        ...cityEnv(spec, ports.get(spec.code)!),
        NODE_ENV: 'development',
        DEMO_DATA: 'true',
        CONSISTENCY_CHECK_INTERVAL_MS: '0',
      };
      const seeding = await start(`${spec.code} ${spec.name} (demo data)`, 'city.mjs', env, {
        ...options,
        onProgress: undefined,
      });
      await stopProcess(seeding.child);
    }),
  );
}
