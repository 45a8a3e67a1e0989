// POST/GET /graphql: CORS, the JSON body within its limit, one span and log
// line per request, then Apollo with the caller's context.
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware, type ExpressContextFunctionArgument } from '@as-integrations/express5';
import cors from 'cors';
import express, { type Request, type RequestHandler } from 'express';
import type { Logger } from '../runtime/logger';
import { observeRequests } from '../runtime/observe';
import type { GatewayContext } from './context';
import { resolvePersistedDocuments } from './hardening/trustedDocuments';
import { tokenLimit } from './hardening/limits';
import { emptyOperationNameRefused } from './hardening/operationName';
import { TRACE_ID_HEADER, traceIdHeader } from './traceHeader';

export interface GraphQLEndpointOptions {
  /** The gateway's GraphQL server, started. */
  server: ApolloServer<GatewayContext>;
  /** The caller's context; throws UNAUTHENTICATED when the request is not authenticated. */
  context: (argument: ExpressContextFunctionArgument) => Promise<GatewayContext>;
  /** Origins allowed by CORS; none (no CORS headers) when empty. */
  corsOrigins: string[];
  /** Largest request body, e.g. "100kb". */
  bodyLimit: string;
  /** Most tokens one document may have; more is refused before parsing. */
  maxTokens: number;
  /** Where the line per request goes. */
  log: Logger;
  /** Whether a caller's traceparent is continued; others start a new trace linked to theirs. */
  trustsTraceOf: (req: Request) => boolean;
  /** Documents a client may send by hash alone (SHA-256 → text). @default none */
  documents?: ReadonlyMap<string, string>;
  /** Answers what it can before Apollo (singleFetchAnswers.ts); the rest goes on. @default none */
  before?: RequestHandler;
}

export function graphqlEndpoint(options: GraphQLEndpointOptions): RequestHandler[] {
  return [
    cors({
      origin: options.corsOrigins,
      methods: ['GET', 'POST'],
      maxAge: 600,
      exposedHeaders: [TRACE_ID_HEADER],
    }),
    express.json({ limit: options.bodyLimit }),
    resolvePersistedDocuments(options.documents ?? new Map()),
    tokenLimit(options.maxTokens),
    emptyOperationNameRefused(),
    observeRequests({
      log: options.log,
      name: 'graphql request',
      callerField: 'municipality',
      trustsTraceOf: options.trustsTraceOf,
    }),
    traceIdHeader,
    ...(options.before ? [options.before] : []),
    expressMiddleware(options.server, { context: options.context }),
  ];
}
