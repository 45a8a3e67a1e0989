// A city that is down costs only its own data: the others answer, the error
// names the missing municipality, and the city rejoins when it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converged, eventually } from '../support/eventually';
import { startTestNetwork, type TestNetwork } from '../support/network';

const LIST = /* GraphQL */ `
  {
    assignments(first: 50) {
      edges {
        node {
          id
          homeMunicipality
          receivingMunicipality
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

interface ListData {
  assignments: {
    edges: {
      node: {
        id: string;
        homeMunicipality: string;
        receivingMunicipality: string;
        costs: { total: { amount: string } } | null;
        pendingAtReceiving: { waitingFor: string; count: number } | null;
      };
    }[];
  };
}

describe('a city that stops answering', () => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await startTestNetwork({
      cityTimeoutMs: 2000,
      circuitCooldownMs: 500,
      // Changes for a city that is down are retried with backoff; capped low
      // here, so the one waiting for Göteborg arrives soon after it is back.
      env: { PEER_RETRY_MAX_MS: '1000' },
    });
    // Each home city holds the costs its receiving cities reported to it.
    await converged(network);
  });
  afterAll(() => network?.stop());

  it('yields the other cities’ data plus SUBGRAPH_UNAVAILABLE naming it, and recovers', async () => {
    const before = await network.query<ListData>('0180', LIST);
    expect(before.errors).toBeUndefined();
    const all = before.data!.assignments.edges.map((e) => e.node);
    expect(all.some((n) => n.homeMunicipality === '1480')).toBe(true);
    // Every change has reached the other party.
    expect(all.filter((n) => n.pendingAtReceiving !== null)).toEqual([]);

    await network.stopCity('1480');

    // The gateway stays ready and says which city is missing.
    const health: unknown = await (
      await fetch(network.gatewayUrl.replace(/graphql$/, 'health/ready'))
    ).json();
    expect(health).toEqual({
      status: 'ok',
      cities: [
        { municipality: '0180', status: 'ok' },
        { municipality: '1480', status: 'unavailable' },
        { municipality: '1280', status: 'ok' },
      ],
    });

    const during = await network.query<ListData>('0180', LIST);
    const nodes = during.data!.assignments.edges.map((e) => e.node);
    // Göteborg's own list is missing; Stockholm's and Malmö's are there.
    expect(nodes.map((n) => n.id).sort()).toEqual(
      all
        .filter((n) => n.homeMunicipality !== '1480')
        .map((n) => n.id)
        .sort(),
    );
    // Costs of an assignment Göteborg received are still answered: by the
    // home city, Stockholm, from what Göteborg reported to it before it went
    // down (the same figures as before), not null. The rest are intact too.
    const byId = new Map(all.map((n) => [n.id, n]));
    const toGothenburg = nodes.filter((n) => n.receivingMunicipality === '1480');
    expect(toGothenburg.length).toBeGreaterThan(0);
    for (const node of toGothenburg) {
      expect(node.costs).not.toBeNull();
      expect(node.costs).toEqual(byId.get(node.id)!.costs);
    }
    const toMalmo = nodes.filter((n) => n.receivingMunicipality === '1280');
    expect(toMalmo.length).toBeGreaterThan(0);
    for (const node of toMalmo) expect(node).toEqual(byId.get(node.id));

    // A change Stockholm makes meanwhile waits for Göteborg, and says so: the
    // home city's copy of the assignment, costs as reported, marked pending.
    // A children alert (rule 11) is what must never be lost.
    const alerted = toGothenburg[0]!.id;
    const raised = await network.query<{ raiseChildrenAlert: { raisedBy: string } }>(
      '0180',
      /* GraphQL */ `
        mutation Raise($id: ID!) {
          raiseChildrenAlert(assignmentId: $id) {
            raisedBy
          }
        }
      `,
      { id: alerted },
    );
    expect(raised.errors).toBeUndefined();
    expect(raised.data).toEqual({ raiseChildrenAlert: { raisedBy: '0180' } });
    const waiting = await network.query<ListData>('0180', LIST);
    const marked = waiting.data!.assignments.edges.map((e) => e.node);
    // The change made it the most recently updated.
    expect(marked[0]).toEqual({ ...byId.get(alerted), pendingAtReceiving: { waitingFor: '1480', count: 1 } });
    expect(marked.slice(1).every((n) => n.pendingAtReceiving === null)).toBe(true);

    const unavailable = during.errors!.filter((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE');
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every((e) => e.extensions?.municipality === '1480')).toBe(true);
    expect(during.errors!.every((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE')).toBe(true);

    // An assignment held only in Göteborg: null plus the attributed error.
    const single = await network.query(
      '0180',
      /* GraphQL */ `
        {
          assignment(id: "asg:1480:0180:00000000-0000-4000-8000-000000000002") {
            id
          }
        }
      `,
    );
    expect(single.data).toEqual({ assignment: null });
    expect(single.errors?.[0]?.extensions).toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      municipality: '1480',
    });

    // After a few failures the gateway stops waiting for Göteborg: its circuit is open.
    let circuit: unknown;
    for (let attempt = 0; attempt < 5 && circuit !== 'open'; attempt++) {
      const reply = await network.query('0180', LIST);
      circuit = reply.errors?.find((e) => e.extensions?.circuit)?.extensions?.circuit;
    }
    expect(circuit).toBe('open');
    const metrics = await (await fetch(network.gatewayUrl.replace(/graphql$/, 'metrics'))).text();
    expect(metrics).toMatch(/gateway_city_circuit_open\{municipality="1480"\} 1/);
    expect(metrics).toMatch(
      /gateway_city_call_seconds_count\{municipality="1480",role="casework",outcome="unavailable"\} [1-9]/,
    );

    await network.startCity('1480');

    // Göteborg rejoins without restarting the gateway, once a probe passes,
    // and the change that waited for it arrives: nothing is pending any more.
    const after = await eventually(
      () => network.query<ListData>('0180', LIST),
      (result) =>
        !result.errors && result.data!.assignments.edges.every((e) => e.node.pendingAtReceiving === null),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(after.errors).toBeUndefined();
    // The same list as before, the alerted assignment now first.
    expect(after.data!.assignments.edges.map((e) => e.node)).toEqual([
      byId.get(alerted),
      ...all.filter((n) => n.id !== alerted),
    ]);
  });
});
