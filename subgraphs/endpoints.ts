// The GraphQL endpoints a city serves on its one port: the two federated
// roles (casework, execution), which answer only the gateway and log every
// cross-municipal disclosure, and the internal API over the full record.
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { Express, RequestHandler } from 'express';
import type { GraphQLSchema } from 'graphql';
import { maskError } from '../schema/contract/errors';
import type { Logger } from '../runtime/logger';
import { observedOf, observeGraphQL, observeRequests } from '../runtime/observe';
import { caseAccessLogging } from './audit/accessPlugin';
import { disclosureLogging } from './audit/plugin';
import type { Authenticate } from './authentication';
import type { CityContext } from './context';
import { caseworkSchema, executionSchema, internalSchema } from './schemas';

export interface Endpoint {
  name: 'casework' | 'execution' | 'internal';
  path: string;
  schema: GraphQLSchema;
  authenticate: Authenticate;
  /** Serves other municipalities: every answer is written to the disclosure log first. */
  crossMunicipal: boolean;
}

export function cityEndpoints(auth: { fromGateway: Authenticate; fromOwnIssuer: Authenticate }): Endpoint[] {
  return [
    {
      name: 'casework',
      path: '/casework/graphql',
      schema: caseworkSchema(),
      authenticate: auth.fromGateway,
      crossMunicipal: true,
    },
    {
      name: 'execution',
      path: '/execution/graphql',
      schema: executionSchema(),
      authenticate: auth.fromGateway,
      crossMunicipal: true,
    },
    {
      name: 'internal',
      path: '/internal/graphql',
      schema: internalSchema(),
      authenticate: auth.fromOwnIssuer,
      crossMunicipal: false,
    },
  ];
}

export interface MountOptions {
  production: boolean;
  /** Stack traces in error answers (never in production). */
  stacktraces: boolean;
  log: Logger;
  /** Per-endpoint request metrics. */
  measure: (endpoint: string) => ApolloServerPlugin;
  /** The request's context besides who asks and how it is observed. */
  context: () => Omit<CityContext, 'principal' | 'traceId' | 'observed'>;
}

export interface MountedEndpoints {
  /** Each endpoint's path and the handlers mounted there (for runtime/directRoutes.ts). */
  routes: Map<string, RequestHandler[]>;
  /** Stops the endpoints' servers. */
  stop(): Promise<void>;
}

/** Starts one Apollo Server per endpoint and mounts it. */
export async function mountEndpoints(
  app: Express,
  endpoints: Endpoint[],
  options: MountOptions,
): Promise<MountedEndpoints> {
  const servers: ApolloServer<CityContext>[] = [];
  const routes = new Map<string, RequestHandler[]>();
  for (const endpoint of endpoints) {
    const server = new ApolloServer<CityContext>({
      schema: endpoint.schema,
      plugins: [
        options.measure(endpoint.name),
        observeGraphQL<CityContext>(),
        ...(endpoint.crossMunicipal ? [disclosureLogging(endpoint.schema, options.log)] : []),
        // The full record: every read of a case goes to the access log.
        ...(endpoint.name === 'internal' ? [caseAccessLogging(endpoint.schema, options.log)] : []),
        ApolloServerPluginLandingPageDisabled(),
        // Usage traces go nowhere here; computing them costs every request.
        ApolloServerPluginInlineTraceDisabled(),
      ],
      introspection: !options.production,
      includeStacktraceInErrorResponses: options.stacktraces && !options.production,
      // The process stops its servers itself, in order, on SIGINT/SIGTERM.
      stopOnTerminationSignals: false,
      formatError: (formatted, error) => maskError(formatted, options.production, error),
    });
    await server.start();
    servers.push(server);
    const handlers = [
      observeRequests({ log: options.log, name: 'graphql request', fields: { endpoint: endpoint.name } }),
      expressMiddleware(server, {
        context: async ({ req, res }) => {
          const observed = observedOf(res);
          return {
            ...options.context(),
            principal: await endpoint.authenticate(req),
            traceId: observed.traceId,
            observed,
          };
        },
      }),
    ];
    app.use(endpoint.path, handlers);
    routes.set(endpoint.path, handlers);
  }
  return { routes, stop: async () => void (await Promise.all(servers.map((server) => server.stop()))) };
}
