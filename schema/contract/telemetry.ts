// OpenTelemetry tracing, off unless the standard OTEL_* variables ask for it:
// spans go over OTLP/HTTP (JSON) to a collector. Off, every span below comes
// from the API's no-op tracer and costs nothing; the W3C trace id is still
// carried from the gateway to the cities (see trace.ts).
import {
  context,
  diag,
  DiagLogLevel,
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Logger } from './logger';
import { traceIdOf, traceparentFor } from './trace';

export { SpanKind, SpanStatusCode, type Span };

export interface Telemetry {
  /** Whether spans are recorded and exported. */
  readonly tracing: boolean;
  /** Exports what is buffered and stops; call once, when the process stops. */
  shutdown(): Promise<void>;
}

const truthy = (value: string | undefined) => /^(true|1|yes|on)$/i.test(value?.trim() ?? '');

/**
 * Whether the environment asks for traces: OTEL_TRACES_EXPORTER=otlp, or an
 * OTLP endpoint with no exporter named; never with OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none.
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (truthy(env.OTEL_SDK_DISABLED)) return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  if (exporters.length > 0) return exporters.includes('otlp');
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
}

let enabled = false;

/** Whether this process records spans (startTelemetry turned tracing on). */
export const tracingEnabled = () => enabled;

/** The project's tracer; a no-op until startTelemetry registers a provider. */
export const tracer = trace.getTracer('avhoppare');

/**
 * Registers the tracer provider, context manager and propagator when the
 * environment asks for tracing. `serviceName` is used unless OTEL_SERVICE_NAME is set.
 */
export function startTelemetry(
  serviceName: string,
  options: { env?: NodeJS.ProcessEnv; log?: Logger } = {},
): Telemetry {
  const env = options.env ?? process.env;
  const log = options.log;
  if (!tracingRequested(env)) return { tracing: false, shutdown: () => Promise.resolve() };

  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim();
  if (protocol && protocol !== 'http/json') {
    log?.warn({ protocol }, 'only OTLP http/json is supported; traces are sent as http/json');
  }
  // Export failures are reported, never thrown into requests.
  if (log) {
    diag.setLogger(
      {
        error: (message) => log.warn({ component: 'otel' }, message),
        warn: (message) => log.warn({ component: 'otel' }, message),
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      DiagLogLevel.WARN,
    );
  }

  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME?.trim() || serviceName }));
  // The exporter reads OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) itself.
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  enabled = true;

  let stopped: Promise<void> | undefined;
  return {
    tracing: true,
    shutdown() {
      stopped ??= provider
        .shutdown()
        .catch((error: unknown) => log?.warn({ err: error }, 'could not export the last spans'))
        .finally(() => {
          enabled = false;
          contextManager.disable();
        });
      return stopped;
    },
  };
}

/**
 * A server span continuing the caller's traceparent, and the trace id of the
 * request: the span's when tracing, else the traceparent's (or a new one).
 */
export function continueTrace(
  headers: Record<string, string | string[] | undefined>,
  name: string,
  attributes: Attributes,
): { span: Span; traceId: string; context: Context | undefined } {
  if (!enabled) {
    const incoming = headers.traceparent;
    const traceId = traceIdOf(typeof incoming === 'string' ? incoming : undefined);
    return { span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT), traceId, context: undefined };
  }
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, traceId: span.spanContext().traceId, context: trace.setSpan(parent, span) };
}

/**
 * The traceparent for an outgoing call made under `span`: the span's own when
 * tracing, so the callee's server span is its child; otherwise a new span id
 * under `traceId`, so the trace id still travels.
 */
export function traceparentOf(span: Span | undefined, traceId?: string): string | undefined {
  if (enabled && span?.isRecording()) {
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    if (carrier.traceparent) return carrier.traceparent;
  }
  return traceId ? traceparentFor(traceId) : undefined;
}

/**
 * Runs `fn` in a span of the active trace (a client call, a database batch),
 * marking it failed when `fn` throws. Without tracing, `fn` runs as is.
 */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes },
  fn: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!enabled) return fn(undefined);
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      // The kind of failure only: messages can carry input values.
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}
