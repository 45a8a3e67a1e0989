// One city process: its database, the two federated role endpoints, the
// internal API and health, on one HTTP port.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { jwtVerify } from 'jose';
import { ErrorCode, httpError, maskError } from '../schema/contract/errors';
import { jsonErrors } from '../schema/contract/httpErrors';
import { closeGracefully } from '../schema/contract/shutdown';
import { createLogger, type Logger } from '../schema/contract/logger';
import { observedOf, observeGraphQL, observeRequests } from '../schema/contract/observe';
import { USER_TOKEN_AUDIENCE } from '../schema/contract/identity';
import { watchedJwks } from '../schema/contract/keys';
import { rememberVerified } from '../schema/contract/verifiedTokens';
import {
  PRINCIPAL_HEADER,
  expiringPrincipalVerifier,
  toPrincipal,
  type Principal,
} from '../schema/contract/principal';
import type { CityRuntimeConfig } from './config';
import type { CityContext } from './context';
import { openDatabase, type CityDatabase } from './db/database';
import { applyMigrations, pendingMigrations } from './db/migrate';
import { seedCity } from './db/seed';
import { disclosureLogging } from './audit/plugin';
import { cityMetrics } from './metrics';
import { createPeerClient } from './peer/client';
import { PEER_PATH } from './peer/protocol';
import { peerEndpoint } from './peer/server';
import { caseworkSchema, executionSchema, internalSchema } from './schemas';
import { createLoaders } from './loaders';

export interface RunningCity {
  url: string;
  port: number;
  stop(): Promise<void>;
}

type Authenticate = (req: express.Request) => Promise<Principal>;

const unauthenticated = (message: string) => httpError(ErrorCode.UNAUTHENTICATED, message, 401);

function graphqlServer(
  schema: GraphQLSchema,
  production: boolean,
  logDisclosures: boolean,
  measure: ApolloServerPlugin,
  log: Logger,
) {
  const plugins: ApolloServerPlugin<CityContext>[] = [
    measure,
    observeGraphQL<CityContext>(),
    ...(logDisclosures ? [disclosureLogging(schema, log)] : []),
    ApolloServerPluginLandingPageDisabled(),
    // Usage traces go nowhere here; computing them costs every request.
    ApolloServerPluginInlineTraceDisabled(),
  ];
  return new ApolloServer<CityContext>({
    schema,
    plugins,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    // The process stops its servers itself, in order, on SIGINT/SIGTERM.
    stopOnTerminationSignals: false,
    formatError: (formatted) => maskError(formatted, production),
  });
}

export async function startCity(
  config: CityRuntimeConfig,
  {
    log = createLogger({ service: `avhoppare-city-${config.city.code}`, municipality: config.city.code }),
  }: { log?: Logger } = {},
): Promise<RunningCity> {
  const { city } = config;
  const metrics = cityMetrics(city.code);
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
    await applyMigrations(db);
    await seedCity(db.prisma, city, config.seedDemoData, config.agreements);
  } catch (error) {
    await db.close();
    throw error;
  }

  const verifyPrincipal = rememberVerified(
    expiringPrincipalVerifier(watchedJwks(config.gatewayJwksFile), city.code),
  );
  const fromGateway: Authenticate = async (req) => {
    const token = req.header(PRINCIPAL_HEADER);
    if (!token) throw unauthenticated('Federated endpoints answer only the gateway');
    try {
      return await verifyPrincipal(token);
    } catch {
      throw unauthenticated('The gateway signature is not valid for this municipality');
    }
  };

  const ownIssuer = watchedJwks(config.issuer.jwksFile);
  const fromOwnIssuer: Authenticate = async (req) => {
    const token = /^Bearer (.+)$/i.exec(req.header('authorization') ?? '')?.[1];
    if (!token) throw unauthenticated('A bearer token from this municipality is required');
    let principal: Principal;
    try {
      const { payload } = await jwtVerify(token, ownIssuer, {
        issuer: config.issuer.issuer,
        audience: USER_TOKEN_AUDIENCE,
        algorithms: ['ES256'],
      });
      principal = toPrincipal(payload);
    } catch {
      throw unauthenticated('The token is not valid for this municipality');
    }
    if (principal.municipality !== city.code)
      throw unauthenticated('The internal API answers only its own municipality');
    return principal;
  };

  const endpoints: { name: string; path: string; schema: GraphQLSchema; authenticate: Authenticate }[] = [
    {
      name: 'casework',
      path: '/casework/graphql',
      schema: caseworkSchema(),
      authenticate: fromGateway,
    },
    {
      name: 'execution',
      path: '/execution/graphql',
      schema: executionSchema(),
      authenticate: fromGateway,
    },
    {
      name: 'internal',
      path: '/internal/graphql',
      schema: internalSchema(),
      authenticate: fromOwnIssuer,
    },
  ];

  const peers = await createPeerClient({
    city: city.code,
    keysDir: config.keysDir,
    networkFile: config.networkFile,
    timeoutMs: config.peerTimeoutMs,
    log,
  });

  const app = express();
  app.disable('x-powered-by');
  // Answers to POSTs are never revalidated; hashing each body for an ETag is waste.
  app.disable('etag');
  app.use(express.json({ limit: '1mb' }));
  app.post(
    PEER_PATH,
    observeRequests({ log, name: 'peer message' }),
    peerEndpoint({ city, db, keysDir: config.keysDir, network: peers.network, log }),
  );
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/health/live', (_req, res) => {
    res.json({ municipality: city.code, status: 'ok' });
  });
  // Ready: the database answers and every migration is applied.
  app.get(['/health', '/health/ready'], (_req, res) => {
    void health(db).then(
      (body) => res.status(body.status === 'ok' ? 200 : 503).json({ municipality: city.code, ...body }),
      () => res.status(503).json({ municipality: city.code, status: 'unavailable' }),
    );
  });

  // The federated endpoints serve other municipalities: every request there is logged.
  const servers = endpoints.map((e) => ({
    ...e,
    server: graphqlServer(
      e.schema,
      config.production,
      e.authenticate === fromGateway,
      metrics.plugin(e.name),
      log,
    ),
  }));
  for (const { name, path, server, authenticate } of servers) {
    await server.start();
    app.use(
      path,
      observeRequests({ log, name: 'graphql request', fields: { endpoint: name } }),
      expressMiddleware(server, {
        context: async ({ req, res }) => {
          const observed = observedOf(res);
          return {
            city,
            db,
            principal: await authenticate(req),
            ...requestClock(db),
            disclosed: new Set<string>(),
            traceId: observed.traceId,
            observed,
            log,
            peers: peers.send,
            agreements: config.agreements,
          };
        },
      }),
    );
  }

  app.use(jsonErrors);

  const http: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  http.keepAliveTimeout = 65_000;
  const { port } = http.address() as AddressInfo;

  return {
    port,
    url: `http://${config.host}:${port}`,
    async stop() {
      await closeGracefully(http);
      await Promise.all(servers.map(({ server }) => server.stop()));
      await peers.close();
      await db.close();
    },
  };
}

/** One instant per request: rules and loaders agree on what "today" is. */
function requestClock(db: CityDatabase) {
  const now = new Date();
  return { now, loaders: createLoaders(db.prisma, now) };
}

async function health(
  db: CityDatabase,
): Promise<{ status: 'ok' | 'unavailable'; pendingMigrations: string[] }> {
  await db.query('SELECT 1');
  const pending = await pendingMigrations(db);
  return { status: pending.length === 0 ? 'ok' : 'unavailable', pendingMigrations: pending };
}
