// Prometheus metrics of a city, on GET /metrics: requests per endpoint
// (casework, execution, internal) by outcome, with their latency.
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function cityMetrics(municipality: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ municipality });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'city_requests_total',
    help: 'GraphQL requests by endpoint and outcome (ok, error)',
    labelNames: ['endpoint', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'city_request_seconds',
    help: 'GraphQL request latency by endpoint',
    labelNames: ['endpoint'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  const plugin = (endpoint: string): ApolloServerPlugin => ({
    requestDidStart() {
      const end = latency.startTimer({ endpoint });
      return Promise.resolve({
        willSendResponse({ response }) {
          end();
          const failed =
            response.body.kind === 'single' && Boolean(response.body.singleResult.errors?.length);
          requests.inc({ endpoint, outcome: failed ? 'error' : 'ok' });
          return Promise.resolve();
        },
      });
    },
  });

  return { registry, plugin };
}
