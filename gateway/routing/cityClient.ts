// HTTP to the cities. Hand-written rather than RemoteGraphQLDataSource: one
// data source here talks to many cities, each call needs its own principal,
// timeout and attribution, and undici's pooled keep-alive agent is faster
// than the make-fetch-happen stack Apollo's class uses.
import type { GraphQLFormattedError } from 'graphql';
import { request, type Agent } from 'undici';
import type { TlsSettings } from '../../runtime/environment';
import type { Logger } from '../../runtime/logger';
import { NO_TLS, tlsAgent } from '../../runtime/tls';
import { inSpan, SpanKind, traceparentOf } from '../../runtime/telemetry';
import { traceIdOf } from '../../runtime/trace';

export interface SubgraphRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string | null;
}

export interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
}

/** The city did not answer with GraphQL in time: down, timed out or broken. */
export class CityUnavailableError extends Error {
  constructor(
    reason: string,
    /** It did not answer within the timeout (hung or overloaded), rather than refusing at once. */
    readonly timedOut = false,
  ) {
    super(reason);
  }
}

export interface CityClientOptions {
  /** Budget for one call, connection included. @default 5000 */
  timeoutMs: number;
  /** Keep-alive connections per origin. @default 32 */
  connections: number;
  /** Which city and role an endpoint URL is, for spans and log lines. */
  targets?: ReadonlyMap<string, { municipality: string; role: string }>;
  /** Told of calls that fail (warn) and cities' GraphQL errors (debug). */
  log?: Logger;
  /** Trusted authorities for `https:` cities, and the gateway's client certificate. @default plain */
  tls?: TlsSettings;
}

export class CityClient {
  private readonly agent: Agent;

  constructor(private readonly options: CityClientOptions) {
    this.agent = tlsAgent(options.tls ?? NO_TLS, {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      connectTimeout: options.timeoutMs,
    });
  }

  /** `payload` is `body` serialised, when the caller already did (a principal signed over it). */
  async send(
    url: string,
    body: SubgraphRequest,
    headers: Record<string, string>,
    payload: string = JSON.stringify(body),
  ): Promise<SubgraphResponse> {
    const target = this.options.targets?.get(url) ?? { municipality: 'unknown', role: 'unknown' };
    // One client span per city call; the city's server span continues it.
    return inSpan(
      `city ${target.role}`,
      { kind: SpanKind.CLIENT, attributes: { municipality: target.municipality, role: target.role } },
      async (span) => {
        const traceparent = traceparentOf(span);
        const outgoing = traceparent ? { ...headers, traceparent } : headers;
        try {
          const response = await this.post(url, payload, outgoing);
          const outcome = response.errors?.length ? 'graphql_error' : 'ok';
          span?.setAttribute('outcome', outcome);
          if (response.errors?.length) {
            this.options.log?.debug(
              {
                ...target,
                outcome,
                codes: [...new Set(response.errors.map((e) => codeOf(e.extensions?.code, 'unknown')))],
                traceId: traceIdOf(outgoing.traceparent),
              },
              'city answered with errors',
            );
          }
          return response;
        } catch (error) {
          if (error instanceof CityUnavailableError) {
            span?.setAttribute('outcome', 'unavailable');
            this.options.log?.warn(
              {
                ...target,
                outcome: 'unavailable',
                reason: error.message,
                traceId: traceIdOf(outgoing.traceparent),
              },
              'city call failed',
            );
          }
          throw error;
        }
      },
    );
  }

  private async post(url: string, body: string, headers: Record<string, string>): Promise<SubgraphResponse> {
    let response;
    try {
      response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw unavailable(error);
    }
    const type = String(response.headers['content-type'] ?? '');
    if (!type.includes('json')) {
      await response.body.dump();
      throw new CityUnavailableError(`HTTP ${response.statusCode} without a GraphQL response`);
    }
    let parsed: unknown;
    try {
      parsed = await response.body.json();
    } catch (error) {
      throw unavailable(error);
    }
    if (typeof parsed !== 'object' || parsed === null || !('data' in parsed || 'errors' in parsed)) {
      throw new CityUnavailableError(`HTTP ${response.statusCode} without a GraphQL response`);
    }
    return parsed as SubgraphResponse;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

const timedOut = (error: unknown) =>
  error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');

const unavailable = (error: unknown) => new CityUnavailableError(describe(error), timedOut(error));

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (timedOut(error)) return 'timed out';
    // A parser's message quotes the body it choked on.
    if (error instanceof SyntaxError) return 'not valid JSON';
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.message;
  }
  return String(error);
}

const codeOf = (code: unknown, fallback: string) => (typeof code === 'string' ? code : fallback);
