// Prometheus metrics of a city, on GET /metrics: requests per endpoint
// (casework, execution, internal) by outcome, with their latency; SQL
// statements sent and the database connection pool.
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface PoolState {
  total: number;
  idle: number;
  waiting: number;
}

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

  const sqlStatements = new Counter({
    name: 'city_sql_statements_total',
    help: 'SQL statements sent to the database (Prisma and raw SQL, BEGIN/COMMIT included)',
    registers: [registry],
  });
  const poolErrors = new Counter({
    name: 'city_db_pool_errors_total',
    help: 'Idle database connections that failed and were dropped from the pool',
    registers: [registry],
  });
  let poolState: () => PoolState = () => ({ total: 0, idle: 0, waiting: 0 });
  new Gauge({
    name: 'city_db_pool_connections',
    help: 'Database connections by state (total open, idle, waiting requests)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const state = poolState();
      this.set({ state: 'total' }, state.total);
      this.set({ state: 'idle' }, state.idle);
      this.set({ state: 'waiting' }, state.waiting);
    },
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

  return {
    registry,
    plugin,
    countStatement: () => sqlStatements.inc(),
    countPoolError: () => poolErrors.inc(),
    /** Where the pool gauge reads from, once the database is open. */
    watchPool(read: () => PoolState) {
      poolState = read;
    },
  };
}
