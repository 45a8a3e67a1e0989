// The variables every process reads besides its own configuration: the log
// level and OpenTelemetry's, and for the gateway and the cities TLS, token
// checks and metrics (serverEnvironment). Each process's own variables are declared in its
// configuration module (gateway/config.ts, subgraphs/config.ts,
// scripts/environment.ts); the tables in docs/operating.md are generated from
// these schemas (npm run docs), so a variable is described once, here.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

declare module 'zod/v4/core' {
  interface GlobalMeta {
    /** The value's form where the schema's type says too little, e.g. "file path". */
    kind?: string;
    /** What applies when the variable is unset, where code works it out instead of a schema default. */
    whenUnset?: string;
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A level in any case; anything else is "info", so a typo never stops a process. */
export function logLevelOf(value: string | undefined): LogLevel {
  const level = value?.trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(level ?? '') ? (level as LogLevel) : 'info';
}

const truthy = (value: string | undefined) => /^(true|1|yes|on)$/i.test(value?.trim() ?? '');

/** Passed on untouched: the OpenTelemetry SDK reads it itself. */
const readBySdk = (description: string, kind: string, sdkDefault: string) =>
  z
    .string()
    .optional()
    .meta({
      description: `${description} Read by the OpenTelemetry SDK itself.`,
      kind,
      whenUnset: sdkDefault,
    });

export const processEnvironment = z.object({
  LOG_LEVEL: z
    .string()
    .optional()
    .meta({
      description:
        'Least severe level written to the JSON log lines on standard output; any other value means `info`.',
      kind: LOG_LEVELS.map((level) => `\`${level}\``).join(', '),
      whenUnset: '`info`',
    }),
  OTEL_TRACES_EXPORTER: z.string().optional().meta({
    description: '`otlp` turns tracing on; `none` (or a list without `otlp`) keeps it off.',
    kind: 'comma-separated exporter names',
    whenUnset: 'on when an OTLP endpoint is set, else off',
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional().meta({
    description:
      'Collector base URL (OTLP over HTTP, `/v1/traces` is appended); setting it turns tracing on unless the exporter is named otherwise.',
    kind: 'URL',
    whenUnset: 'none',
  }),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().optional().meta({
    description: 'Full URL for traces, instead of the base URL; setting it also turns tracing on.',
    kind: 'URL',
    whenUnset: 'none',
  }),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.string().optional().meta({
    description: 'Only `http/json` is supported; any other value is logged as a warning and JSON is sent.',
    kind: 'protocol name',
    whenUnset: '`http/json`',
  }),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.string().optional().meta({
    description: 'The same, for traces only; it wins over `OTEL_EXPORTER_OTLP_PROTOCOL`.',
    kind: 'protocol name',
    whenUnset: '`OTEL_EXPORTER_OTLP_PROTOCOL`',
  }),
  OTEL_SDK_DISABLED: z.string().optional().meta({
    description: '`true` keeps tracing off whatever else is set.',
    kind: '`true`, `1`, `yes`, `on` or anything else',
    whenUnset: '`false`',
  }),
  OTEL_SERVICE_NAME: z.string().optional().meta({
    description: 'The `service.name` of this process’s spans.',
    kind: 'string',
    whenUnset: '`avhoppare-gateway`, `avhoppare-city-<code>`',
  }),
  OTEL_RESOURCE_ATTRIBUTES: readBySdk(
    'Extra resource attributes on every span.',
    '`key=value` pairs, comma-separated',
    'none',
  ),
  OTEL_EXPORTER_OTLP_HEADERS: readBySdk(
    'Headers sent to the collector (its credentials, for example).',
    '`key=value` pairs, comma-separated',
    'none',
  ),
  OTEL_EXPORTER_OTLP_TIMEOUT: readBySdk('Budget for one export to the collector.', 'milliseconds', '`10000`'),
  OTEL_TRACES_SAMPLER: readBySdk('Which requests are traced.', 'sampler name', '`parentbased_always_on`'),
  OTEL_TRACES_SAMPLER_ARG: readBySdk(
    'The sampler’s argument, such as the ratio of `traceidratio`.',
    'number',
    'none',
  ),
  OTEL_BSP_SCHEDULE_DELAY: readBySdk(
    'Delay between two exports of buffered spans.',
    'milliseconds',
    '`5000`',
  ),
  OTEL_BSP_MAX_QUEUE_SIZE: readBySdk('Spans buffered at most; more are dropped.', 'integer', '`2048`'),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: readBySdk('Spans sent at most in one export.', 'integer', '`512`'),
  OTEL_BSP_EXPORT_TIMEOUT: readBySdk('Budget for exporting one batch.', 'milliseconds', '`30000`'),
});

export interface TracingSettings {
  /** Whether the environment asks for spans to be recorded and exported. */
  requested: boolean;
  /** The OTLP protocol asked for, if one was named. */
  protocol?: string;
  /** Overrides the process's own service name. */
  serviceName?: string;
}

export interface ProcessSettings {
  logLevel: LogLevel;
  tracing: TracingSettings;
}

/**
 * The shared settings, read when asked (a script may set LOG_LEVEL before it
 * creates its loggers). Tracing is asked for by OTEL_TRACES_EXPORTER=otlp, or
 * by an OTLP endpoint with no exporter named; never with OTEL_SDK_DISABLED=true
 * or OTEL_TRACES_EXPORTER=none.
 */
export function readProcessSettings(environment: NodeJS.ProcessEnv = process.env): ProcessSettings {
  // Every variable is an optional string: parsing a process's environment cannot fail.
  const e = processEnvironment.parse(environment);
  const exporters = (e.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((exporter) => exporter.trim().toLowerCase())
    .filter(Boolean);
  const endpoint = Boolean(
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || e.OTEL_EXPORTER_OTLP_ENDPOINT?.trim(),
  );
  const requested =
    !truthy(e.OTEL_SDK_DISABLED) && (exporters.length > 0 ? exporters.includes('otlp') : endpoint);
  const protocol = (e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim();
  const serviceName = e.OTEL_SERVICE_NAME?.trim();
  return {
    logLevel: logLevelOf(e.LOG_LEVEL),
    tracing: {
      requested,
      ...(protocol ? { protocol } : {}),
      ...(serviceName ? { serviceName } : {}),
    },
  };
}

const seconds = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/**
 * The variables the gateway and every city read besides their own: TLS on
 * their port and towards each other, how people's tokens are checked, and
 * where metrics are served. Declared once here, documented once.
 */
export const serverEnvironment = z.object({
  TLS_CERT_FILE: z.string().optional().meta({
    description:
      'PEM certificate (chain) of this process: with `TLS_KEY_FILE` it serves HTTPS instead of HTTP, and presents it as its client certificate where the other side asks for one (mutual TLS).',
    kind: 'PEM file path',
    whenUnset: 'plain HTTP',
  }),
  TLS_KEY_FILE: z.string().optional().meta({
    description: 'PEM private key of `TLS_CERT_FILE`.',
    kind: 'PEM file path',
    whenUnset: 'plain HTTP',
  }),
  TLS_CA_FILE: z.string().optional().meta({
    description:
      'PEM bundle of the certificate authorities trusted for outgoing `https:` connections (cities, identity providers’ JWKS URLs) and for client certificates; replaces the system’s list.',
    kind: 'PEM file path',
    whenUnset: 'the system’s certificate authorities',
  }),
  TLS_CLIENT_CERTIFICATES: z.enum(['off', 'require']).default('off').meta({
    description:
      '`require` (a city): mutual TLS, a connection without a client certificate signed by a `TLS_CA_FILE` authority is refused. Needs `TLS_CERT_FILE` and `TLS_CA_FILE`. The gateway asks its clients for none.',
  }),
  TOKEN_MAX_AGE_SECONDS: seconds(3600).meta({
    description:
      'Oldest a person’s token may be (from its `iat`); a token whose lifetime (`exp` − `iat`) is longer is refused too. Tokens without `exp` or `iat` are always refused.',
  }),
  TOKEN_CLOCK_TOLERANCE_SECONDS: seconds(30).meta({
    description: 'Clock difference tolerated with identity providers when checking `exp`, `nbf` and `iat`.',
  }),
  JWKS_COOLDOWN_SECONDS: seconds(10).meta({
    description:
      'An identity provider’s JWKS URL is fetched again for a token with an unknown key id at most once in this time. Keys are fetched again anyway once they are 30 s old, so a key removed from the JWKS stops working within a minute.',
  }),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional().meta({
    description:
      'Serve `/metrics` on this port only (on `METRICS_HOST`), not on the main port; `0` picks a free one.',
    whenUnset: '`/metrics` on the main port',
  }),
  METRICS_HOST: z.string().default('127.0.0.1').meta({
    description: 'Interface of `METRICS_PORT`.',
    kind: 'host name or address',
  }),
  METRICS_TOKEN: z.string().min(16).optional().meta({
    description:
      'A bearer token `/metrics` asks for (`authorization: Bearer <token>`), at least 16 characters. With `NODE_ENV=production` and no `METRICS_PORT`, `/metrics` on the main port is refused without it.',
    kind: 'secret string',
    whenUnset: 'no token asked for, except in production on the main port',
  }),
});

/** TLS of one process; file contents, read at start. */
export interface TlsSettings {
  /** This process's certificate chain and key: it serves HTTPS when both are set. */
  cert?: string;
  key?: string;
  /** Trusted authorities for outgoing https and client certificates; the system's when absent. */
  ca?: string;
  /** Mutual TLS: clients must present a certificate signed by `ca`. */
  requireClientCertificates: boolean;
}

/** How people's tokens are checked. */
export interface TokenPolicy {
  /** Oldest a token may be, from its iat, and longest its lifetime may be. */
  maxAgeSeconds: number;
  clockToleranceSeconds: number;
  /** An unknown key id fetches a JWKS URL again at most once in this time. */
  jwksCooldownSeconds: number;
}

export interface MetricsSettings {
  /** Its own port (and interface), when set; otherwise /metrics is on the main port. */
  port?: number;
  host: string;
  /** A bearer token /metrics asks for, when set. */
  token?: string;
}

export interface ServerSettings {
  tls: TlsSettings;
  tokens: TokenPolicy;
  metrics: MetricsSettings;
}

function readPem(variable: string, file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The shared server variables, checked; files named by them are read now. */
export function readServerSettings(environment: NodeJS.ProcessEnv): ServerSettings {
  const parsed = serverEnvironment.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE))
    throw new Error('Invalid environment: set both TLS_CERT_FILE and TLS_KEY_FILE, or neither');
  if (e.TLS_CLIENT_CERTIFICATES === 'require' && !(e.TLS_CERT_FILE && e.TLS_CA_FILE))
    throw new Error(
      'Invalid environment: TLS_CLIENT_CERTIFICATES=require needs TLS_CERT_FILE and TLS_CA_FILE',
    );
  return {
    tls: {
      cert: readPem('TLS_CERT_FILE', e.TLS_CERT_FILE),
      key: readPem('TLS_KEY_FILE', e.TLS_KEY_FILE),
      ca: readPem('TLS_CA_FILE', e.TLS_CA_FILE),
      requireClientCertificates: e.TLS_CLIENT_CERTIFICATES === 'require',
    },
    tokens: {
      maxAgeSeconds: e.TOKEN_MAX_AGE_SECONDS,
      clockToleranceSeconds: e.TOKEN_CLOCK_TOLERANCE_SECONDS,
      jwksCooldownSeconds: e.JWKS_COOLDOWN_SECONDS,
    },
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST, token: e.METRICS_TOKEN },
  };
}
