// One city process: its database, the two federated role endpoints, the
// internal API, the endpoint other cities write to, metrics and health, on
// one HTTP port.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { withDirectRoutes } from '../runtime/directRoutes';
import { jsonErrors } from '../runtime/httpErrors';
import { cityKeyFiles, signingKey } from '../runtime/keys';
import { createLogger, type Logger } from '../runtime/logger';
import { metricsEndpoint } from '../runtime/metricsEndpoint';
import { observeRequests } from '../runtime/observe';
import { refuseUnlessReady } from '../runtime/production';
import { closeGracefully } from '../runtime/shutdown';
import { baseUrlOf, listenOn, tlsAgent } from '../runtime/tls';
import { startCheckpoints } from './audit/checkpoints';
import { fromGateway, fromOwnIssuer, rememberBodyHash } from './authentication';
import type { CityRuntimeConfig } from './config';
import { openDatabase, type CityDatabase } from './db/database';
import { applyMigrations } from './db/migrate';
import { grantRuntimeRole, runtimeRoleProblems } from './db/roles';
import { seedCity } from './db/seed';
import { cityProductionProblems } from './production';
import { ownIssuers } from './ownIssuers';
import { cityEndpoints, mountEndpoints } from './endpoints';
import { healthRoutes } from './health';
import { cityMetrics, type CityMetrics } from './metrics';
import { stockholmDay } from './clock';
import { createPeerClient } from './peer/client';
import { consistencyChecker } from './peer/consistency';
import { startDispatcher } from './peer/dispatcher';
import { countOverdue } from './roles/execution/quota';
import { disclosableNow } from './roles/casework/state';
import { PEER_PATH } from './peer/protocol';
import { peerBudget } from './peer/budget';
import { cityKeySets, peerEndpoint } from './peer/server';
import { requestScope } from './requestScope';

export interface RunningCity {
  url: string;
  port: number;
  /** The metrics port, when METRICS_PORT gives /metrics one of its own. */
  metricsPort?: number;
  stop(): Promise<void>;
}

export async function startCity(
  config: CityRuntimeConfig,
  {
    log = createLogger({ service: `avhoppare-city-${config.city.code}`, municipality: config.city.code }),
  }: { log?: Logger } = {},
): Promise<RunningCity> {
  const { city } = config;
  if (config.production) refuseUnlessReady('city', cityProductionProblems(config));
  const { tls } = config.server;
  const metrics = cityMetrics(city.code);
  const db = await openCityDatabase(config, metrics, log);
  const privateJwk = await signingKey(cityKeyFiles(config.keysDir, city.code), config.production);
  const peers = await createPeerClient({
    city: city.code,
    keysDir: config.keysDir,
    networkFile: config.networkFile,
    timeoutMs: config.peerTimeoutMs,
    log,
    production: config.production,
    tls,
  });
  // JWKS URLs of identity providers and of the other cities' keys.
  const outgoing = tlsAgent(tls, { connections: 4 });
  const cityKeys = cityKeySets({ network: peers.network, keysDir: config.keysDir, http: outgoing });
  const counterparties = () =>
    peers
      .network()
      .municipalities.map((m) => m.code)
      .filter((code) => code !== city.code);
  const dispatcher = startDispatcher({
    db,
    deliver: peers.deliver,
    prepare: (message) => disclosableNow(db.prisma, message, stockholmDay(new Date())),
    observe: metrics.messageDelivered,
    retryMaxMs: config.peerRetryMaxMs,
    log,
  });
  metrics.watchOutbox(() => pendingByRecipient(db));
  metrics.watchOverdue(() => countOverdue(db.prisma, stockholmDay(new Date())));
  const consistency = consistencyChecker({
    city: city.code,
    db,
    ask: peers.ask,
    dispatcher,
    counterparties,
    bucketsPerCheck: config.consistencyBucketsPerCheck,
    observe: metrics.compared,
    log,
  });
  const checks = checkSchedule(config.consistencyIntervalMs, () => consistency.checkAll());
  const checkpoints = startCheckpoints({
    city: city.code,
    db,
    privateJwk,
    counterparties,
    dispatcher,
    everyEntries: config.checkpoints.everyEntries,
    intervalMs: config.checkpoints.intervalMs,
    log,
  });
  const metricsRoute = metricsEndpoint({
    registry: metrics.registry,
    settings: config.server.metrics,
    production: config.production,
    tls,
  });

  const app = express();
  app.disable('x-powered-by');
  // Answers to POSTs are never revalidated; hashing each body for an ETag is waste.
  app.disable('etag');
  // The hash of each raw body: a gateway principal is bound to it.
  const json = express.json({ limit: '1mb', verify: rememberBodyHash });
  app.use(json);
  const peerMessages = [
    observeRequests({ log, name: 'peer message' }),
    peerEndpoint({
      city,
      db,
      keysDir: config.keysDir,
      network: peers.network,
      agreements: config.agreements,
      dispatcher,
      observe: metrics.messageReceived,
      log,
      keysOf: cityKeys,
      budget: peerBudget(config.peerLimits),
      openProposalsPerCity: config.openProposalsPerCity,
    }),
  ];
  app.post(PEER_PATH, peerMessages);
  metricsRoute.mount(app);
  healthRoutes(app, db, city.code);
  const endpoints = cityEndpoints({
    fromGateway: fromGateway({ city: city.code, gatewayJwksFile: config.gatewayJwksFile }),
    fromOwnIssuer: fromOwnIssuer({
      city: city.code,
      issuers: ownIssuers({
        city: city.code,
        configured: config.issuer,
        production: config.production,
        network: peers.network,
        policy: config.server.tokens,
        dispatcher: outgoing,
      }),
      policy: config.server.tokens,
    }),
  });
  const mounted = await mountEndpoints(app, endpoints, {
    production: config.production,
    stacktraces: config.stacktraces,
    log,
    measure: metrics.plugin,
    context: () => ({
      city,
      db,
      ...requestScope(db.prisma),
      disclosed: new Set<string>(),
      caseReads: new Set<string>(),
      cityKeys,
      log,
      peers,
      dispatcher,
      consistency,
      counterparties,
      agreements: config.agreements,
    }),
  });
  app.use(jsonErrors);

  // The app's body parser first, as its first layer runs it for every route.
  const routes = new Map(
    [[PEER_PATH, peerMessages] as const, ...mounted.routes].map(([path, handlers]) => [
      path,
      [json, ...handlers],
    ]),
  );
  const http = await listenOn(
    withDirectRoutes(app, { routes, onError: jsonErrors }),
    config.port,
    config.host,
    tls,
  );
  http.keepAliveTimeout = 65_000;
  const metricsPort = await metricsRoute.start();
  const { port } = http.address() as AddressInfo;
  return {
    port,
    metricsPort,
    url: baseUrlOf(config.host, port, tls),
    async stop() {
      checks.stop();
      checkpoints.stop();
      await closeGracefully(http);
      await metricsRoute.stop();
      await mounted.stop();
      await dispatcher.stop();
      await peers.close();
      await outgoing.close();
      await db.close();
    },
  };
}

/** The city's database, migrated and seeded, its statements and pool counted. */
async function openCityDatabase(
  config: CityRuntimeConfig,
  metrics: CityMetrics,
  log: Logger,
): Promise<CityDatabase> {
  const { onQuery, onIdleError } = config.database;
  const db = await openDatabase({
    ...config.database,
    onQuery: (sql) => {
      metrics.countStatement();
      onQuery?.(sql);
    },
    onIdleError: (error) => {
      metrics.countPoolError();
      log.warn({ err: error }, 'idle database connection failed; the pool replaces it');
      onIdleError?.(error);
    },
  });
  metrics.watchPool(() => db.pool());
  try {
    await migrate(config, db, log);
    await seedCity(db.prisma, config.city, config.seedDemoData, config.agreements);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * Runs the consistency check soon after start (a city coming back learns what
 * it missed at once), then every `ms`; sooner again while a city did not
 * answer. Never two at once; 0 runs nothing.
 */
function checkSchedule(ms: number, check: () => Promise<boolean>) {
  if (ms <= 0) return { stop: () => {} };
  const FIRST_MS = 5_000;
  let timer: NodeJS.Timeout;
  let stopped = false;
  const run = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void check()
        .catch(() => false)
        .then((everyOne) => run(everyOne ? ms : Math.min(ms, 10_000)));
    }, delay);
    timer.unref();
  };
  run(Math.min(ms, FIRST_MS));
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

async function pendingByRecipient(db: CityDatabase) {
  const groups = await db.prisma.outboxMessage.groupBy({
    by: ['recipient'],
    where: { deliveredAt: null },
    _count: { _all: true },
  });
  return groups.map((g) => ({ recipient: g.recipient, pending: g._count._all }));
}

/**
 * Migrations run as the owner of the tables when DATABASE_OWNER_URL is set,
 * which then grants the runtime role its rights; production also refuses a
 * runtime role that could still rewrite a log.
 */
async function migrate(config: CityRuntimeConfig, db: CityDatabase, log: Logger): Promise<void> {
  const ownerUrl = config.database.kind === 'postgres' ? config.databaseOwnerUrl : undefined;
  if (!ownerUrl) {
    await applyMigrations(db);
  } else {
    // Two: the migration lock holds one connection while the migrations run on the other.
    const owner = await openDatabase({ kind: 'postgres', url: ownerUrl, poolSize: 2 });
    try {
      await applyMigrations(owner);
      const role = await grantRuntimeRole(owner, db);
      log.info({ runtimeRole: role ?? '(the owner)' }, 'migrations applied as the owner');
    } finally {
      await owner.close();
    }
  }
  if (config.production && db.kind === 'postgres') refuseUnlessReady('city', await runtimeRoleProblems(db));
}
