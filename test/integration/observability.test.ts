// Tracing across the network: with OTEL_* pointing at a collector, one client
// request is one trace — the gateway's server span, a client span per city
// call, each city's server span under it, its database batches, and the
// messages between cities — and nothing personal rides along in attributes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracingRequested } from '../../runtime/telemetry';
import { AGREEMENTS, limit } from '../../schema/contract/agreements';
import { UNIT } from '../support/assignments';
import { startTestNetwork, type TestNetwork } from '../support/network';
import {
  CLIENT,
  exportingTo,
  SERVER,
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '../support/otlp';
import { leaksIn, openSensitiveCase } from '../support/sensitiveCase';
import { agreementInForceToday, ok, PROPOSE } from '../support/workflow';

const LIST = /* GraphQL */ `
  query TracedList {
    assignments(first: 50) {
      edges {
        node {
          id
          homeMunicipality
          receivingMunicipality
          planSummary {
            version
          }
          costs {
            total {
              amount
            }
          }
          pendingAtReceiving {
            waitingFor
            count
          }
        }
      }
    }
  }
`;

const CITIES = ['0180', '1480', '1280'];

describe('tracing switched on by OTEL_* variables', () => {
  let receiver: OtlpReceiver;
  let network: TestNetwork;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    network = await startTestNetwork({
      agreements: [
        ...AGREEMENTS,
        agreementInForceToday({ sendingQuota: limit(10), receivingQuota: limit(10) }),
      ],
      env: exportingTo(receiver.url),
    });
  });
  afterAll(async () => {
    await network?.stop();
    await receiver?.close();
  });

  const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);
  const serverSpan = (service: string, name: string) =>
    receiver.spans.find((s) => s.service === service && s.kind === SERVER && s.name === name);

  it('makes one trace of a request that fans out to every city', async () => {
    const result = await network.query('0180', LIST);
    expect(result.errors).toBeUndefined();
    expect((result.data as { assignments: { edges: unknown[] } }).assignments.edges.length).toBeGreaterThan(
      0,
    );

    await receiver.waitFor(() => Boolean(serverSpan('avhoppare-gateway', 'query TracedList')));
    const root = serverSpan('avhoppare-gateway', 'query TracedList')!;
    expect(root.attributes['graphql.operation.name']).toBe('TracedList');
    expect(root.parentSpanId).toBeUndefined();

    // Every city call's server span and its batches arrive a little later.
    const calls = () =>
      inTrace(root.traceId).filter((s) => s.service === 'avhoppare-gateway' && s.kind === CLIENT);
    const cityServers = () =>
      inTrace(root.traceId).filter((s) => s.service.startsWith('avhoppare-city-') && s.kind === SERVER);
    await receiver.waitFor(() => calls().length > 0 && cityServers().length >= calls().length);
    const spans = inTrace(root.traceId);

    // One client span per city call, each naming the city, the role and the outcome.
    const clientSpans = calls();
    // Apollo Gateway's own spans (plan, execute, fetch) may sit in between.
    const descendsFromRoot = (span: ReceivedSpan): boolean => {
      const parent = spans.find((s) => s.spanId === span.parentSpanId);
      return parent === undefined ? false : parent.spanId === root.spanId || descendsFromRoot(parent);
    };
    for (const span of clientSpans) {
      expect(descendsFromRoot(span)).toBe(true);
      expect(CITIES).toContain(span.attributes.municipality);
      expect(['casework', 'execution']).toContain(span.attributes.role);
      expect(span.attributes.outcome).toBe('ok');
    }
    const called = new Set(clientSpans.map((s) => s.attributes.municipality as string));
    expect([...called].sort()).toEqual([...CITIES].sort());

    // Each city's server span is the child of the gateway span that called it.
    const servers = cityServers();
    expect(servers).toHaveLength(clientSpans.length);
    for (const server of servers) {
      const parent = clientSpans.find((c) => c.spanId === server.parentSpanId);
      expect(parent, `parent of ${server.service} ${server.name}`).toBeDefined();
      expect(server.service).toBe(`avhoppare-city-${parent!.attributes.municipality as string}`);
      expect(server.attributes.endpoint).toBe(parent!.attributes.role);
    }

    // At least one database batch span in every city called, naming the entity and batch size.
    // (A page of the list is one statement with its plans and costs; what each
    // city has not yet delivered to the other party is read in a batch.)
    const batchesOf = (code: string) =>
      spans.filter((s) => s.service === `avhoppare-city-${code}` && s.name.startsWith('load '));
    await receiver.waitFor(() => CITIES.every((code) => batchesOf(code).length > 0));
    for (const code of CITIES) {
      for (const batch of batchesOf(code)) {
        expect(typeof batch.attributes.entity).toBe('string');
        expect(batch.attributes['db.operation.batch.size']).toBeGreaterThan(0);
        expect(inTrace(root.traceId).some((s) => s.spanId === batch.parentSpanId)).toBe(true);
      }
    }
  });

  it('continues the trace in messages between cities, and exports nothing personal', async () => {
    const caseId = await openSensitiveCase(network, '0180', '1280', UNIT['0180']!);
    ok(await network.query('0180', PROPOSE, { input: { caseId, receivingMunicipality: '1280' } }));

    await receiver.waitFor(() => Boolean(serverSpan('avhoppare-gateway', 'mutation Propose')));
    const root = serverSpan('avhoppare-gateway', 'mutation Propose')!;
    const received = () =>
      inTrace(root.traceId).filter((s) => s.service === 'avhoppare-city-1280' && s.name === 'peer message');
    // Each process exports in batches of its own: wait for the sending city's span too.
    await receiver.waitFor(
      () =>
        received().length > 0 &&
        received().every((server) => inTrace(root.traceId).some((s) => s.spanId === server.parentSpanId)),
    );
    const spans = inTrace(root.traceId);
    for (const server of received()) {
      const sender = spans.find((s) => s.spanId === server.parentSpanId)!;
      expect(sender).toMatchObject({ service: 'avhoppare-city-0180', kind: CLIENT });
      expect(sender.name).toMatch(/^peer /);
      expect(sender.attributes.municipality).toBe('1280');
    }

    // Let the last batches go out, then search everything exported.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(leaksIn(receiver.bodies.join('\n'))).toEqual([]);
  });
});

describe('whether tracing is on', () => {
  it('is off without OTEL variables, and when the SDK is disabled', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_SERVICE_NAME: 'x' })).toBe(false);
    expect(
      tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }),
    ).toBe(false);
    expect(
      tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }),
    ).toBe(false);
  });
  it('is on for an OTLP exporter or endpoint', () => {
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).toBe(true);
  });
});
