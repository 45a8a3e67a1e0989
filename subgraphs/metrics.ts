// Prometheus metrics of a city, on GET /metrics: requests per endpoint
// (casework, execution, internal) by outcome, with their latency; SQL
// statements sent and the database connection pool.
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';
import type { ComparisonObserved } from './peer/consistency';

export interface PoolState {
  total: number;
  idle: number;
  waiting: number;
}

export type CityMetrics = ReturnType<typeof cityMetrics>;

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

  // Messages between cities: what waits, how fast it arrives, what was refused.
  let outboxState: () => Promise<{ recipient: string; pending: number }[]> = () => Promise.resolve([]);
  new Gauge({
    name: 'city_outbox_pending',
    help: 'Changes written for another city that it has not yet acknowledged, by recipient',
    labelNames: ['recipient'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { recipient, pending } of await outboxState()) this.set({ recipient }, pending);
    },
  });
  const delivered = new Counter({
    name: 'city_outbox_delivered_total',
    help: 'Changes another city acknowledged, by recipient and outcome (applied, refused by its rules)',
    labelNames: ['recipient', 'outcome'],
    registers: [registry],
  });
  const deliverySeconds = new Summary({
    name: 'city_outbox_delivery_seconds',
    help: 'Time from a change being committed to the other city acknowledging it (applied), sliding ten minutes',
    labelNames: ['recipient'],
    percentiles: [0.5, 0.9, 0.99],
    maxAgeSeconds: 600,
    ageBuckets: 5,
    registers: [registry],
  });
  // Beside the summary: buckets add up across cities and over any window, so a reader
  // can take the quantiles of one stretch of time (the bench leaves out its warm-up).
  const deliveryDuration = new Histogram({
    name: 'city_outbox_delivery_duration_seconds',
    help: 'Time from a change being committed to the other city acknowledging it (applied), since start',
    labelNames: ['recipient'],
    buckets: [0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 5, 30, 300],
    registers: [registry],
  });
  const received = new Counter({
    name: 'city_peer_messages_total',
    help: 'Messages from other cities by kind and outcome (applied, refused, deferred, replayed, malformed, unauthenticated, read, over-budget)',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const differences = new Gauge({
    name: 'city_consistency_differences',
    help: 'Shared assignments whose digests differed, each digest bucket as last compared, by counterparty',
    labelNames: ['counterparty'],
    registers: [registry],
  });
  const differencesFound = new Counter({
    name: 'city_consistency_differences_total',
    help: 'Differences found by the consistency checks, by counterparty',
    labelNames: ['counterparty'],
    registers: [registry],
  });
  const repairs = new Counter({
    name: 'city_consistency_repairs_total',
    help: 'State messages sent to repair a difference, by counterparty',
    labelNames: ['counterparty'],
    registers: [registry],
  });
  let overdueState: () => Promise<number> = () => Promise.resolve(0);
  new Gauge({
    name: 'city_overdue_proposals',
    help: 'Proposals to this city still unanswered after their deadline',
    registers: [registry],
    async collect() {
      this.set(await overdueState());
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
    watchOutbox(read: typeof outboxState) {
      outboxState = read;
    },
    watchOverdue(read: typeof overdueState) {
      overdueState = read;
    },
    messageDelivered: (outcome: 'applied' | 'refused', recipient: string, seconds: number) => {
      delivered.inc({ recipient, outcome });
      if (outcome !== 'applied') return;
      deliverySeconds.observe({ recipient }, seconds);
      deliveryDuration.observe({ recipient }, seconds);
    },
    messageReceived: (kind: string, outcome: string) => {
      received.inc({ kind, outcome });
    },
    compared: (counterparty: string, { found, standing, repaired }: ComparisonObserved) => {
      differences.set({ counterparty }, standing);
      differencesFound.inc({ counterparty }, found);
      repairs.inc({ counterparty }, repaired);
    },
  };
}
