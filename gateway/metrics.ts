// Prometheus metrics of the gateway, on GET /metrics: client requests by
// operation and outcome, city calls by municipality, role and outcome with
// their latency, and each city's circuit. Every label comes from a bounded
// set: an operation name is a label only when the gateway knows it (a
// trusted document's, or configured); any other name a client sends is
// counted as `other`, so clients cannot grow the metrics.
import { Kind, parse, type DocumentNode } from 'graphql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ApolloServerPlugin } from '@apollo/server';
import type { CityCallOutcome } from './routing/cityCalls';

export interface GatewayMetricsOptions {
  /** Operation names counted by name; every other name is `other`. @default none */
  knownOperations?: Iterable<string>;
}

/** The label an operation name is counted under. */
export function operationLabel(known: ReadonlySet<string>, name: string | null | undefined): string {
  if (!name) return '(anonymous)';
  return known.has(name) ? name : 'other';
}

/** The operation names of a set of documents (a trusted-documents manifest's texts). */
export function operationNames(documents: Iterable<string>): string[] {
  const names: string[] = [];
  for (const text of documents) {
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch {
      continue;
    }
    for (const definition of document.definitions)
      if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.push(definition.name.value);
  }
  return names;
}

export function gatewayMetrics(options: GatewayMetricsOptions = {}) {
  const known = new Set(options.knownOperations ?? []);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Client GraphQL requests by operation name (known names only, others as other) and outcome (ok, error)',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const cityCalls = new Histogram({
    name: 'gateway_city_call_seconds',
    help:
      'Calls to a city role endpoint by municipality, role and outcome (ok, graphql_error, unavailable; ' +
      'circuit_open and failed_fast are answered at once without a call)',
    labelNames: ['municipality', 'role', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const singleFetches = new Counter({
    name: 'gateway_single_fetch_answers_total',
    help:
      'Operations one role answers whole, sent by the gateway itself: answered (returned as the role gave it) ' +
      'or shaped (errors or an unexpected shape, handed to Apollo with the answer)',
    labelNames: ['role', 'outcome'],
    registers: [registry],
  });
  const circuit = new Gauge({
    name: 'gateway_city_circuit_open',
    help: '1 while the circuit to a city is open or half-open, else 0',
    labelNames: ['municipality'],
    registers: [registry],
  });

  const countRequest = (operationName: string | null | undefined, failed: boolean) =>
    requests.inc({ operation: operationLabel(known, operationName), outcome: failed ? 'error' : 'ok' });

  const plugin: ApolloServerPlugin = {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ operationName, response }) {
          countRequest(
            operationName,
            response.body.kind === 'single' && Boolean(response.body.singleResult.errors?.length),
          );
          return Promise.resolve();
        },
      });
    },
  };

  return {
    plugin,
    registry,
    /** Counts one client request Apollo did not answer (one the gateway sent to a role itself). */
    countRequest,
    countSingleFetch(role: string, outcome: 'answered' | 'shaped') {
      singleFetches.inc({ role, outcome });
    },
    /** Records one city call; `outcome` as in the help text. */
    observeCityCall(municipality: string, role: string, outcome: CityCallOutcome, seconds: number) {
      cityCalls.observe({ municipality, role, outcome }, seconds);
    },
    setCircuit(municipality: string, open: boolean) {
      circuit.set({ municipality }, open ? 1 : 0);
    },
  };
}

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;
