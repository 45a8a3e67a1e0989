// A city that hangs rather than going away (its process stopped, its port
// still accepting connections): the first call waits out the city timeout and
// opens its circuit, later ones fail fast; after the cool-down one probe at a time
// goes out, and once the city resumes it rejoins without restarting the gateway.
// Calls are counted on the gateway's /metrics, never timed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNetwork, type GraphQLResult, type TestNetwork } from '../support/network';

const SLOW = '1280';
const COOLDOWN_MS = 5000;

// Held in Malmö only: one casework call to Malmö per request. Requests named
// apart are never shared as one call (identical reads in flight are).
const one = (name = 'One') => /* GraphQL */ `
  query ${name} {
    assignment(id: "asg:1280:0180:00000000-0000-4000-8000-000000000006") {
      id
      status
    }
  }
`;
const LIST = /* GraphQL */ `
  {
    assignments(first: 50) {
      edges {
        node {
          id
          homeMunicipality
          receivingMunicipality
        }
      }
    }
  }
`;
interface ListData {
  assignments: { edges: { node: { id: string; homeMunicipality: string } }[] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a city that hangs', () => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await startTestNetwork({ cityTimeoutMs: 2000, circuitCooldownMs: COOLDOWN_MS });
  });
  afterAll(() => network?.stop());

  const metrics = async () => (await fetch(network.gatewayUrl.replace(/graphql$/, 'metrics'))).text();
  /** Calls to the slow city with this outcome, over both roles. */
  const calls = async (outcome: string) => {
    const pattern = new RegExp(
      `gateway_city_call_seconds_count\\{municipality="${SLOW}",role="\\w+",outcome="${outcome}"\\} (\\d+)`,
      'g',
    );
    return [...(await metrics()).matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
  };
  const circuitOpen = async () =>
    new RegExp(`gateway_city_circuit_open\\{municipality="${SLOW}"\\} 1`).test(await metrics());
  const unavailableError = (result: GraphQLResult) => {
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ assignment: null });
    expect(result.errors).toHaveLength(1);
    const extensions = result.errors![0]!.extensions;
    expect(extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', municipality: SLOW });
    return { error: result.errors![0]!, failedFast: extensions?.circuit === 'open' };
  };

  it('costs its timeout once, then fails fast, probes, and rejoins', async () => {
    const before = await network.query('0180', one());
    expect(before.errors).toBeUndefined();
    const fullList = await network.query<ListData>('0180', LIST);
    expect(fullList.errors).toBeUndefined();
    const timedOutBefore = await calls('unavailable');

    const pid = network.cities.get(SLOW)!.child.pid!;
    process.kill(pid, 'SIGSTOP');
    let resumed = false;
    try {
      // The first call waits out the timeout, and that opens the circuit.
      const { error, failedFast } = unavailableError(await network.query('0180', one()));
      expect(failedFast).toBe(false);
      expect(error.message).toMatch(/timed out/);
      expect(await calls('unavailable')).toBe(timedOutBefore + 1);
      expect(await circuitOpen()).toBe(true);

      // Then no call goes out: answers come at once, from the open circuit.
      for (let i = 0; i < 5; i++) {
        expect(unavailableError(await network.query('0180', one())).failedFast).toBe(true);
      }
      const during = await network.query<ListData>('0180', LIST);
      expect(during.errors!.length).toBeGreaterThan(0);
      for (const error of during.errors!) {
        expect(error.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', municipality: SLOW });
      }
      expect(during.data!.assignments.edges.map((e) => e.node.id)).toEqual(
        fullList
          .data!.assignments.edges.filter((e) => e.node.homeMunicipality !== SLOW)
          .map((e) => e.node.id),
      );
      expect(await calls('unavailable')).toBe(timedOutBefore + 1);
      // The gateway stays ready and reports the hanging city.
      const health = (await (await fetch(network.gatewayUrl.replace(/graphql$/, 'health/ready'))).json()) as {
        cities: { municipality: string; status: string }[];
      };
      expect(health.cities.find((c) => c.municipality === SLOW)?.status).toBe('unavailable');
      expect(health.cities.filter((c) => c.status === 'ok')).toHaveLength(2);

      // After the cool-down, one probe goes out (and waits out the timeout); the rest still fail fast.
      await sleep(COOLDOWN_MS + 200);
      const probing = await Promise.all(
        Array.from({ length: 4 }, (_, i) => network.query('0180', one(`Probe${i}`)).then(unavailableError)),
      );
      expect(probing.filter((p) => !p.failedFast)).toHaveLength(1);
      expect(await calls('unavailable')).toBe(timedOutBefore + 2);
      expect(await circuitOpen()).toBe(true);

      const okBefore = await calls('ok');
      process.kill(pid, 'SIGCONT');
      resumed = true;

      // Rejoins once a probe passes after the next cool-down; the gateway is never restarted.
      let after = await network.query('0180', one());
      for (let attempt = 0; attempt < 100 && after.errors; attempt++) {
        await sleep(200);
        after = await network.query('0180', one());
      }
      expect(after.errors).toBeUndefined();
      expect(after.data).toEqual(before.data);
      expect(await calls('ok')).toBeGreaterThan(okBefore);
      expect(await circuitOpen()).toBe(false);
      const list = await network.query<ListData>('0180', LIST);
      expect(list.errors).toBeUndefined();
      expect(list.data).toEqual(fullList.data);
    } finally {
      if (!resumed) process.kill(pid, 'SIGCONT');
    }
  });
});
