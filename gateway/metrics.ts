// Prometheus metrics of the gateway, on GET /metrics: client requests by
// operation and outcome, city calls by municipality, role and outcome with
// their latency, and each city's circuit.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ApolloServerPlugin } from '@apollo/server';

export function gatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Client GraphQL requests by operation name and outcome (ok, error)',
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
  const circuit = new Gauge({
    name: 'gateway_city_circuit_open',
    help: '1 while the circuit to a city is open or half-open, else 0',
    labelNames: ['municipality'],
    registers: [registry],
  });

  const plugin: ApolloServerPlugin = {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ operationName, response }) {
          const failed =
            response.body.kind === 'single' && Boolean(response.body.singleResult.errors?.length);
          requests.inc({ operation: operationName ?? '(anonymous)', outcome: failed ? 'error' : 'ok' });
          return Promise.resolve();
        },
      });
    },
  };

  return {
    registry,
    plugin,
    /** Records one city call; `outcome` as in the help text. */
    observeCityCall(municipality: string, role: string, outcome: string, seconds: number) {
      cityCalls.observe({ municipality, role, outcome }, seconds);
    },
    setCircuit(municipality: string, open: boolean) {
      circuit.set({ municipality }, open ? 1 : 0);
    },
  };
}

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;
