// The gateway process: Apollo Gateway on the checked-in supergraph, with a
// sharded data source per role and the agreement data served in-process.
// Each concern is a module of its own; this file only wires them together.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { withDirectRoutes } from '../runtime/directRoutes';
import { jsonErrors } from '../runtime/httpErrors';
import { gatewayKeyFiles } from '../runtime/keys';
import { createLogger, type Logger } from '../runtime/logger';
import { metricsEndpoint } from '../runtime/metricsEndpoint';
import { missingFile, networkProblems, refuseUnlessReady } from '../runtime/production';
import { closeGracefully } from '../runtime/shutdown';
import { baseUrlOf, listenOn, tlsAgent } from '../runtime/tls';
import { agreementDataSource } from './agreement/referenceSubgraph';
import { readAuditDocuments } from './audit/auditDocuments';
import { OWN_CITY_PATH, ownCityLogRoute } from './audit/ownCityLog';
import { authenticator } from './auth/authenticate';
import { gatewayPrincipalHeaders } from './auth/forwardPrincipal';
import { requestContexts } from './auth/requestContext';
import type { GatewayConfig } from './config';
import { graphqlEndpoint } from './graphqlEndpoint';
import { graphqlServer } from './graphqlServer';
import { healthRoutes } from './health';
import { gatewayMetrics, operationNames } from './metrics';
import { readManifest } from './hardening/trustedDocuments';
import { trustedTraceCallers } from './traceCallers';
import { evaluationReportRoute } from './reports/evaluationRoute';
import { EVALUATION_REPORT_QUERY } from './reports/evaluationCsv';
import { CircuitBreaker } from './routing/circuitBreaker';
import { cityCallObserver } from './routing/cityCallObserver';
import { roleDataSources } from './routing/roleDataSources';
import { SingleFetches } from './routing/singleFetch';
import { singleFetchAnswers } from './singleFetchAnswers';
import { supergraphGateway } from './supergraph';
import { graphiqlRoute, readAppDocuments, webAppRoutes } from './web/webApp';

export interface RunningGateway {
  url: string;
  port: number;
  /** The metrics port, when METRICS_PORT gives /metrics one of its own. */
  metricsPort?: number;
  stop(): Promise<void>;
}

/** What production refuses to start without (see runtime/production.ts). */
export function gatewayProductionProblems(config: GatewayConfig): string[] {
  return [
    ...networkProblems(config.networkFile, config.network),
    ...missingFile(gatewayKeyFiles(config.keysDir).privateJwk, 'The gateway’s principal-signing key'),
  ];
}

export async function startGateway(
  config: GatewayConfig,
  { log = createLogger({ service: 'avhoppare-gateway' }) }: { log?: Logger } = {},
): Promise<RunningGateway> {
  if (config.production) refuseUnlessReady('gateway', gatewayProductionProblems(config));
  const { municipalities } = config.network;
  const { tls } = config.server;
  const manifest = config.trustedDocumentsFile ? readManifest(config.trustedDocumentsFile) : undefined;
  const metrics = gatewayMetrics({
    knownOperations: [...operationNames(manifest?.values() ?? []), ...config.metricOperations],
  });
  const metricsRoute = metricsEndpoint({
    registry: metrics.registry,
    settings: config.server.metrics,
    production: config.production,
    tls,
  });
  // JWKS URLs and health probes; the cities' calls have their own pools.
  const outgoing = tlsAgent(tls, { connections: 4 });
  // The auditors' reads of their own city's logs (audit/ownCityLog.ts).
  const ownCity = tlsAgent(tls, { connections: 2 });
  const trustsTraceOf = trustedTraceCallers(config.traceCallers);
  const breaker = new CircuitBreaker(config.circuit);
  const cities = roleDataSources({
    cities: municipalities,
    timeoutMs: config.cityTimeoutMs,
    connectionsPerCity: config.connectionsPerCity,
    dedupeReads: config.dedupeCityReads,
    principalHeaders: await gatewayPrincipalHeaders(config.keysDir, config.production),
    breaker,
    observe: cityCallObserver({ breaker, metrics, log }),
    log,
    tls,
  });
  // Bounded as the query plans are: each operation learnt is one planned.
  const singleFetches = new SingleFetches(config.queryPlanCacheMiB);
  const server = graphqlServer({
    gateway: supergraphGateway({
      dataSources: {
        ...cities.dataSources,
        agreement: agreementDataSource({ municipalities, agreements: config.agreements }),
      },
      queryPlanCacheMiB: config.queryPlanCacheMiB,
      didResolveQueryPlan: config.singleFetchAnswers ? singleFetches.learn : undefined,
    }),
    production: config.production,
    stacktraces: config.stacktraces,
    introspection: config.introspection,
    limits: config.limits,
    trustedDocumentsFile: config.trustedDocumentsFile,
    ownOperations: [EVALUATION_REPORT_QUERY],
    persistedQueriesCacheMiB: config.persistedQueriesCacheMiB,
    plugins: [metrics.plugin],
  });
  await server.start();
  const contexts = requestContexts({
    authenticate: authenticator({
      network: config.network,
      keysDir: config.keysDir,
      production: config.production,
      policy: config.server.tokens,
      dispatcher: outgoing,
    }),
    trustsTraceOf,
  });

  const app = express();
  app.disable('x-powered-by');
  // Answers to POSTs are never revalidated; hashing each body for an ETag is waste.
  app.disable('etag');
  metricsRoute.mount(app);
  app.use(healthRoutes({ cities: municipalities, dispatcher: outgoing }));
  app.get(
    '/reports/evaluation.csv',
    evaluationReportRoute({
      server,
      contextOf: contexts.route,
      agreementIds: config.agreements.map((agreement) => agreement.id),
    }),
  );
  const web = { ...config.webApp, network: config.network, production: config.production };
  app.use(graphiqlRoute(web));
  const graphql = graphqlEndpoint({
    server,
    context: contexts.graphql,
    corsOrigins: config.corsOrigins,
    bodyLimit: config.bodyLimit,
    maxTokens: config.limits.maxTokens,
    log,
    trustsTraceOf,
    documents: new Map([...readAppDocuments(config.webApp.dir), ...(manifest ?? [])]),
    before: config.singleFetchAnswers
      ? singleFetchAnswers({
          fetches: singleFetches,
          roles: cities.dataSources,
          context: contexts.graphql,
          metrics,
        })
      : undefined,
  });
  app.use('/graphql', graphql);
  app.use(
    OWN_CITY_PATH,
    ownCityLogRoute({
      documents: readAuditDocuments(config.webApp.dir),
      context: contexts.graphql,
      network: config.network,
      dispatcher: ownCity,
      timeoutMs: config.cityTimeoutMs,
      bodyLimit: config.bodyLimit,
      log,
      trustsTraceOf,
    }),
  );
  app.use(webAppRoutes(web));
  app.use(jsonErrors);

  // Clients present no certificate to the gateway: mutual TLS is between the processes.
  const http = await listenOn(
    withDirectRoutes(app, { routes: new Map([['/graphql', graphql]]), onError: jsonErrors }),
    config.port,
    config.host,
    { ...tls, requireClientCertificates: false },
  );
  const metricsPort = await metricsRoute.start();
  const { port } = http.address() as AddressInfo;
  return {
    port,
    metricsPort,
    url: `${baseUrlOf(config.host, port, tls)}/graphql`,
    // main.ts calls this on SIGINT/SIGTERM: requests in flight first, then the city connections.
    async stop() {
      await closeGracefully(http);
      await metricsRoute.stop();
      await server.stop();
      await cities.close();
      await outgoing.close();
      await ownCity.close();
    },
  };
}
