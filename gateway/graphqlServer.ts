// The gateway's Apollo Server: what a client request must pass before it
// is planned (request limits, trusted documents, persisted queries, CSRF)
// and how errors leave (masked in production).
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { GraphQLFormattedError } from 'graphql';
import { observeGraphQL } from '../runtime/observe';
import { maskError } from '../schema/contract/errors';
import type { GatewayContext } from './context';
import { requestLimits, type RequestLimitsOptions } from './hardening/limits';
import { oneMutationFieldPerOperation } from './hardening/oneMutation';
import { pageSizeLimits } from './hardening/pageSize';
import { requestErrorStatus } from './hardening/responseStatus';
import { readManifest, trustedDocuments } from './hardening/trustedDocuments';

export interface GraphQLServerOptions {
  /** Plans and executes operations over the supergraph (see supergraph.ts). */
  gateway: GatewayInterface;
  /** Errors masked to their code and message, stack traces never sent. */
  production: boolean;
  /** Stack traces in error answers (the gateway's and the cities'); never in production. @default false */
  stacktraces?: boolean;
  /** Schema introspection. */
  introspection: boolean;
  /** Depth, aliases, tokens, cost and directives one request may use. */
  limits: RequestLimitsOptions;
  /** Only the operations in this manifest run, when set. */
  trustedDocumentsFile?: string;
  /** Operations the gateway's own routes run (the CSV report's), trusted beside the manifest. @default [] */
  ownOperations?: readonly string[];
  /** Size of the automatic persisted queries cache (LRU), in MiB; 0 turns APQ off. */
  persistedQueriesCacheMiB: number;
  /** More plugins (e.g. metrics), run before observation, limits and trusted documents. @default [] */
  plugins?: ApolloServerPlugin<GatewayContext>[];
}

export function graphqlServer(options: GraphQLServerOptions): ApolloServer<GatewayContext> {
  const limits = requestLimits(options.limits);
  const stacktraces = options.stacktraces === true && !options.production;
  return new ApolloServer<GatewayContext>({
    gateway: options.gateway,
    introspection: options.introspection,
    validationRules: [...limits.validationRules, oneMutationFieldPerOperation],
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    persistedQueries: persistedQueries(options.persistedQueriesCacheMiB),
    includeStacktraceInErrorResponses: stacktraces,
    // main.ts stops the server, then the city connections, on SIGINT/SIGTERM.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => {
      const masked = maskError(formatted, options.production, error);
      return stacktraces ? masked : withoutStacktrace(masked);
    },
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No usage reporting here: federated traces would only cost every request.
      ApolloServerPluginInlineTraceDisabled(),
      ...(options.plugins ?? []),
      observeGraphQL<GatewayContext>(),
      ...limits.plugins,
      pageSizeLimits(),
      requestErrorStatus(),
      ...(options.trustedDocumentsFile
        ? [trustedDocuments(readManifest(options.trustedDocumentsFile), options.ownOperations)]
        : []),
    ],
  });
}

// Clients may send a query's hash instead of its text; bounded so hashes cannot fill memory.
// Trusted documents still apply: the plugin checks the text the hash stands for.
function persistedQueries(cacheMiB: number) {
  return cacheMiB > 0 ? { cache: new InMemoryLRUCache<string>({ maxSize: cacheMiB * 1024 * 1024 }) } : false;
}

/** A city's stack trace travels in its error's extensions; it stops here unless asked for. */
function withoutStacktrace(error: GraphQLFormattedError): GraphQLFormattedError {
  if (!error.extensions || !('stacktrace' in error.extensions || 'exception' in error.extensions))
    return error;
  const { stacktrace: _stacktrace, exception: _exception, ...extensions } = error.extensions;
  return { ...error, extensions };
}
