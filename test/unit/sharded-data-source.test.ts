// The sharded data source routes each subgraph fetch of a role to the cities
// that own the data. The cities here are in-memory: each executes the real
// role SDL over a few assignments, behind a fake client that records calls.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, GraphQLError, parse, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { PrincipalHeaders } from '../../gateway/auth/forwardPrincipal';
import type { GatewayContext } from '../../gateway/context';
import {
  CityUnavailableError,
  type CityClient,
  type SubgraphRequest,
  type SubgraphResponse,
} from '../../gateway/routing/cityClient';
import { rememberedCounterparts } from '../../gateway/routing/counterparts';
import { ROUTING, type RoleName } from '../../gateway/routing/routes';
import { ShardedDataSource } from '../../gateway/routing/shardedDataSource';
import { subgraphSdl } from '../../schema/files';
import { compareKeys, decodeCursor, encodeCursor } from '../../schema/contract/cursor';
import { formatId } from '../../schema/contract/ids';

const STOCKHOLM = '0180';
const GOTEBORG = '1480';
const MALMO = '1280';
const CITIES = [STOCKHOLM, GOTEBORG, MALMO];

const endpoint = (role: RoleName, city: string) => `http://city-${city}.test/${role}/graphql`;
const cityOf = (url: string) => /city-(\d{4})/.exec(url)![1]!;

// ---------------------------------------------------------------------------
// The network's assignments; each city holds casework for those it sent and
// execution for those it received.

interface AssignmentRow {
  id: string;
  homeMunicipality: string;
  receivingMunicipality: string;
  status: string;
  proposedAt: string;
  updatedAt: string;
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const row = (home: string, receiving: string, n: number, updatedAt: string): AssignmentRow => ({
  id: formatId('asg', home, receiving, uuid(n)),
  homeMunicipality: home,
  receivingMunicipality: receiving,
  status: 'ACTIVE',
  proposedAt: '2023-11-01T09:00:00.000Z',
  updatedAt,
});

const A1 = row(STOCKHOLM, GOTEBORG, 1, '2024-03-05T10:00:00.000Z');
const A2 = row(GOTEBORG, STOCKHOLM, 2, '2024-03-04T10:00:00.000Z');
const A3 = row(MALMO, STOCKHOLM, 3, '2024-03-06T10:00:00.000Z');
const A4 = row(STOCKHOLM, MALMO, 4, '2024-03-01T10:00:00.000Z');
const A5 = row(GOTEBORG, MALMO, 5, '2024-03-05T10:00:00.000Z');
const A6 = row(MALMO, GOTEBORG, 6, '2024-02-10T10:00:00.000Z');
const ALL = [A1, A2, A3, A4, A5, A6];
/** Newest first, ties by larger id: what one database holding everything would list. */
const GLOBAL_ORDER = [A3, A5, A1, A2, A4, A6].map((a) => a.id);

/** Total costs the receiving city booked, unique per assignment so misplacements show. */
const costTotal = (a: AssignmentRow) => `${ALL.indexOf(a) + 1}000.00`;
/** The receiving city refuses to show these costs. */
const refusedCosts = new Set([A5.id]);

/** What a city answers for `assignmentCounterparts`: a list, or an error it throws. */
type CounterpartsAnswer = string[] | Error;

function caseworkCity(city: string, counterparts: () => CounterpartsAnswer | undefined): GraphQLSchema {
  const own = ALL.filter((a) => a.homeMunicipality === city);
  const senders = [
    ...new Set(ALL.filter((a) => a.receivingMunicipality === city).map((a) => a.homeMunicipality)),
  ];
  const resolvers = {
    Query: {
      assignmentCounterparts: () => {
        const answer = counterparts() ?? senders;
        if (answer instanceof Error) throw answer;
        return answer;
      },
      assignments: (
        _: unknown,
        args: {
          first: number;
          after?: string | null;
          filter?: { homeMunicipality?: string; receivingMunicipality?: string } | null;
        },
      ) => {
        const after = args.after ? decodeCursor(args.after) : null;
        const rows = own
          .filter(
            (a) =>
              !args.filter?.receivingMunicipality ||
              a.receivingMunicipality === args.filter.receivingMunicipality,
          )
          .filter((a) => !after || compareKeys(a, after) > 0)
          .sort(compareKeys);
        const page = rows.slice(0, args.first);
        const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
        return {
          edges,
          pageInfo: { hasNextPage: rows.length > args.first, endCursor: edges.at(-1)?.cursor ?? null },
        };
      },
      assignment: (_: unknown, { id }: { id: string }) => own.find((a) => a.id === id) ?? null,
    },
    Assignment: {
      __resolveReference: ({ id }: { id: string }) => own.find((a) => a.id === id) ?? null,
      planSummary: (a: AssignmentRow) => {
        if (a === A5) throw new GraphQLError('Plan is being revised', { extensions: { code: 'CONFLICT' } });
        return null;
      },
    },
  };
  return buildSubgraphSchema({ typeDefs: parse(subgraphSdl('casework')), resolvers });
}

function executionCity(city: string): GraphQLSchema {
  const received = ALL.filter((a) => a.receivingMunicipality === city);
  const resolvers = {
    Query: {
      interventionOffer: () => [
        {
          category: 'CRISIS_SUPPORT',
          name: `Jourteam ${city}`,
          unitPrice: { amount: '950.00', currency: 'SEK' },
          priceUnit: 'PER_HOUR',
        },
      ],
    },
    Assignment: {
      __resolveReference: ({ id }: { id: string }) => received.find((a) => a.id === id) ?? null,
      costs: (a: AssignmentRow) => {
        if (refusedCosts.has(a.id))
          throw new GraphQLError('Costs are under reconciliation', {
            extensions: {
              code: 'FORBIDDEN',
              ...(city === MALMO ? { municipality: 'reconciliation-board' } : {}),
            },
          });
        return { total: { amount: costTotal(a), currency: 'SEK' }, entries: [] };
      },
    },
  };
  return buildSubgraphSchema({ typeDefs: parse(subgraphSdl('execution')), resolvers });
}

// ---------------------------------------------------------------------------
// The fake client: records every call and lets a city be "down".

interface Call {
  city: string;
  url: string;
  body: SubgraphRequest;
  headers: Record<string, string>;
}

class FakeCities {
  readonly calls: Call[] = [];
  /** Overrides what a casework city says its counterparts are. */
  readonly counterparts = new Map<string, CounterpartsAnswer>();
  private readonly schemas = new Map<string, GraphQLSchema>();
  private readonly down = new Map<string, Error>();
  private readonly held = new Map<string, Promise<void>>();

  constructor(role: RoleName) {
    for (const city of CITIES) {
      this.schemas.set(
        endpoint(role, city),
        role === 'casework' ? caseworkCity(city, () => this.counterparts.get(city)) : executionCity(city),
      );
    }
  }

  /** The city takes calls but answers none until released. */
  hold(city: string): () => void {
    let release!: () => void;
    this.held.set(city, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.held.delete(city);
      release();
    };
  }

  fail(city: string, error: Error): this {
    this.down.set(city, error);
    return this;
  }

  callsTo(city: string): Call[] {
    return this.calls.filter((c) => c.city === city);
  }

  async send(url: string, body: SubgraphRequest, headers: Record<string, string>): Promise<SubgraphResponse> {
    const city = cityOf(url);
    this.calls.push({ city, url, body, headers });
    const failure = this.down.get(city);
    if (failure) throw failure;
    await this.held.get(city);
    const result = await graphql({
      schema: this.schemas.get(url)!,
      source: body.query,
      variableValues: body.variables,
      operationName: body.operationName ?? undefined,
    });
    // What the city would put on the wire.
    return JSON.parse(JSON.stringify(result)) as SubgraphResponse;
  }
}

const noHeaders: PrincipalHeaders = () => Promise.resolve({});

function dataSource(role: RoleName, cities: FakeCities, principalHeaders: PrincipalHeaders = noHeaders) {
  return new ShardedDataSource({
    role,
    routing: ROUTING[role],
    endpoints: new Map(CITIES.map((city) => [city, endpoint(role, city)])),
    client: cities as unknown as CityClient,
    principalHeaders,
  });
}

function incoming(query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const context: GatewayContext = {
    principal: { municipality: STOCKHOLM, unit: null, subject: 's', permissions: ['caseworker'] },
    traceId: '0af7651916cd43dd8448eb211c80319c',
  };
  return {
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION as const,
    request: { query, variables, operationName },
    context,
    incomingRequestContext: {} as never,
  };
}

/** Locations depend on the layout of the query text; the tests look at paths. */
const withoutLocations = (errors: readonly GraphQLFormattedError[] | undefined) =>
  errors?.map(({ locations: _locations, ...rest }) => rest);

const representation = (a: AssignmentRow) => ({ __typename: 'Assignment', id: a.id });
const idsIn = (representations: unknown) => (representations as { id: string }[]).map((r) => r.id);

// ---------------------------------------------------------------------------

describe('entity fetches', () => {
  const COSTS = /* GraphQL */ `
    query Costs__execution__1($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Assignment {
          costs {
            total {
              amount
            }
          }
        }
      }
    }
  `;
  const costs = (a: AssignmentRow) => ({ costs: { total: { amount: costTotal(a) } } });
  // Receiving cities: A1 Göteborg, A2 Stockholm, A3 Stockholm, A4 Malmö, A6 Göteborg.
  const batch = [A1, A2, A3, A4, A6];

  it('asks each owning city once, with only its own representations, and answers in the planner order', async () => {
    const cities = new FakeCities('execution');

    const response = await dataSource('execution', cities).process(
      incoming(COSTS, { representations: batch.map(representation) }, 'Costs__execution__1'),
    );

    expect(response).toEqual({
      data: { _entities: [costs(A1), costs(A2), costs(A3), costs(A4), costs(A6)] },
    });
    expect(cities.calls).toHaveLength(3);
    expect(idsIn(cities.callsTo(GOTEBORG)[0]!.body.variables!.representations)).toEqual([A1.id, A6.id]);
    expect(idsIn(cities.callsTo(STOCKHOLM)[0]!.body.variables!.representations)).toEqual([A2.id, A3.id]);
    expect(idsIn(cities.callsTo(MALMO)[0]!.body.variables!.representations)).toEqual([A4.id]);
    for (const call of cities.calls) {
      expect(call.url).toBe(endpoint('execution', call.city));
      expect(call.body.query).toBe(COSTS);
      expect(call.body.operationName).toBe('Costs__execution__1');
    }
  });

  it('sends casework entities to the home city', async () => {
    const cities = new FakeCities('casework');
    const query = /* GraphQL */ `
      query Status__casework__2($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Assignment {
            status
            homeMunicipality
          }
        }
      }
    `;

    const response = await dataSource('casework', cities).process(
      incoming(query, { representations: [A1, A2, A4].map(representation) }),
    );

    expect(response).toEqual({
      data: {
        _entities: [
          { status: 'ACTIVE', homeMunicipality: STOCKHOLM },
          { status: 'ACTIVE', homeMunicipality: GOTEBORG },
          { status: 'ACTIVE', homeMunicipality: STOCKHOLM },
        ],
      },
    });
    expect(cities.calls.map((c) => [c.city, idsIn(c.body.variables!.representations)])).toEqual([
      [STOCKHOLM, [A1.id, A4.id]],
      [GOTEBORG, [A2.id]],
    ]);
  });

  it('forwards the caller principal to each city, addressed to that city', async () => {
    const cities = new FakeCities('execution');
    const headers: PrincipalHeaders = (context, city) =>
      Promise.resolve({ 'x-gateway-principal': `${context.principal.municipality}->${city}` });

    await dataSource('execution', cities, headers).process(
      incoming(COSTS, { representations: batch.map(representation) }),
    );

    expect(Object.fromEntries(cities.calls.map((c) => [c.city, c.headers]))).toEqual({
      [GOTEBORG]: { 'x-gateway-principal': '0180->1480' },
      [STOCKHOLM]: { 'x-gateway-principal': '0180->0180' },
      [MALMO]: { 'x-gateway-principal': '0180->1280' },
    });
  });

  it('answers null, and asks nobody, for representations no city in the network owns', async () => {
    const cities = new FakeCities('execution');
    const foreign = { __typename: 'Assignment', id: formatId('asg', STOCKHOLM, '0580', uuid(99)) };

    const response = await dataSource('execution', cities).process(
      incoming(COSTS, {
        representations: [foreign, { __typename: 'Assignment', id: 'nonsense' }, representation(A4)],
      }),
    );

    expect(response).toEqual({ data: { _entities: [null, null, costs(A4)] } });
    expect(cities.calls.map((c) => c.city)).toEqual([MALMO]);
  });

  it('answers null with an attributed unavailability error for each entity of a city that is down', async () => {
    const cities = new FakeCities('execution').fail(GOTEBORG, new CityUnavailableError('timed out'));

    const response = await dataSource('execution', cities).process(
      incoming(COSTS, { representations: batch.map(representation) }),
    );

    expect(response.data).toEqual({ _entities: [null, costs(A2), costs(A3), costs(A4), null] });
    const unavailable = {
      message: 'Municipality 1480 is unavailable: timed out',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', municipality: GOTEBORG },
    };
    expect(response.errors).toEqual([
      { ...unavailable, path: ['_entities', 0] },
      { ...unavailable, path: ['_entities', 4] },
    ]);
  });

  it('does not pass a programming error off as an unavailable city', async () => {
    const cities = new FakeCities('execution').fail(MALMO, new TypeError('undefined is not a function'));

    await expect(
      dataSource('execution', cities).process(
        incoming(COSTS, { representations: batch.map(representation) }),
      ),
    ).rejects.toThrow(TypeError);
  });

  it('moves a city error to the original entity index and names the city that raised it', async () => {
    const cities = new FakeCities('execution');
    // A5 is received by Malmö, whose refusal names its own source; A1 is received by Göteborg.
    refusedCosts.add(A1.id);
    try {
      const response = await dataSource('execution', cities).process(
        incoming(COSTS, { representations: [A2, A5, A4, A1].map(representation) }),
      );

      expect(response.data).toEqual({ _entities: [costs(A2), { costs: null }, costs(A4), { costs: null }] });
      expect(withoutLocations(response.errors)).toEqual(
        expect.arrayContaining([
          {
            message: 'Costs are under reconciliation',
            path: ['_entities', 1, 'costs'],
            extensions: { code: 'FORBIDDEN', municipality: 'reconciliation-board' },
          },
          {
            message: 'Costs are under reconciliation',
            path: ['_entities', 3, 'costs'],
            extensions: { code: 'FORBIDDEN', municipality: GOTEBORG },
          },
        ]),
      );
      expect(response.errors).toHaveLength(2);
    } finally {
      refusedCosts.delete(A1.id);
    }
  });
});

describe('the assignment list', () => {
  const LIST = /* GraphQL */ `
    query List__casework__0($first: Int, $after: String, $filter: AssignmentFilter) {
      assignments(first: $first, after: $after, filter: $filter) {
        edges {
          cursor
          node {
            id
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `;
  const listIds = (data: unknown) =>
    (data as { assignments: { edges: { node: { id: string } }[] } }).assignments.edges.map((e) => e.node.id);
  const pageInfoOf = (data: unknown) => (data as { assignments: { pageInfo: unknown } }).assignments.pageInfo;

  it('asks every city and merges their pages in global order', async () => {
    const cities = new FakeCities('casework');

    const response = await dataSource('casework', cities).process(incoming(LIST, { first: 10 }));

    expect(listIds(response.data)).toEqual(GLOBAL_ORDER);
    expect(pageInfoOf(response.data)).toEqual({ hasNextPage: false, endCursor: encodeCursor(A6) });
    expect(response.errors).toBeUndefined();
    expect(cities.calls.map((c) => c.city).sort()).toEqual([STOCKHOLM, MALMO, GOTEBORG].sort());
  });

  it('asks each city for the reserved merge selections besides the client selection', async () => {
    const cities = new FakeCities('casework');

    await dataSource('casework', cities).process(incoming(LIST, { first: 2 }));

    for (const call of cities.calls) {
      expect(call.body.query).toContain('__shardEdges: edges {\n      cursor\n    }');
      expect(call.body.query).toContain('__shardPageInfo: pageInfo {\n      hasNextPage\n    }');
      expect(call.body.variables).toEqual({ first: 2 });
    }
  });

  it('keeps the page size and continues after the cursor it handed out', async () => {
    const cities = new FakeCities('casework');
    const source = dataSource('casework', cities);

    const first = await source.process(incoming(LIST, { first: 4 }));
    const { endCursor } = pageInfoOf(first.data) as { hasNextPage: boolean; endCursor: string };
    const second = await source.process(incoming(LIST, { first: 4, after: endCursor }));

    expect(listIds(first.data)).toEqual(GLOBAL_ORDER.slice(0, 4));
    expect(pageInfoOf(first.data)).toEqual({ hasNextPage: true, endCursor: encodeCursor(A2) });
    expect(listIds(second.data)).toEqual(GLOBAL_ORDER.slice(4));
    expect(pageInfoOf(second.data)).toEqual({ hasNextPage: false, endCursor: encodeCursor(A6) });
  });

  it('uses the SDL default page size when the client gives none', async () => {
    const cities = new FakeCities('casework');
    const query = /* GraphQL */ `
      {
        assignments {
          edges {
            node {
              id
            }
          }
        }
      }
    `;

    const response = await dataSource('casework', cities).process(incoming(query));

    expect(listIds(response.data)).toEqual(GLOBAL_ORDER);
    expect(cities.calls).toHaveLength(3);
  });

  it('asks only the home city a homeMunicipality filter names', async () => {
    const cities = new FakeCities('casework');

    const response = await dataSource('casework', cities).process(
      incoming(LIST, { first: 10, filter: { homeMunicipality: GOTEBORG } }),
    );

    expect(cities.calls.map((c) => c.city)).toEqual([GOTEBORG]);
    expect(listIds(response.data)).toEqual([A5.id, A2.id]);
  });

  it('asks only the caller city when the caller filters on another receiving municipality', async () => {
    const cities = new FakeCities('casework');

    const response = await dataSource('casework', cities).process(
      incoming(LIST, { first: 10, filter: { receivingMunicipality: MALMO } }),
    );

    expect(cities.calls.map((c) => c.city)).toEqual([STOCKHOLM]);
    expect(listIds(response.data)).toEqual([A4.id]);
  });

  it('merges the cities that answered and names the one that did not', async () => {
    const cities = new FakeCities('casework').fail(MALMO, new CityUnavailableError('ECONNREFUSED'));

    const response = await dataSource('casework', cities).process(incoming(LIST, { first: 10 }));

    expect(listIds(response.data)).toEqual([A5.id, A1.id, A2.id, A4.id]);
    expect(response.errors).toEqual([
      {
        message: 'Municipality 1280 is unavailable: ECONNREFUSED',
        path: ['assignments'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', municipality: MALMO },
      },
    ]);
  });

  it('puts an error inside a city page on the merged item and names the city', async () => {
    const cities = new FakeCities('casework');
    const query = /* GraphQL */ `
      query Plans {
        assignments(first: 10) {
          edges {
            node {
              id
              planSummary {
                version
              }
            }
          }
        }
      }
    `;

    const response = await dataSource('casework', cities).process(incoming(query));

    // A5 is Göteborg's first item and the second one merged.
    expect(listIds(response.data)).toEqual(GLOBAL_ORDER);
    expect(withoutLocations(response.errors)).toEqual([
      {
        message: 'Plan is being revised',
        path: ['assignments', 'edges', 1, 'node', 'planSummary'],
        extensions: { code: 'CONFLICT', municipality: GOTEBORG },
      },
    ]);
  });
});

describe('one assignment by id', () => {
  const ONE = /* GraphQL */ `
    query One__casework__0($id: ID!) {
      assignment(id: $id) {
        id
        receivingMunicipality
      }
    }
  `;

  it('asks only the home city the id names, forwarding the request as it came', async () => {
    const cities = new FakeCities('casework');

    const response = await dataSource('casework', cities).process(
      incoming(ONE, { id: A2.id }, 'One__casework__0'),
    );

    expect(response).toEqual({ data: { assignment: { id: A2.id, receivingMunicipality: STOCKHOLM } } });
    expect(cities.calls).toEqual([
      {
        city: GOTEBORG,
        url: endpoint('casework', GOTEBORG),
        body: { query: ONE, operationName: 'One__casework__0', variables: { id: A2.id } },
        headers: {},
      },
    ]);
  });

  it.each([
    ['a malformed id', 'asg:1480:0180:not-a-uuid'],
    ['an id of a home municipality outside the network', formatId('asg', '0580', STOCKHOLM, uuid(7))],
  ])('answers null for %s without asking any city', async (_case, id) => {
    const cities = new FakeCities('casework');

    const response = await dataSource('casework', cities).process(incoming(ONE, { id }));

    expect(response).toEqual({ data: { assignment: null } });
    expect(cities.calls).toEqual([]);
  });

  it('answers an unavailable home city with an error naming it', async () => {
    const cities = new FakeCities('casework').fail(
      MALMO,
      new CityUnavailableError('HTTP 502 without a GraphQL response'),
    );

    const response = await dataSource('casework', cities).process(incoming(ONE, { id: A3.id }));

    expect(response).toEqual({
      data: null,
      errors: [
        {
          message: 'Municipality 1280 is unavailable: HTTP 502 without a GraphQL response',
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', municipality: MALMO },
        },
      ],
    });
  });

  it('names the home city in an error it raised', async () => {
    const cities = new FakeCities('casework');
    const query = /* GraphQL */ `
      query Plan($id: ID!) {
        assignment(id: $id) {
          planSummary {
            version
          }
        }
      }
    `;

    const response = await dataSource('casework', cities).process(incoming(query, { id: A5.id }));

    expect(cities.calls.map((c) => c.city)).toEqual([GOTEBORG]);
    expect(response.data).toEqual({ assignment: { planSummary: null } });
    expect(withoutLocations(response.errors)).toEqual([
      {
        message: 'Plan is being revised',
        path: ['assignment', 'planSummary'],
        extensions: { code: 'CONFLICT', municipality: GOTEBORG },
      },
    ]);
  });
});

describe('several root fields in one fetch', () => {
  it('routes each on its own, with only the variables it uses', async () => {
    const cities = new FakeCities('casework');
    const query = /* GraphQL */ `
      query Overview__casework__0($id: ID!, $first: Int) {
        __typename
        one: assignment(id: $id) {
          id
        }
        assignments(first: $first) {
          edges {
            node {
              id
            }
          }
        }
      }
    `;

    const response = await dataSource('casework', cities).process(incoming(query, { id: A3.id, first: 2 }));

    expect(response).toEqual({
      data: {
        __typename: 'Query',
        one: { id: A3.id },
        assignments: { edges: [{ node: { id: A3.id } }, { node: { id: A5.id } }] },
      },
    });
    // One call for the single assignment (Malmö) plus one per city for the list.
    expect(cities.calls.map((c) => c.city).sort()).toEqual([STOCKHOLM, GOTEBORG, MALMO, MALMO].sort());
    const single = cities.calls.find((c) => c.body.query.includes('one: assignment'))!;
    expect(single.city).toBe(MALMO);
    expect(single.body.query).not.toContain('assignments');
    expect(single.body.query).toContain('query Overview__casework__0($id: ID!)');
  });
});

describe('the intervention offer', () => {
  const OFFER = /* GraphQL */ `
    query Offer__execution__0($municipality: String!) {
      interventionOffer(municipality: $municipality) {
        name
        unitPrice {
          amount
        }
      }
    }
  `;

  it('asks only the municipality named', async () => {
    const cities = new FakeCities('execution');

    const response = await dataSource('execution', cities).process(incoming(OFFER, { municipality: MALMO }));

    expect(response).toEqual({
      data: { interventionOffer: [{ name: 'Jourteam 1280', unitPrice: { amount: '950.00' } }] },
    });
    expect(cities.calls.map((c) => c.city)).toEqual([MALMO]);
  });

  it('refuses a municipality outside the network without asking any city', async () => {
    const cities = new FakeCities('execution');

    const response = await dataSource('execution', cities).process(incoming(OFFER, { municipality: '0580' }));

    expect(response).toEqual({
      data: { interventionOffer: null },
      errors: [
        {
          message: 'Municipality 0580 is not part of this network',
          path: ['interventionOffer'],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    expect(cities.calls).toEqual([]);
  });
});

describe('the assignment list, narrowed to the caller and its counterparts', () => {
  const LIST = /* GraphQL */ `
    query List__casework__0($first: Int, $filter: AssignmentFilter) {
      assignments(first: $first, filter: $filter) {
        edges {
          node {
            id
          }
        }
      }
    }
  `;
  const listIds = (data: unknown) =>
    (data as { assignments: { edges: { node: { id: string } }[] } }).assignments.edges.map((e) => e.node.id);
  const homedIn = (...cities: string[]) =>
    GLOBAL_ORDER.filter((id) => cities.includes(ALL.find((a) => a.id === id)!.homeMunicipality));
  const asksCounterparts = (call: Call) => call.body.query.includes('assignmentCounterparts');
  const narrowed = (cities: FakeCities, memory = rememberedCounterparts()) =>
    new ShardedDataSource({
      role: 'casework',
      routing: ROUTING.casework,
      endpoints: new Map(CITIES.map((city) => [city, endpoint('casework', city)])),
      client: cities as unknown as CityClient,
      principalHeaders: noHeaders,
      counterparts: memory,
    });

  it("asks the caller's city for its page and its counterparts in one request, then only those", async () => {
    const cities = new FakeCities('casework');
    cities.counterparts.set(STOCKHOLM, [MALMO]);
    const memory = rememberedCounterparts();

    const response = await narrowed(cities, memory).process(incoming(LIST, { first: 10 }));

    expect(cities.calls.map((c) => c.city).sort()).toEqual([STOCKHOLM, MALMO].sort());
    expect(cities.callsTo(STOCKHOLM).filter(asksCounterparts)).toHaveLength(1);
    expect(cities.callsTo(MALMO).filter(asksCounterparts)).toHaveLength(0);
    expect(listIds(response.data)).toEqual(homedIn(STOCKHOLM, MALMO));
    expect(response.errors).toBeUndefined();
    expect(memory.lastKnown(STOCKHOLM)).toEqual(new Set([MALMO]));
  });

  it("asks only the caller's city when no other city sent it assignments", async () => {
    const cities = new FakeCities('casework');
    cities.counterparts.set(STOCKHOLM, []);

    await narrowed(cities).process(incoming(LIST, { first: 10 }));

    expect(cities.calls.map((c) => c.city)).toEqual([STOCKHOLM]);
  });

  it("asks every city when the caller's city cannot say, and keeps that failure to itself", async () => {
    const cities = new FakeCities('casework');
    cities.counterparts.set(STOCKHOLM, new Error('index unavailable'));

    const response = await narrowed(cities).process(incoming(LIST, { first: 10 }));

    expect(cities.calls.map((c) => c.city).sort()).toEqual([...CITIES].sort());
    expect(listIds(response.data)).toEqual(GLOBAL_ORDER);
    expect(response.errors).toBeUndefined();
  });

  it('asks the counterparts named last time at once, before the fresh answer', async () => {
    const cities = new FakeCities('casework');
    cities.counterparts.set(STOCKHOLM, [MALMO]);
    const memory = rememberedCounterparts();
    memory.remember(STOCKHOLM, new Set([MALMO]));
    const release = cities.hold(STOCKHOLM);

    const response = narrowed(cities, memory).process(incoming(LIST, { first: 10 }));
    await new Promise((resolve) => setImmediate(resolve));
    // Malmö is already asked while the caller's city has not yet answered.
    expect(cities.calls.map((c) => c.city).sort()).toEqual([STOCKHOLM, MALMO].sort());
    release();

    expect(listIds((await response).data)).toEqual(homedIn(STOCKHOLM, MALMO));
    expect(cities.calls.map((c) => c.city).sort()).toEqual([STOCKHOLM, MALMO].sort());
  });

  it('still asks a city the fresh answer adds to those named last time', async () => {
    const cities = new FakeCities('casework');
    cities.counterparts.set(STOCKHOLM, [MALMO, GOTEBORG]);
    const memory = rememberedCounterparts();
    memory.remember(STOCKHOLM, new Set([MALMO]));

    const response = await narrowed(cities, memory).process(incoming(LIST, { first: 10 }));

    expect(cities.calls.map((c) => c.city).sort()).toEqual([...CITIES].sort());
    expect(listIds(response.data)).toEqual(GLOBAL_ORDER);
    expect(memory.lastKnown(STOCKHOLM)).toEqual(new Set([MALMO, GOTEBORG]));
  });

  it('asks every city not yet asked when the fresh answer cannot be had', async () => {
    const cities = new FakeCities('casework');
    cities.counterparts.set(STOCKHOLM, new Error('index unavailable'));
    const memory = rememberedCounterparts();
    memory.remember(STOCKHOLM, new Set([MALMO]));

    const response = await narrowed(cities, memory).process(incoming(LIST, { first: 10 }));

    expect(cities.calls.map((c) => c.city).sort()).toEqual([...CITIES].sort());
    expect(listIds(response.data)).toEqual(GLOBAL_ORDER);
    // An answer that could not be had does not replace the last good one.
    expect(memory.lastKnown(STOCKHOLM)).toEqual(new Set([MALMO]));
  });

  it('does not ask for counterparts when a filter already names the one home city', async () => {
    const cities = new FakeCities('casework');

    await narrowed(cities).process(incoming(LIST, { first: 10, filter: { homeMunicipality: STOCKHOLM } }));

    expect(cities.calls.map((c) => c.city)).toEqual([STOCKHOLM]);
    expect(cities.calls.filter(asksCounterparts)).toHaveLength(0);
  });

  it("asks the counterparts alone when a filter leaves out the caller's own city", async () => {
    const cities = new FakeCities('casework');
    cities.counterparts.set(STOCKHOLM, [GOTEBORG]);
    const filter = { homeMunicipality: MALMO };

    const none = await narrowed(cities).process(incoming(LIST, { first: 10, filter }));

    // Malmö sent Stockholm nothing, says Stockholm: only the question was asked.
    expect(cities.calls.map((c) => c.city)).toEqual([STOCKHOLM]);
    expect(cities.calls.every(asksCounterparts)).toBe(true);
    expect(listIds(none.data)).toEqual([]);

    cities.calls.length = 0;
    cities.counterparts.set(STOCKHOLM, [MALMO]);
    const some = await narrowed(cities).process(incoming(LIST, { first: 10, filter }));
    expect(cities.calls.map((c) => c.city)).toEqual([STOCKHOLM, MALMO]);
    expect(listIds(some.data)).toEqual(homedIn(MALMO));
  });
});

describe('identical reads in flight', () => {
  const ONE = /* GraphQL */ `
    query One__casework__0($id: ID!) {
      assignment(id: $id) {
        id
      }
    }
  `;
  const WITHDRAW = /* GraphQL */ `
    mutation Withdraw__casework__0($id: ID!) {
      withdrawAssignment(id: $id, reason: "Flyttar inte") {
        id
      }
    }
  `;
  const as = (subject: string, request: ReturnType<typeof incoming>) => ({
    ...request,
    context: { ...request.context, principal: { ...request.context.principal, subject } },
  });

  it('share one city call and one answer for the same person', async () => {
    const cities = new FakeCities('casework');
    const source = dataSource('casework', cities);

    const [a, b] = await Promise.all([
      source.process(incoming(ONE, { id: A1.id })),
      source.process(incoming(ONE, { id: A1.id })),
    ]);

    expect(cities.calls).toHaveLength(1);
    expect(a).toEqual({ data: { assignment: { id: A1.id } } });
    expect(b).toEqual(a);
  });

  it('are asked again once the first answer is back', async () => {
    const cities = new FakeCities('casework');
    const source = dataSource('casework', cities);

    await source.process(incoming(ONE, { id: A1.id }));
    await source.process(incoming(ONE, { id: A1.id }));

    expect(cities.calls).toHaveLength(2);
  });

  it('are not shared between people, nor between different variables', async () => {
    const cities = new FakeCities('casework');
    const source = dataSource('casework', cities);

    await Promise.all([
      source.process(incoming(ONE, { id: A1.id })),
      source.process(as('someone-else', incoming(ONE, { id: A1.id }))),
      source.process(incoming(ONE, { id: A4.id })),
    ]);

    expect(cities.calls).toHaveLength(3);
  });

  it('never include mutations', async () => {
    const cities = new FakeCities('casework');
    const source = dataSource('casework', cities);

    await Promise.all([
      source.process(incoming(WITHDRAW, { id: A1.id })),
      source.process(incoming(WITHDRAW, { id: A1.id })),
    ]);

    expect(cities.calls).toHaveLength(2);
  });

  it('can be turned off', async () => {
    const cities = new FakeCities('casework');
    const source = new ShardedDataSource({
      role: 'casework',
      routing: ROUTING.casework,
      endpoints: new Map(CITIES.map((city) => [city, endpoint('casework', city)])),
      client: cities as unknown as CityClient,
      principalHeaders: noHeaders,
      dedupeReads: false,
    });

    await Promise.all([
      source.process(incoming(ONE, { id: A1.id })),
      source.process(incoming(ONE, { id: A1.id })),
    ]);

    expect(cities.calls).toHaveLength(2);
  });
});

describe('a city that fails during a request', () => {
  it('is not called again by later fetches of the same request', async () => {
    const cities = new FakeCities('execution').fail(GOTEBORG, new CityUnavailableError('timed out'));
    const source = dataSource('execution', cities);
    const request = incoming(
      /* GraphQL */ `
        query Costs__execution__1($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Assignment {
              costs {
                total {
                  amount
                }
              }
            }
          }
        }
      `,
      { representations: [{ __typename: 'Assignment', id: A1.id }] },
    );

    const first = await source.process(request);
    const again = await source.process(request);
    const otherRequest = await source.process({
      ...request,
      context: { ...request.context, unavailable: undefined },
    });

    expect(cities.callsTo(GOTEBORG)).toHaveLength(2);
    for (const response of [first, again, otherRequest]) {
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'SUBGRAPH_UNAVAILABLE',
        municipality: GOTEBORG,
      });
    }
  });
});
