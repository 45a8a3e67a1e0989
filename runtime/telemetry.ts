// OpenTelemetry tracing, off unless the standard OTEL_* variables ask for it:
// spans go over OTLP/HTTP (JSON) to a collector. Off, every span below comes
// from the API's no-op tracer and costs nothing; the W3C trace id is still
// carried from the gateway to the cities (see trace.ts).
import {
  context,
  diag,
  DiagLogLevel,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { readProcessSettings } from './environment';
import type { Logger } from './logger';
import { traceIdIn, traceIdOf, traceparentFor } from './trace';

export { SpanKind, SpanStatusCode, type Span };

export interface Telemetry {
  /** Whether spans are recorded and exported. */
  readonly tracing: boolean;
  /** Exports what is buffered and stops; call once, when the process stops. */
  shutdown(): Promise<void>;
}

/**
 * Whether the environment asks for traces: OTEL_TRACES_EXPORTER=otlp, or an
 * OTLP endpoint with no exporter named; never with OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none. The process's own environment when none is given.
 */
export function tracingRequested(env?: NodeJS.ProcessEnv): boolean {
  return readProcessSettings(env).tracing.requested;
}

let enabled = false;

/** The project's tracer; a no-op until startTelemetry registers a provider. */
export const tracer = trace.getTracer('avhoppare');

/**
 * Registers the tracer provider, context manager and propagator when the
 * environment asks for tracing. `serviceName` is used unless OTEL_SERVICE_NAME is set.
 * The SDK is loaded only then: a process that does not trace starts without it.
 */
export async function startTelemetry(
  serviceName: string,
  options: { env?: NodeJS.ProcessEnv; log?: Logger } = {},
): Promise<Telemetry> {
  const { tracing: settings } = readProcessSettings(options.env);
  const log = options.log;
  if (!settings.requested) return { tracing: false, shutdown: () => Promise.resolve() };

  const { protocol } = settings;
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

  const [
    { AsyncLocalStorageContextManager },
    { W3CTraceContextPropagator },
    { OTLPTraceExporter },
    { defaultResource, detectResources, envDetector, resourceFromAttributes },
    { BasicTracerProvider, BatchSpanProcessor },
    { ATTR_SERVICE_NAME },
  ] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName ?? serviceName }));
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
 * A server span for a request, and the trace id of the request. A trusted
 * caller's traceparent is continued (the span's trace id when tracing, else
 * the traceparent's); an untrusted caller's is never the trace id: a new
 * trace starts, linked to the caller's (`linkedTraceId`, and a span link
 * when tracing), so a client cannot choose the id cities write in their logs.
 */
export function continueTrace(
  headers: Record<string, string | string[] | undefined>,
  name: string,
  attributes: Attributes,
  trusted = true,
): { span: Span; traceId: string; context: Context | undefined; linkedTraceId?: string } {
  const incoming = typeof headers.traceparent === 'string' ? headers.traceparent : undefined;
  const linkedTraceId = trusted ? undefined : traceIdIn(incoming);
  if (!enabled) {
    const traceId = traceIdOf(trusted ? incoming : undefined);
    return { span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT), traceId, context: undefined, linkedTraceId };
  }
  const callers = propagation.extract(ROOT_CONTEXT, headers);
  const parent = trusted ? callers : ROOT_CONTEXT;
  const linked = trusted ? undefined : trace.getSpanContext(callers);
  const span = tracer.startSpan(
    name,
    {
      kind: SpanKind.SERVER,
      attributes,
      ...(linked && isSpanContextValid(linked) ? { links: [{ context: linked }] } : {}),
    },
    parent,
  );
  return { span, traceId: span.spanContext().traceId, context: trace.setSpan(parent, span), linkedTraceId };
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
