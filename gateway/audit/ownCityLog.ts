// POST /own-city/graphql: an auditor's read of their own city's logs through
// the gateway, the only address the browser talks to. The caller's token is
// verified as /graphql verifies it; only a persisted auditor operation is
// accepted, by its SHA-256 (never query text); and the request goes to the
// internal API of the municipality the verified token names, never another.
// The caller's Authorization header is forwarded unchanged, so the city
// verifies the person with its own identity provider and checks the auditor
// permission itself; its answer is returned as it is.
import type { ExpressContextFunctionArgument } from '@as-integrations/express5';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Dispatcher } from 'undici';
import { fetch } from 'undici';
import type { Logger } from '../../runtime/logger';
import { observeRequests } from '../../runtime/observe';
import { traceIdHeader } from '../traceHeader';
import { traceparentFor } from '../../runtime/trace';
import { ErrorCode, errorBody, unavailableCity, type ErrorCode as Code } from '../../schema/contract/errors';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { NetworkConfig } from '../../schema/contract/network';
import type { GatewayContext } from '../context';

export const OWN_CITY_PATH = '/own-city/graphql';

export interface OwnCityLogOptions {
  /** The auditor operations (SHA-256 → text), see auditDocuments.ts. */
  documents: ReadonlyMap<string, string>;
  /** The same context function as /graphql: verifies the bearer token into the caller's principal. */
  context: (argument: ExpressContextFunctionArgument) => Promise<GatewayContext>;
  network: NetworkConfig;
  /** The gateway's agent towards the cities (TLS when it is on). */
  dispatcher: Dispatcher;
  timeoutMs: number;
  bodyLimit: string;
  log: Logger;
  trustsTraceOf: (req: Request) => boolean;
}

interface ForwardedRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

const HASH = /^[\da-f]{64}$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const refuse = (res: Response, status: number, code: Code, message: string) =>
  void res.status(status).json(errorBody(code, message));

/** The persisted operation a body names, or why it is refused. */
function operationOf(
  body: unknown,
  documents: ReadonlyMap<string, string>,
): ForwardedRequest | { refused: string } {
  if (!isObject(body)) return { refused: 'The body must be a JSON object' };
  // Query text is never run here, not even the text of a known operation.
  if (body.query !== undefined) return { refused: 'Send a persisted operation by its hash, not query text' };
  const persisted = isObject(body.extensions) ? body.extensions.persistedQuery : undefined;
  const hash = isObject(persisted) ? persisted.sha256Hash : body.documentId;
  const text = typeof hash === 'string' && HASH.test(hash) ? documents.get(hash) : undefined;
  if (!text) return { refused: 'Only the auditor operations of the web app may run here' };
  if (body.variables != null && !isObject(body.variables))
    return { refused: 'variables must be a JSON object' };
  if (body.operationName != null && typeof body.operationName !== 'string')
    return { refused: 'operationName must be a string' };
  return {
    query: text,
    ...(body.variables ? { variables: body.variables } : {}),
    ...(body.operationName ? { operationName: body.operationName } : {}),
  };
}

export function ownCityLogRoute(options: OwnCityLogOptions): RequestHandler[] {
  const urlOf = (municipality: MunicipalityCode) =>
    options.network.municipalities.find((m) => m.code === municipality)?.url;
  const handle: RequestHandler = async (req, res) => {
    let context: GatewayContext;
    try {
      context = await options.context({ req, res });
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === ErrorCode.UNAUTHENTICATED)
        return refuse(res, 401, ErrorCode.UNAUTHENTICATED, error.message);
      throw error;
    }
    const { principal } = context;
    if (context.observed) context.observed.caller = principal.municipality;
    const operation = operationOf(req.body, options.documents);
    if ('refused' in operation) return refuse(res, 400, ErrorCode.OPERATION_NOT_TRUSTED, operation.refused);
    if (context.observed && operation.operationName) context.observed.operation = operation.operationName;
    // The city of the verified token: the person cannot name another.
    const city = urlOf(principal.municipality);
    if (!city)
      return refuse(res, 403, ErrorCode.FORBIDDEN, `Municipality ${principal.municipality} has no city here`);
    try {
      const answer = await fetch(`${city}/internal/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: req.header('authorization') ?? '',
          traceparent: traceparentFor(context.traceId),
        },
        body: JSON.stringify(operation),
        dispatcher: options.dispatcher,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const body = await answer.text();
      res.status(answer.status).type('application/json').send(body);
    } catch (error) {
      options.log.warn(
        { err: error, municipality: principal.municipality, traceId: context.traceId },
        'own city did not answer',
      );
      res.status(502).json({ errors: [unavailableCity(principal.municipality, 'no answer')] });
    }
  };
  return [
    observeRequests({
      log: options.log,
      name: 'own-city request',
      callerField: 'municipality',
      trustsTraceOf: options.trustsTraceOf,
    }),
    // The trace id the city logs this read under, for the person to quote.
    traceIdHeader,
    express.json({ limit: options.bodyLimit }),
    (req, res, next) => {
      if (req.method !== 'POST') return refuse(res, 405, ErrorCode.BAD_REQUEST, 'Use POST');
      if (!req.is('application/json'))
        return refuse(res, 415, ErrorCode.BAD_REQUEST, 'The body must be application/json');
      next();
    },
    (req, res, next) => void Promise.resolve(handle(req, res, next)).catch(next),
  ];
}
