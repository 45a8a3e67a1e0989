// The gateway process: Apollo Gateway on the checked-in supergraph, with a
// sharded data source per role and the agreement data served in-process.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import { maskError } from '../schema/contract/errors';
import { jsonErrors } from '../schema/contract/httpErrors';
import { closeGracefully } from '../schema/contract/shutdown';
import { createLogger, type Logger } from '../schema/contract/logger';
import { observedOf, observeGraphQL, observeRequests } from '../schema/contract/observe';
import { traceIdOf } from '../schema/contract/trace';
import { gatewayKeyFiles } from '../schema/contract/identity';
import { ensureKeyPair } from '../schema/contract/keys';
import { principalSigner } from '../schema/contract/principal';
import { SUPERGRAPH_FILE } from '../schema/compose';
import { agreementSchema } from '../subgraphs/agreement/reference';
import { authenticator } from './auth/authenticate';
import { requestLimits } from './hardening/limits';
import { readManifest, trustedDocuments } from './hardening/trustedDocuments';
import {
  EVALUATION_REPORT_QUERY,
  evaluationReportCsv,
  type EvaluationReportData,
} from './reports/evaluationCsv';
import { principalHeaders } from './auth/forwardPrincipal';
import type { GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { gatewayMetrics } from './metrics';
import { CircuitBreaker } from './routing/circuitBreaker';
import { CityClient } from './routing/cityClient';
import { ROUTING, type RoleName } from './routing/routes';
import { rememberedCounterparts } from './routing/counterparts';
import { ShardedDataSource, type ShardedDataSourceOptions } from './routing/shardedDataSource';

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startGateway(
  config: GatewayConfig,
  { log = createLogger({ service: 'avhoppare-gateway' }) }: { log?: Logger } = {},
): Promise<RunningGateway> {
  const { municipalities } = config.network;
  const endpointOf = (url: string, role: RoleName) => `${url.replace(/\/$/, '')}/${role}/graphql`;
  const sign = await principalSigner(await ensureKeyPair(gatewayKeyFiles(config.keysDir)));
  const forward = principalHeaders(sign);
  const client = new CityClient({
    timeoutMs: config.cityTimeoutMs,
    connections: config.connectionsPerCity,
    targets: new Map(
      municipalities.flatMap((m) =>
        (['casework', 'execution'] as const).map((role) => [
          endpointOf(m.url, role),
          { municipality: m.code, role },
        ]),
      ),
    ),
    log,
  });
  const breaker = new CircuitBreaker(config.circuit);
  const metrics = gatewayMetrics();
  // Last circuit state seen per city, so a change is logged once.
  const circuits = new Map<string, boolean>();
  const shards = (role: RoleName, counterparts?: ShardedDataSourceOptions['counterparts']) =>
    new ShardedDataSource({
      counterparts,
      dedupeReads: config.dedupeCityReads,
      role,
      routing: ROUTING[role],
      endpoints: new Map(municipalities.map((m) => [m.code, endpointOf(m.url, role)])),
      client,
      principalHeaders: forward,
      breaker,
      observe: (municipality, role, outcome, seconds) => {
        metrics.observeCityCall(municipality, role, outcome, seconds);
        const open = breaker.state(municipality) !== 'closed';
        metrics.setCircuit(municipality, open);
        if (open !== (circuits.get(municipality) ?? false)) {
          circuits.set(municipality, open);
          log[open ? 'warn' : 'info']({ municipality, circuit: open ? 'open' : 'closed' }, 'circuit changed');
        }
      },
    });
  const execution = shards('execution');
  const dataSources = {
    casework: shards('casework', rememberedCounterparts()),
    execution,
    agreement: new LocalGraphQLDataSource(agreementSchema(municipalities, config.agreements)),
  };

  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    // Planning is the gateway's costliest step; each distinct operation is planned once while it fits.
    experimental_approximateQueryPlanStoreMiB: config.queryPlanCacheMiB,
    buildService: ({ name }) => {
      const source = dataSources[name as keyof typeof dataSources];
      if (!source) throw new Error(`The supergraph names an unknown subgraph: ${name}`);
      return source;
    },
  });

  const limits = requestLimits(config.limits);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.introspection,
    validationRules: limits.validationRules,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Clients may send a query's hash instead of its text; bounded so hashes cannot fill memory.
    // Trusted documents still apply: the plugin checks the text the hash stands for.
    persistedQueries:
      config.persistedQueriesCacheMiB > 0
        ? { cache: new InMemoryLRUCache<string>({ maxSize: config.persistedQueriesCacheMiB * 1024 * 1024 }) }
        : false,
    includeStacktraceInErrorResponses: !config.production,
    // main.ts stops the server, then the city connections, on SIGINT/SIGTERM.
    stopOnTerminationSignals: false,
    formatError: (formatted) => maskError(formatted, config.production),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No usage reporting here: federated traces would only cost every request.
      ApolloServerPluginInlineTraceDisabled(),
      metrics.plugin,
      observeGraphQL<GatewayContext>(),
      ...limits.plugins,
      ...(config.trustedDocumentsFile ? [trustedDocuments(readManifest(config.trustedDocumentsFile))] : []),
    ],
  });
  await server.start();

  const authenticate = authenticator(config.network, config.keysDir);
  const app = express();
  app.disable('x-powered-by');
  // Answers to POSTs are never revalidated; hashing each body for an ETag is waste.
  app.disable('etag');
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready when the supergraph is loaded; reports each city, since the gateway
  // answers with partial data when some are down.
  app.get(['/health', '/health/ready'], async (_req, res) => {
    const cities = await Promise.all(
      municipalities.map(async (m) => {
        try {
          const response = await fetch(`${m.url.replace(/\/$/, '')}/health`, {
            signal: AbortSignal.timeout(2000),
          });
          return { municipality: m.code, status: response.ok ? 'ok' : 'unavailable' };
        } catch {
          return { municipality: m.code, status: 'unavailable' };
        }
      }),
    );
    res.json({ status: 'ok', cities });
  });
  // The evaluation report as CSV: the same GraphQL query, run through the gateway as the caller.
  app.get('/reports/evaluation.csv', async (req, res) => {
    const agreement = typeof req.query.agreement === 'string' ? req.query.agreement : '';
    let principal;
    try {
      principal = await authenticate(req.header('authorization'));
    } catch (error) {
      return res
        .status(401)
        .json({ errors: [{ message: (error as Error).message, extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    if (!agreement) {
      return res
        .status(400)
        .json({ errors: [{ message: 'agreement is required', extensions: { code: 'BAD_USER_INPUT' } }] });
    }
    const response = await server.executeOperation(
      { query: EVALUATION_REPORT_QUERY, variables: { agreement } },
      {
        contextValue: {
          principal,
          signedPrincipals: new Map(),
          traceId: traceIdOf(req.header('traceparent')),
        },
      },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : null;
    const report = result?.data?.evaluationReport as EvaluationReportData | undefined;
    if (!report || result?.errors?.length) {
      return res
        .status(result?.errors?.[0]?.extensions?.code === 'FORBIDDEN' ? 403 : 502)
        .json({ errors: result?.errors });
    }
    res
      .type('text/csv; charset=utf-8')
      .attachment(`evaluation-${agreement}.csv`)
      .send(evaluationReportCsv(report));
  });
  app.use(
    '/graphql',
    cors({ origin: config.corsOrigins, methods: ['GET', 'POST'], maxAge: 600 }),
    express.json({ limit: config.bodyLimit }),
    observeRequests({ log, name: 'graphql request', callerField: 'municipality' }),
    expressMiddleware(server, {
      context: async ({ req, res }) => {
        const observed = observedOf(res);
        return {
          principal: await authenticate(req.header('authorization')),
          signedPrincipals: new Map(),
          traceId: observed.traceId,
          observed,
        };
      },
    }),
  );

  app.use(jsonErrors);

  const http: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = http.address() as AddressInfo;
  return {
    port,
    url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`,
    async stop() {
      await closeGracefully(http);
      await server.stop();
      await client.close();
    },
  };
}
