// One server span and one log line per request, for the gateway and the
// cities alike. The Express middleware continues the caller's trace and logs
// when the response is done; the Apollo plugin tells it which operation ran
// and how it ended. Lines carry names, codes and ids, never variables or data.
import type { ApolloServerPlugin } from '@apollo/server';
import { context as otelContext, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import type { GraphQLFormattedError, OperationDefinitionNode } from 'graphql';
import { ErrorCode } from '../schema/contract/errors';
import type { Logger } from './logger';
import { continueTrace } from './telemetry';

/** What the log line and the span of one request say about it. */
export interface ObservedRequest {
  readonly traceId: string;
  readonly span: Span;
  /** The GraphQL operation name (or a peer message kind). */
  operation?: string;
  operationType?: string;
  outcome?: 'ok' | 'error';
  /** Error codes of the answer (extensions.code), without messages. */
  codes?: string[];
  /** The municipality of the person or city that asked. */
  caller?: string;
}

export interface ObserveOptions {
  log: Logger;
  /** The log line's message and the span's name until the operation is known. */
  name: string;
  /** Where the caller's municipality goes in the line ("municipality" at the gateway). */
  callerField?: string;
  /** Fixed fields of the line and the span (endpoint, ...). */
  fields?: Record<string, string>;
  /**
   * Whether this caller's traceparent is continued; otherwise a new trace
   * starts, linked to the caller's. @default every caller (the cities, behind the gateway)
   */
  trustsTraceOf?: (req: Request) => boolean;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** The observation the middleware made for this response. */
export function observedOf(res: Response): ObservedRequest {
  const observed = res.locals.observed as ObservedRequest | undefined;
  if (!observed) throw new Error('observeRequests must run before this handler');
  return observed;
}

export function observeRequests(options: ObserveOptions) {
  const { log, name, callerField = 'caller', fields = {}, trustsTraceOf } = options;
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const { span, traceId, context, linkedTraceId } = continueTrace(
      req.headers,
      name,
      { 'http.request.method': req.method, 'url.path': req.baseUrl || req.path, ...fields },
      trustsTraceOf ? trustsTraceOf(req) : true,
    );
    const observed: ObservedRequest = { traceId, span };
    res.locals.observed = observed;
    res.once('close', () => {
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      const status = res.statusCode;
      const outcome = !res.writableFinished
        ? 'aborted'
        : (observed.outcome ?? (status >= 400 ? 'error' : 'ok'));
      // An operation name is the client's to choose; only a well-formed one is logged.
      const fromBody = (req.body as { operationName?: unknown } | undefined)?.operationName;
      const operation =
        observed.operation ?? (typeof fromBody === 'string' && NAME.test(fromBody) ? fromBody : undefined);
      const serverFault =
        status >= 500 ||
        observed.codes?.some(
          (c) => c === ErrorCode.INTERNAL_SERVER_ERROR || c === ErrorCode.SUBGRAPH_UNAVAILABLE,
        );
      log[serverFault ? 'warn' : 'info'](
        {
          ...fields,
          operation: operation ?? '(anonymous)',
          ...(observed.operationType ? { operationType: observed.operationType } : {}),
          outcome,
          status,
          durationMs,
          traceId,
          ...(linkedTraceId ? { linkedTraceId } : {}),
          ...(observed.caller ? { [callerField]: observed.caller } : {}),
          ...(observed.codes?.length ? { codes: observed.codes } : {}),
        },
        name,
      );
      if (span.isRecording()) {
        span.setAttribute('http.response.status_code', status);
        span.setAttribute('outcome', outcome);
        if (observed.caller) span.setAttribute('caller.municipality', observed.caller);
        if (observed.codes?.length) span.setAttribute('error.codes', observed.codes);
        if (outcome !== 'ok')
          span.setStatus({ code: SpanStatusCode.ERROR, message: observed.codes?.join(',') });
        span.end();
      }
    });
    if (context) otelContext.with(context, next);
    else next();
  };
}

/** Tells the request's observation which operation ran, for whom, and how it ended. */
export function observeGraphQL<
  TContext extends { observed?: ObservedRequest; principal?: { municipality: string } },
>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart({ contextValue }) {
      const observed = contextValue.observed;
      if (!observed) return Promise.resolve();
      observed.caller = contextValue.principal?.municipality;
      return Promise.resolve({
        didResolveOperation({ operation, operationName }) {
          observeOperation(observed, operation, operationName);
          return Promise.resolve();
        },
        willSendResponse({ response }) {
          observeOutcome(
            observed,
            response.body.kind === 'single' ? response.body.singleResult.errors : undefined,
          );
          return Promise.resolve();
        },
      });
    },
  };
}

/** Which operation ran: the span's name and the log line's fields. */
export function observeOperation(
  observed: ObservedRequest,
  operation: OperationDefinitionNode | null | undefined,
  operationName: string | null | undefined,
): void {
  observed.operation = operationName ?? operation?.name?.value ?? undefined;
  observed.operationType = operation?.operation;
  if (observed.span.isRecording()) {
    const type = operation?.operation ?? 'graphql';
    observed.span.updateName(`${type} ${observed.operation ?? '(anonymous)'}`);
    observed.span.setAttribute('graphql.operation.type', type);
    if (observed.operation) observed.span.setAttribute('graphql.operation.name', observed.operation);
  }
}

/** How the answer ended: ok, or the codes of its errors (never their messages). */
export function observeOutcome(
  observed: ObservedRequest,
  errors: readonly GraphQLFormattedError[] | undefined,
): void {
  observed.outcome = errors?.length ? 'error' : 'ok';
  if (errors?.length) {
    const codes = new Set(
      errors.map((e) =>
        typeof e.extensions?.code === 'string' ? e.extensions.code : ErrorCode.INTERNAL_SERVER_ERROR,
      ),
    );
    observed.codes = [...codes].sort();
  }
}
