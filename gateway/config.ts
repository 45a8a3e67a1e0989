// The gateway's configuration, read from the environment once and checked.
import { z } from 'zod';
import { readServerSettings, type ServerSettings } from '../runtime/environment';
import { DEFAULT_KEYS_DIR } from '../runtime/keys';
import { loadAgreements, type AgreementRecord } from '../schema/contract/agreements';
import type { RequestLimitsOptions } from './hardening/limits';
import { readNetwork, type NetworkConfig } from '../schema/contract/network';

export interface GatewayConfig {
  host: string;
  port: number;
  network: NetworkConfig;
  /** Where the network was read from; absent for the built-in demo network. */
  networkFile?: string;
  /** TLS, people's tokens and metrics, as every server reads them. */
  server: ServerSettings;
  /** Remote addresses (or CIDR ranges) whose `traceparent` the gateway continues. */
  traceCallers: string[];
  /** Operation names metrics count by name besides the trusted documents' ones; the rest are `other`. */
  metricOperations: string[];
  /** Per-city budget for one subgraph call. */
  cityTimeoutMs: number;
  /** Keep-alive connections per city and role. */
  connectionsPerCity: number;
  /** Identical reads in flight for the same person share one city call. */
  dedupeCityReads: boolean;
  /** Operations one role answers whole are sent to it without Apollo's pipeline (singleFetchAnswers.ts). */
  singleFetchAnswers: boolean;
  circuit: { failureThreshold: number; cooldownMs: number };
  keysDir: string;
  agreements: readonly AgreementRecord[];
  production: boolean;
  /** Stack traces in error answers; off unless asked for, never in production. */
  stacktraces: boolean;
  /** Schema introspection; off in production unless asked for. */
  introspection: boolean;
  /** Origins allowed by CORS; none (no CORS headers) when empty. */
  corsOrigins: string[];
  /** Largest request body, e.g. "100kb". */
  bodyLimit: string;
  limits: RequestLimitsOptions;
  /** Only the operations in this manifest run, when set. */
  trustedDocumentsFile?: string;
  /** Approximate size of the query-plan cache (LRU), in MiB. */
  queryPlanCacheMiB: number;
  /** Size of the automatic persisted queries cache (LRU), in MiB; 0 turns APQ off. */
  persistedQueriesCacheMiB: number;
  /** The shared web app: its built files and its OAuth client id. */
  webApp: { dir: string; clientId: string };
}

/**
 * Every variable the gateway reads, with what it means: docs/operating.md's
 * table is generated from this schema (npm run docs). LOG_LEVEL and OTEL_*
 * are shared with the cities (runtime/environment.ts).
 */
export const gatewayEnvironment = z.object({
  HOST: z.string().default('127.0.0.1').meta({
    description: 'Interface the gateway listens on; `0.0.0.0` for every interface.',
    kind: 'host name or address',
  }),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000).meta({
    description:
      'Port of `/graphql`, `/health/live`, `/health/ready`, `/metrics` and `/reports/evaluation.csv`; `0` picks a free one.',
  }),
  NETWORK_FILE: z.string().optional().meta({
    description:
      'The network: each municipality’s code, name, city URL and, optionally, identity provider and message keys (see “The network file”).',
    kind: 'JSON file path',
    whenUnset: 'the demo network (ports 4101–4103, local dev issuers)',
  }),
  CITY_TIMEOUT_MS: z.coerce.number().int().positive().default(5000).meta({
    description:
      'Budget for one call to one city, connecting included. A city that does not answer in time is `SUBGRAPH_UNAVAILABLE` for that call and its circuit opens at once.',
  }),
  CITY_CONNECTIONS: z.coerce.number().int().positive().default(32).meta({
    description: 'Keep-alive connections to each city, both roles together.',
  }),
  DEDUPE_CITY_READS: z.enum(['true', 'false']).default('true').meta({
    description: 'Identical reads in flight for the same person share one city call.',
  }),
  SINGLE_FETCH_ANSWERS: z.enum(['true', 'false']).default('true').meta({
    description:
      'An operation Apollo planned as one fetch from one role, asking for exactly what the client asked, is sent to that role by the gateway itself and its answer returned as it came, once checked to have the operation’s shape; errors, refusals and anything unusual still go through Apollo. Such a request has the request’s span and the city call’s, not Apollo’s plan and fetch spans. `false` sends every request through Apollo.',
  }),
  CIRCUIT_FAILURES: z.coerce.number().int().positive().default(3).meta({
    description:
      'Failed calls in a row after which a city’s circuit opens: its calls are answered `SUBGRAPH_UNAVAILABLE` (`extensions.circuit: "open"`) without asking it.',
  }),
  CIRCUIT_COOLDOWN_MS: z.coerce.number().int().positive().default(5000).meta({
    description:
      'How long an open circuit fails fast; then one probe at a time goes out, and a success closes it.',
  }),
  KEYS_DIR: z.string().default(DEFAULT_KEYS_DIR).meta({
    description:
      'Where the gateway’s principal-signing key (`gateway.private.jwk.json`; created on first start, except in production, which only reads it) and the local dev issuers’ public keys are.',
    kind: 'directory',
  }),
  AGREEMENTS_FILE: z.string().optional().meta({
    description:
      'The agreements as data (parties, term, quotas, reconciliation period, equalisation threshold), replacing the built-in ones; give the cities the same file.',
    kind: 'JSON file path',
    whenUnset: 'the built-in 2023 pilot agreement',
  }),
  NODE_ENV: z.string().default('development').meta({
    description:
      '`production` fails closed: the gateway refuses to start unless `NETWORK_FILE` names a real identity provider (issuer, audience, `https:` JWKS URL) for every municipality and its principal key exists; it never creates keys nor trusts a dev issuer. It also masks error details (no messages of unexpected errors, no stack traces) and turns introspection off.',
    kind: '`production` or anything else',
  }),
  STACKTRACES: z.enum(['true', 'false']).default('false').meta({
    description:
      'Stack traces in error answers (`extensions.stacktrace`), the gateway’s own and those the cities send, for debugging. Ignored with `NODE_ENV=production`, which never sends one.',
  }),
  INTROSPECTION: z.enum(['true', 'false']).optional().meta({
    description: 'Schema introspection, regardless of `NODE_ENV`.',
    whenUnset: 'on, except with `NODE_ENV=production`',
  }),
  CORS_ORIGINS: z.string().default('').meta({
    description: 'Browser origins allowed to call `/graphql`; none gets CORS headers when empty.',
    kind: 'comma-separated origins',
  }),
  BODY_LIMIT: z.string().default('100kb').meta({
    description:
      'Largest request body; a larger one is refused (HTTP 413, `BAD_REQUEST`) before it is parsed.',
    kind: 'size such as `100kb`',
  }),
  MAX_DEPTH: z.coerce.number().int().positive().default(12).meta({
    description: 'Deepest selection an operation may have.',
  }),
  MAX_ALIASES: z.coerce.number().int().positive().default(15).meta({
    description: 'Aliases one operation may use.',
  }),
  MAX_TOKENS: z.coerce.number().int().positive().default(3000).meta({
    description: 'Tokens one document may have.',
  }),
  MAX_COST: z.coerce.number().int().positive().default(5000).meta({
    description: 'Estimated cost one operation may have.',
  }),
  MAX_DIRECTIVES: z.coerce.number().int().positive().default(20).meta({
    description: 'Directives one operation may use.',
  }),
  TRUSTED_DOCUMENTS_FILE: z.string().optional().meta({
    description:
      'Manifest of the only operations that may run: a JSON object from the SHA-256 (hex) of each operation’s text to the text. Others are refused with `OPERATION_NOT_TRUSTED`.',
    kind: 'JSON file path',
    whenUnset: 'every operation may run',
  }),
  TRUSTED_TRACE_CALLERS: z.string().default('').meta({
    description:
      'Callers whose `traceparent` the gateway continues (a proxy or the web app’s server): IP addresses or CIDR ranges. Any other caller’s trace id is recorded as a link of a new trace, never used as the trace id the cities log.',
    kind: 'comma-separated addresses or CIDR ranges',
  }),
  METRICS_OPERATIONS: z.string().default('').meta({
    description:
      'Operation names `gateway_requests_total` counts by name, besides those of `TRUSTED_DOCUMENTS_FILE`; every other name is counted as `other`, so clients cannot grow the metrics.',
    kind: 'comma-separated operation names',
  }),
  QUERY_PLAN_CACHE_MB: z.coerce.number().int().positive().default(30).meta({
    description: 'Approximate size of the query-plan cache (least recently used plans go first).',
    kind: 'integer (MiB)',
  }),
  WEB_APP_DIR: z.string().default('web/dist').meta({
    description:
      'The built web app (`npm run build:web`), served at `/` with its sign-in configuration at `/app-config.json`; its persisted documents may be sent by hash alone.',
    kind: 'directory',
  }),
  WEB_CLIENT_ID: z.string().min(1).default('avhoppare-web').meta({
    description: 'The web app’s OAuth client id at every municipality’s identity provider.',
  }),
  APQ_CACHE_MB: z.coerce.number().int().min(0).default(8).meta({
    description: 'Size of the automatic persisted queries cache; `0` turns automatic persisted queries off.',
    kind: 'integer (MiB)',
  }),
});

export function readGatewayConfig(environment: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = gatewayEnvironment.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    network: readNetwork(e.NETWORK_FILE),
    networkFile: e.NETWORK_FILE,
    server: readServerSettings(environment),
    traceCallers: list(e.TRUSTED_TRACE_CALLERS),
    metricOperations: list(e.METRICS_OPERATIONS),
    cityTimeoutMs: e.CITY_TIMEOUT_MS,
    connectionsPerCity: e.CITY_CONNECTIONS,
    dedupeCityReads: e.DEDUPE_CITY_READS === 'true',
    singleFetchAnswers: e.SINGLE_FETCH_ANSWERS === 'true',
    circuit: { failureThreshold: e.CIRCUIT_FAILURES, cooldownMs: e.CIRCUIT_COOLDOWN_MS },
    keysDir: e.KEYS_DIR,
    agreements: loadAgreements(e.AGREEMENTS_FILE),
    production: e.NODE_ENV === 'production',
    stacktraces: e.STACKTRACES === 'true' && e.NODE_ENV !== 'production',
    introspection: e.INTROSPECTION ? e.INTROSPECTION === 'true' : e.NODE_ENV !== 'production',
    corsOrigins: list(e.CORS_ORIGINS),
    bodyLimit: e.BODY_LIMIT,
    limits: {
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxTokens: e.MAX_TOKENS,
      maxCost: e.MAX_COST,
      maxDirectives: e.MAX_DIRECTIVES,
    },
    trustedDocumentsFile: e.TRUSTED_DOCUMENTS_FILE,
    queryPlanCacheMiB: e.QUERY_PLAN_CACHE_MB,
    persistedQueriesCacheMiB: e.APQ_CACHE_MB,
    webApp: { dir: e.WEB_APP_DIR, clientId: e.WEB_CLIENT_ID },
  };
}

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
