// The three-city network through the gateway, as a client sees it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converged } from '../support/eventually';
import { databaseKinds, startTestNetwork, type TestNetwork } from '../support/network';

const kinds = await databaseKinds();

const LIST = /* GraphQL */ `
  query List($first: Int, $after: String, $filter: AssignmentFilter) {
    assignments(first: $first, after: $after, filter: $filter) {
      edges {
        cursor
        node {
          id
          homeMunicipality
          receivingMunicipality
          status
          updatedAt
          planSummary {
            version
            items {
              id
              category
              estimatedCost {
                amount
                currency
              }
            }
          }
          costs {
            total {
              amount
              currency
            }
            entries {
              planItemId
              amount {
                amount
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

interface Node {
  id: string;
  homeMunicipality: string;
  receivingMunicipality: string;
  status: string;
  updatedAt: string;
  planSummary: { version: number; items: { id: string; category: string }[] } | null;
  costs: {
    total: { amount: string; currency: string };
    entries: { planItemId: string; amount: { amount: string } }[];
  } | null;
}
interface ListData {
  assignments: {
    edges: { cursor: string; node: Node }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const nodes = (data: ListData | null | undefined) => data!.assignments.edges.map((e) => e.node);

describe.each(kinds)('three cities behind the gateway (%s)', (kind) => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await startTestNetwork({ database: kind });
    // The home cities hold the costs the receiving cities reported once the
    // messages between them are delivered; the list reads them there.
    await converged(network);
  });
  afterAll(() => network?.stop());

  it('lists only the assignments a municipality is party to, newest first, across cities', async () => {
    for (const municipality of ['0180', '1480', '1280']) {
      const result = await network.query<ListData>(municipality, LIST, { first: 50 });
      expect(result.errors).toBeUndefined();
      const list = nodes(result.data);
      expect(list.length).toBeGreaterThan(0);
      for (const node of list) {
        expect([node.homeMunicipality, node.receivingMunicipality]).toContain(municipality);
      }
      const times = list.map((n) => n.updatedAt);
      expect(times).toEqual([...times].sort().reverse());
    }
    const stockholm = nodes((await network.query<ListData>('0180', LIST, { first: 50 })).data);
    // Sent by 0180 (three) and received by 0180 (three), held in three different cities.
    expect(stockholm.map((n) => n.id).sort()).toEqual(
      [
        'asg:0180:1280:00000000-0000-4000-8000-000000000001',
        'asg:0180:1280:00000000-0000-4000-8000-000000000007',
        'asg:0180:1480:00000000-0000-4000-8000-000000000004',
        'asg:1280:0180:00000000-0000-4000-8000-000000000006',
        'asg:1480:0180:00000000-0000-4000-8000-000000000002',
        'asg:1480:0180:00000000-0000-4000-8000-000000000008',
      ].sort(),
    );
  });

  it('takes the plan from the home city and the costs the receiving city reported to it', async () => {
    const list = nodes((await network.query<ListData>('0180', LIST, { first: 50 })).data);
    const toMalmo = list.find((n) => n.id === 'asg:0180:1280:00000000-0000-4000-8000-000000000001')!;
    expect(toMalmo.planSummary?.items.map((i) => i.category)).toEqual([
      'CRISIS_SUPPORT',
      'MOTIVATIONAL_TALKS',
      'WORK_ORIENTED',
    ]);
    // 9200.00 + 2000.00 + 12500.00 + 13000.50, recorded in Malmö's database and reported to Stockholm.
    expect(toMalmo.costs?.total).toEqual({ amount: '36700.50', currency: 'SEK' });
    const planItems = new Set(toMalmo.planSummary!.items.map((i) => i.id));
    for (const entry of toMalmo.costs!.entries) expect(planItems).toContain(entry.planItemId);
  });

  it('shows the same totals to both parties', async () => {
    const id = 'asg:1480:0180:00000000-0000-4000-8000-000000000002';
    const QUERY = /* GraphQL */ `
      query One($id: ID!) {
        assignment(id: $id) {
          id
          status
          costs {
            total {
              amount
              currency
            }
          }
          planSummary {
            version
          }
        }
      }
    `;
    const home = await network.query('1480', QUERY, { id });
    const receiving = await network.query('0180', QUERY, { id });
    expect(home.errors).toBeUndefined();
    expect(home.data).toEqual(receiving.data);
    expect(home.data).toMatchObject({
      assignment: {
        status: 'ACTIVE',
        costs: { total: { amount: '35100.50', currency: 'SEK' } },
        planSummary: { version: 2 },
      },
    });
  });

  it('answers null to a municipality that is not party to the assignment', async () => {
    const QUERY = /* GraphQL */ `
      query One($id: ID!) {
        assignment(id: $id) {
          id
          status
          costs {
            total {
              amount
            }
          }
        }
      }
    `;
    const id = 'asg:0180:1280:00000000-0000-4000-8000-000000000001';
    const outsider = await network.query('1480', QUERY, { id });
    expect(outsider.errors).toBeUndefined();
    expect(outsider.data).toEqual({ assignment: null });
    const party = await network.query('1280', QUERY, { id });
    expect(party.data).toMatchObject({ assignment: { id } });
  });

  it('pages through all cities with keyset cursors, without gaps or repeats', async () => {
    const all = nodes((await network.query<ListData>('0180', LIST, { first: 100 })).data).map((n) => n.id);
    const walked: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: Awaited<ReturnType<typeof network.query<ListData>>> = await network.query<ListData>(
        '0180',
        LIST,
        {
          first: 2,
          after,
        },
      );
      expect(result.errors).toBeUndefined();
      const { edges, pageInfo } = result.data!.assignments;
      walked.push(...edges.map((e) => e.node.id));
      if (!pageInfo.hasNextPage) break;
      expect(pageInfo.endCursor).toBe(edges.at(-1)!.cursor);
      after = pageInfo.endCursor;
    }
    expect(walked).toEqual(all);
  });

  it('filters by status, home and receiving municipality', async () => {
    const byStatus = nodes(
      (await network.query<ListData>('0180', LIST, { first: 50, filter: { status: ['ACTIVE'] } })).data,
    );
    expect(byStatus.map((n) => n.status)).toEqual(['ACTIVE', 'ACTIVE']);
    const sentByGothenburg = nodes(
      (await network.query<ListData>('0180', LIST, { first: 50, filter: { homeMunicipality: '1480' } })).data,
    );
    expect(sentByGothenburg.length).toBe(2);
    expect(
      sentByGothenburg.every((n) => n.homeMunicipality === '1480' && n.receivingMunicipality === '0180'),
    ).toBe(true);
    const sentToMalmo = nodes(
      (await network.query<ListData>('0180', LIST, { first: 50, filter: { receivingMunicipality: '1280' } }))
        .data,
    );
    expect(sentToMalmo.map((n) => n.id).sort()).toEqual([
      'asg:0180:1280:00000000-0000-4000-8000-000000000001',
      'asg:0180:1280:00000000-0000-4000-8000-000000000007',
    ]);
  });

  it('lists the municipalities of the network', async () => {
    const result = await network.query(
      '1280',
      /* GraphQL */ `
        {
          municipalities {
            code
            name
          }
        }
      `,
    );
    expect(result.data).toEqual({
      municipalities: [
        { code: '0180', name: 'Stockholm' },
        { code: '1480', name: 'Göteborg' },
        { code: '1280', name: 'Malmö' },
      ],
    });
  });

  it('refuses requests without a valid token', async () => {
    const response = await fetch(network.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ municipalities { code } }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses direct calls to a city role endpoint without the gateway signature', async () => {
    const city = network.cities.get('1280')!;
    for (const role of ['casework', 'execution']) {
      const response = await fetch(`${city.url}/${role}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await network.token('1280')}`,
        },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('exposes Prometheus metrics on every process', async () => {
    await network.query('0180', LIST, { first: 5 });
    // Costs ride with the home city's rows now; the receiving city's answer
    // is still asked of its execution role, Malmö's among them.
    const responses = await network.query<{
      assignments: { edges: { node: { receivingMunicipality: string; response: unknown } }[] };
    }>(
      '0180',
      /* GraphQL */ `
        query Responses {
          assignments(first: 50) {
            edges {
              node {
                receivingMunicipality
                response {
                  decision
                }
              }
            }
          }
        }
      `,
    );
    expect(responses.errors).toBeUndefined();
    expect(
      responses.data!.assignments.edges.some(
        (e) => e.node.receivingMunicipality === '1280' && e.node.response !== null,
      ),
    ).toBe(true);
    const gateway = await (await fetch(network.gatewayUrl.replace(/graphql$/, 'metrics'))).text();
    expect(gateway).toMatch(/gateway_requests_total\{operation="other",outcome="ok"\} [1-9]/);
    expect(gateway).toMatch(
      /gateway_city_call_seconds_count\{municipality="1280",role="execution",outcome="ok"\} [1-9]/,
    );
    for (const city of network.cities.values()) {
      const text = await (await fetch(`${city.url}/metrics`)).text();
      expect(text).toMatch(
        /city_requests_total\{endpoint="casework",outcome="ok",municipality="\d{4}"\} [1-9]/,
      );
    }
  });

  it("keeps the cities' counterpart lookup away from clients", async () => {
    const hidden = await network.query('0180', '{ assignmentCounterparts }');
    expect(hidden.data ?? null).toBeNull();
    expect(hidden.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('counts the SQL statements and the connection pool of every city', async () => {
    for (const city of network.cities.values()) {
      const text = await (await fetch(`${city.url}/metrics`)).text();
      expect(text).toMatch(/city_sql_statements_total\{municipality="\d{4}"\} [1-9]/);
      expect(text).toMatch(/city_db_pool_connections\{state="total",municipality="\d{4}"\} \d+$/m);
    }
  });

  it('gives bad input a BAD_USER_INPUT error', async () => {
    const tooMany = await network.query('0180', LIST, { first: 1000 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badCursor = await network.query('0180', LIST, { first: 5, after: 'not-a-cursor' });
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
