// A city killed under sustained traffic and started again: every response
// stays a GraphQL 200, the only errors while it is down name that city, the
// other cities keep answering, and it rejoins without restarting the gateway.
// PGlite only: this is about the gateway's handling of a city process, not
// about the database behind it, and one more network would double the run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converged } from '../support/eventually';
import { startTestNetwork, type GraphQLResult, type TestNetwork } from '../support/network';

const KILLED = '1480';
const PHASE_MS = 3000;
const LOOPS = 8;

const LIST = /* GraphQL */ `
  query List {
    assignments(first: 50) {
      edges {
        node {
          id
          homeMunicipality
          receivingMunicipality
          status
          planSummary {
            version
          }
          costs {
            total {
              amount
            }
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`;
const ONE = /* GraphQL */ `
  query One($id: ID!) {
    assignment(id: $id) {
      id
      status
      planSummary {
        version
      }
      costs {
        total {
          amount
        }
      }
    }
  }
`;

interface ListNode {
  id: string;
  homeMunicipality: string;
  receivingMunicipality: string;
  costs: { total: { amount: string } } | null;
}
interface ListData {
  assignments: { edges: { node: ListNode }[] };
}

/** The traffic: the three-city list, and single assignments that do or do not involve the killed city. */
const REQUESTS = [
  { kind: 'list', municipality: '0180', query: LIST, variables: {} },
  { kind: 'list', municipality: '1280', query: LIST, variables: {} },
  // Held in Stockholm, costs in Malmö: never touches Göteborg.
  {
    kind: 'elsewhere',
    municipality: '0180',
    query: ONE,
    variables: { id: 'asg:0180:1280:00000000-0000-4000-8000-000000000001' },
  },
  // Held in Göteborg.
  {
    kind: 'killed',
    municipality: '0180',
    query: ONE,
    variables: { id: 'asg:1480:0180:00000000-0000-4000-8000-000000000002' },
  },
] as const;
type Kind = (typeof REQUESTS)[number]['kind'];

interface Sample {
  kind: Kind;
  municipality: string;
  startedAt: number;
  endedAt: number;
  result: GraphQLResult;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a city killed under load', () => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await startTestNetwork({ cityTimeoutMs: 3000, circuitCooldownMs: 300 });
    // The baseline is taken once each home city holds the costs its receiving cities reported.
    await converged(network);
  });
  afterAll(() => network?.stop());

  const metrics = async () => (await fetch(network.gatewayUrl.replace(/graphql$/, 'metrics'))).text();
  const circuitGauge = (text: string) =>
    new RegExp(`gateway_city_circuit_open\\{municipality="${KILLED}"\\} (\\d)`).exec(text)?.[1];

  it('costs only that city’s data while it is down, and it rejoins', async () => {
    const gatewayPid = network.gateway.child.pid;
    // Full answers before the load, to compare with.
    const baseline = new Map<string, GraphQLResult>();
    for (const request of REQUESTS) {
      const result = await network.query(request.municipality, request.query, request.variables);
      expect(result.errors).toBeUndefined();
      baseline.set(`${request.kind}:${request.municipality}`, result);
    }
    const stockholm = (baseline.get('list:0180')!.data as unknown as ListData).assignments.edges;
    expect(stockholm.some((e) => e.node.homeMunicipality === KILLED)).toBe(true);

    const samples: Sample[] = [];
    let running = true;
    const loop = async (offset: number) => {
      for (let i = offset; running; i++) {
        const request = REQUESTS[i % REQUESTS.length]!;
        const startedAt = performance.now();
        const result = await network.query(request.municipality, request.query, request.variables);
        samples.push({
          kind: request.kind,
          municipality: request.municipality,
          startedAt,
          endedAt: performance.now(),
          result,
        });
      }
    };
    const loops = Array.from({ length: LOOPS }, (_, i) => loop(i));

    let circuitOpenSeen = false;
    let killAt = 0;
    let downFrom = 0;
    let restartAt = 0;
    let rejoinedAt = 0;
    try {
      await sleep(PHASE_MS);
      killAt = performance.now();
      await network.stopCity(KILLED);
      downFrom = performance.now();
      // The circuit opens while the load goes on.
      for (let i = 0; i < 50 && !circuitOpenSeen; i++) {
        circuitOpenSeen = circuitGauge(await metrics()) === '1';
        if (!circuitOpenSeen) await sleep(100);
      }
      await sleep(PHASE_MS);
      restartAt = performance.now();
      await network.startCity(KILLED);
      // Rejoined once a full answer comes back from the running gateway.
      for (let i = 0; i < 100 && !rejoinedAt; i++) {
        const probe = await network.query('0180', LIST);
        if (!probe.errors) rejoinedAt = performance.now();
        else await sleep(100);
      }
      await sleep(PHASE_MS);
    } finally {
      running = false;
      await Promise.all(loops);
    }
    expect(circuitOpenSeen).toBe(true);
    expect(rejoinedAt).toBeGreaterThan(0);
    expect(circuitGauge(await metrics())).toBe('0');
    // The same gateway process throughout.
    expect(network.gateway.child.pid).toBe(gatewayPid);
    expect(network.gateway.child.exitCode).toBeNull();

    // Every response is a GraphQL response with status 200.
    for (const { result } of samples) {
      expect(result.status).toBe(200);
      expect(result.data).toBeDefined();
    }

    const before = samples.filter((s) => s.endedAt < killAt);
    const down = samples.filter((s) => s.startedAt > downFrom && s.endedAt < restartAt);
    const after = samples.filter((s) => s.startedAt > rejoinedAt);
    // Anything around the kill and the restart, where either answer is right.
    const between = samples.filter((s) => !before.includes(s) && !down.includes(s) && !after.includes(s));
    for (const phase of [before, down, after]) {
      for (const kind of ['list', 'elsewhere', 'killed'] as const) {
        expect(phase.filter((s) => s.kind === kind).length).toBeGreaterThan(0);
      }
    }

    // Before the kill and after the rejoin: the full answers, no errors.
    for (const sample of [...before, ...after]) {
      expect(sample.result.errors, JSON.stringify(sample.result.errors)).toBeUndefined();
      expect(sample.result.data).toEqual(baseline.get(`${sample.kind}:${sample.municipality}`)!.data);
    }

    // While it is down or going down: only SUBGRAPH_UNAVAILABLE naming it, for queries that touch it.
    for (const sample of [...down, ...between]) {
      for (const error of sample.result.errors ?? []) {
        expect(error.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', municipality: KILLED });
      }
      if (sample.kind === 'elsewhere') expect(sample.result.errors).toBeUndefined();
    }

    // While it is down: the other cities' data in every answer.
    for (const sample of down) {
      const full = baseline.get(`${sample.kind}:${sample.municipality}`)!.data;
      if (sample.kind === 'elsewhere') {
        expect(sample.result.data).toEqual(full);
        continue;
      }
      expect(sample.result.errors?.length).toBeGreaterThan(0);
      if (sample.kind === 'killed') {
        expect(sample.result.data).toEqual({ assignment: null });
        continue;
      }
      const nodes = (sample.result.data as unknown as ListData).assignments.edges.map((e) => e.node);
      const expected = (full as unknown as ListData).assignments.edges
        .map((e) => e.node)
        // Costs of assignments the killed city received stay: the home city
        // answers them from what the killed city reported to it.
        .filter((n) => n.homeMunicipality !== KILLED);
      expect(expected.some((n) => n.receivingMunicipality === KILLED && n.costs !== null)).toBe(true);
      expect(nodes).toEqual(expected);
    }
  });
});
