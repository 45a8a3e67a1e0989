// The assignment list is fanned out to every city and each answers one page
// after the same cursor; the gateway merges those pages into one, in the
// global keyset order (updatedAt desc, then id desc).
import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { mergeConnection, type CityPage } from '../../gateway/routing/connection';
import { parseOperation } from '../../gateway/routing/operation';
import { compareKeys, decodeCursor, encodeCursor, type AssignmentKey } from '../../schema/contract/cursor';
import { formatId } from '../../schema/contract/ids';

const STOCKHOLM = '0180';
const GOTEBORG = '1480';
const MALMO = '1280';
const CITIES = [STOCKHOLM, GOTEBORG, MALMO] as const;

interface Row extends AssignmentKey {
  home: string;
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const row = (home: string, receiving: string, n: number, updatedAt: string): Row => ({
  home,
  updatedAt,
  id: formatId('asg', home, receiving, uuid(n)),
});

const listField = (query: string) => {
  const parsed = parseOperation(query);
  return { field: parsed.rootFields[0]!, fragments: parsed.fragments };
};

const PLAIN = listField(/* GraphQL */ `
  {
    assignments(first: 7) {
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
`);

/** A city's value for the plain selection, with the reserved aliases the merge asks for. */
function cityPage(
  municipality: string,
  rows: readonly Row[],
  hasNextPage = false,
  errors: GraphQLFormattedError[] = [],
): CityPage {
  const edges = rows.map((r) => ({ cursor: encodeCursor(r), node: { id: r.id } }));
  return {
    municipality,
    value: {
      edges,
      pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      __shardEdges: edges.map(({ cursor }) => ({ cursor })),
      __shardPageInfo: { hasNextPage },
    },
    errors,
  };
}

const idsOf = (value: Record<string, unknown>, edgesKey = 'edges') =>
  (value[edgesKey] as { node: { id: string } }[]).map((edge) => edge.node.id);

// Three cities' newest assignments; ties on updatedAt across and within cities.
const sthlm1 = row(STOCKHOLM, GOTEBORG, 1, '2024-03-01T10:00:00.000Z');
const sthlm2 = row(STOCKHOLM, MALMO, 2, '2024-02-20T08:00:00.000Z');
const sthlm3 = row(STOCKHOLM, MALMO, 3, '2024-02-20T08:00:00.000Z');
const gbg1 = row(GOTEBORG, STOCKHOLM, 4, '2024-03-01T10:00:00.000Z');
const gbg2 = row(GOTEBORG, MALMO, 5, '2024-01-15T12:30:00.500Z');
const malmo1 = row(MALMO, STOCKHOLM, 6, '2024-03-02T09:15:00.000Z');
const malmo2 = row(MALMO, GOTEBORG, 7, '2024-02-20T08:00:00.000Z');
const malmo3 = row(MALMO, GOTEBORG, 8, '2023-12-31T23:59:59.999Z');

const pages = () => [
  cityPage(STOCKHOLM, [sthlm1, sthlm3, sthlm2]),
  cityPage(GOTEBORG, [gbg1, gbg2]),
  cityPage(MALMO, [malmo1, malmo2, malmo3]),
];

// The same eight, in the order a single database holding them all would give.
const GLOBAL_ORDER = [malmo1, gbg1, sthlm1, malmo2, sthlm3, sthlm2, gbg2, malmo3].map((r) => r.id);

describe('merging one page of the assignment list from several cities', () => {
  it('orders by updatedAt descending, then id descending, across cities', () => {
    const { value } = mergeConnection(PLAIN.field, PLAIN.fragments, pages(), 20);

    expect(idsOf(value)).toEqual(GLOBAL_ORDER);
    expect(value.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor(malmo3) });
  });

  it('breaks a tie on updatedAt by the larger id, whichever city holds it', () => {
    // gbg1 and sthlm1 share an instant: "asg:1480:..." sorts after "asg:0180:..." so comes first.
    const { value } = mergeConnection(
      PLAIN.field,
      PLAIN.fragments,
      [cityPage(STOCKHOLM, [sthlm1]), cityPage(GOTEBORG, [gbg1])],
      20,
    );

    expect(idsOf(value)).toEqual([gbg1.id, sthlm1.id]);
  });

  it('keeps the whole edge each city wrote for the items it keeps', () => {
    const { value } = mergeConnection(PLAIN.field, PLAIN.fragments, pages(), 2);

    expect(value.edges).toEqual([
      { cursor: encodeCursor(malmo1), node: { id: malmo1.id } },
      { cursor: encodeCursor(gbg1), node: { id: gbg1.id } },
    ]);
  });

  it('keeps only page-size items and reports a next page when the cities gave more', () => {
    const { value } = mergeConnection(PLAIN.field, PLAIN.fragments, pages(), 4);

    expect(idsOf(value)).toEqual(GLOBAL_ORDER.slice(0, 4));
    expect(value.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor(malmo2) });
  });

  it('reports no next page when exactly page-size items exist and no city has more', () => {
    const { value } = mergeConnection(PLAIN.field, PLAIN.fragments, pages(), 8);

    expect(idsOf(value)).toEqual(GLOBAL_ORDER);
    expect(value.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor(malmo3) });
  });

  it('reports a next page when any one city has more, even if the merged page is not full', () => {
    const { value } = mergeConnection(
      PLAIN.field,
      PLAIN.fragments,
      [cityPage(STOCKHOLM, [sthlm1]), cityPage(GOTEBORG, [gbg2], true), cityPage(MALMO, [])],
      7,
    );

    expect(idsOf(value)).toEqual([sthlm1.id, gbg2.id]);
    expect(value.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor(gbg2) });
  });

  it('answers an empty page with no end cursor when no city has anything', () => {
    const { value, errors } = mergeConnection(
      PLAIN.field,
      PLAIN.fragments,
      [cityPage(STOCKHOLM, []), cityPage(GOTEBORG, [])],
      7,
    );

    expect(value).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    expect(errors).toEqual([]);
  });

  it('honours the aliases and __typename the client asked for', () => {
    const aliased = listField(/* GraphQL */ `
      {
        list: assignments(first: 3) {
          kind: __typename
          items: edges {
            at: cursor
            node {
              id
            }
          }
          info: pageInfo {
            more: hasNextPage
            last: endCursor
            __typename
          }
        }
      }
    `);
    const aliasedPage = (municipality: string, rows: Row[], hasNextPage: boolean): CityPage => ({
      municipality,
      value: {
        kind: 'AssignmentConnection',
        items: rows.map((r) => ({ at: encodeCursor(r), node: { id: r.id } })),
        info: { more: hasNextPage, last: null, __typename: 'PageInfo' },
        __shardEdges: rows.map((r) => ({ cursor: encodeCursor(r) })),
        __shardPageInfo: { hasNextPage },
      },
      errors: [],
    });

    const { value } = mergeConnection(
      aliased.field,
      aliased.fragments,
      [aliasedPage(STOCKHOLM, [sthlm1, sthlm3], false), aliasedPage(MALMO, [malmo1, malmo2], false)],
      3,
    );

    expect(value).toEqual({
      kind: 'AssignmentConnection',
      items: [
        { at: encodeCursor(malmo1), node: { id: malmo1.id } },
        { at: encodeCursor(sthlm1), node: { id: sthlm1.id } },
        { at: encodeCursor(malmo2), node: { id: malmo2.id } },
      ],
      info: { more: true, last: encodeCursor(malmo2), __typename: 'PageInfo' },
    });
  });

  it('reads a selection given through fragments', () => {
    const fragmented = listField(/* GraphQL */ `
      query List {
        assignments(first: 2) {
          ...Page
        }
      }
      fragment Page on AssignmentConnection {
        edges {
          cursor
          node {
            id
          }
        }
        pageInfo {
          ...Info
        }
      }
      fragment Info on PageInfo {
        hasNextPage
        endCursor
      }
    `);

    const { value } = mergeConnection(fragmented.field, fragmented.fragments, pages(), 2);

    expect(idsOf(value)).toEqual(GLOBAL_ORDER.slice(0, 2));
    expect(value.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor(gbg1) });
  });

  it('uses the given connection type name for __typename', () => {
    const typed = listField(/* GraphQL */ `
      {
        assignments {
          __typename
        }
      }
    `);
    const { value } = mergeConnection(typed.field, typed.fragments, pages(), 20, 'CaseConnection');

    expect(value).toEqual({ __typename: 'CaseConnection' });
  });

  it('takes nothing from a city that failed (null value), and the rest still merge', () => {
    const failed: CityPage = {
      municipality: GOTEBORG,
      value: null,
      errors: [
        { message: 'database is down', path: ['assignments'], extensions: { municipality: GOTEBORG } },
      ],
    };

    const { value, errors } = mergeConnection(
      PLAIN.field,
      PLAIN.fragments,
      [cityPage(STOCKHOLM, [sthlm1, sthlm3, sthlm2]), failed, cityPage(MALMO, [malmo1, malmo2, malmo3])],
      20,
    );

    expect(idsOf(value)).toEqual([malmo1.id, sthlm1.id, malmo2.id, sthlm3.id, sthlm2.id, malmo3.id]);
    expect(value.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor(malmo3) });
    // The failure is not inside an edge, so it passes through as it is.
    expect(errors).toEqual([
      { message: 'database is down', path: ['assignments'], extensions: { municipality: GOTEBORG } },
    ]);
  });

  it('moves an error inside a city edge to the merged index of that item', () => {
    // Göteborg's gbg2 (its index 1) lands at merged index 6.
    const planError: GraphQLFormattedError = {
      message: 'Plan is being revised',
      path: ['assignments', 'edges', 1, 'node', 'planSummary'],
      extensions: { code: 'CONFLICT', municipality: GOTEBORG },
    };
    const { errors } = mergeConnection(
      PLAIN.field,
      PLAIN.fragments,
      [
        cityPage(STOCKHOLM, [sthlm1, sthlm3, sthlm2]),
        cityPage(GOTEBORG, [gbg1, gbg2], false, [planError]),
        cityPage(MALMO, [malmo1, malmo2, malmo3]),
      ],
      20,
    );

    expect(errors).toEqual([
      {
        message: 'Plan is being revised',
        path: ['assignments', 'edges', 6, 'node', 'planSummary'],
        extensions: { code: 'CONFLICT', municipality: GOTEBORG },
      },
    ]);
  });

  it('moves edge errors under the client aliases of the list and of edges', () => {
    const aliased = listField(/* GraphQL */ `
      {
        mine: assignments(first: 2) {
          items: edges {
            node {
              id
            }
          }
        }
      }
    `);
    const page = (municipality: string, rows: Row[], errors: GraphQLFormattedError[] = []): CityPage => ({
      municipality,
      value: {
        items: rows.map((r) => ({ node: { id: r.id } })),
        __shardEdges: rows.map((r) => ({ cursor: encodeCursor(r) })),
        __shardPageInfo: { hasNextPage: false },
      },
      errors,
    });

    const { value, errors } = mergeConnection(
      aliased.field,
      aliased.fragments,
      [
        page(
          STOCKHOLM,
          [sthlm1],
          [{ message: 'slow unit lookup', path: ['mine', 'items', 0, 'node', 'planSummary'] }],
        ),
        page(MALMO, [malmo1]),
      ],
      2,
    );

    expect(value).toEqual({ items: [{ node: { id: malmo1.id } }, { node: { id: sthlm1.id } }] });
    expect(errors).toEqual([
      { message: 'slow unit lookup', path: ['mine', 'items', 1, 'node', 'planSummary'] },
    ]);
  });

  it('removes the errors of items that did not make the page', () => {
    const kept: GraphQLFormattedError = {
      message: 'kept item error',
      path: ['assignments', 'edges', 0, 'node', 'planSummary'],
    };
    const dropped: GraphQLFormattedError = {
      message: 'dropped item error',
      path: ['assignments', 'edges', 2, 'node', 'planSummary'],
    };

    const { value, errors } = mergeConnection(
      PLAIN.field,
      PLAIN.fragments,
      [
        cityPage(STOCKHOLM, [sthlm1, sthlm3, sthlm2], false, [kept, dropped]),
        cityPage(MALMO, [malmo1, malmo2, malmo3]),
      ],
      3,
    );

    expect(idsOf(value)).toEqual([malmo1.id, sthlm1.id, malmo2.id]);
    expect(errors).toEqual([
      { message: 'kept item error', path: ['assignments', 'edges', 1, 'node', 'planSummary'] },
    ]);
  });
});

/** Small deterministic generator (mulberry32), so a failing seed can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('walking the merged list page by page', () => {
  const PAGE_SIZE = 7;

  /** What one city's casework subgraph answers for `first: N, after: cursor`. */
  function cityAnswer(municipality: string, own: readonly Row[], after: string | null): CityPage {
    const key = after === null ? null : decodeCursor(after);
    if (after !== null && key === null) throw new Error(`city ${municipality} got a cursor it cannot read`);
    const sorted = [...own].sort(compareKeys);
    const rest = key ? sorted.filter((r) => compareKeys(r, key) > 0) : sorted;
    return cityPage(municipality, rest.slice(0, PAGE_SIZE), rest.length > PAGE_SIZE);
  }

  function generate(seed: number, count: number): Row[] {
    const next = random(seed);
    // Few distinct instants, so many items share an updatedAt within and across cities.
    const instants = Array.from({ length: 12 }, (_, i) =>
      new Date(Date.UTC(2024, 0, 1) + Math.floor(next() * 90) * 86_400_000 + i).toISOString(),
    );
    return Array.from({ length: count }, (_, n) => {
      const home = CITIES[Math.floor(next() * CITIES.length)]!;
      const receiving = CITIES.filter((c) => c !== home)[Math.floor(next() * 2)]!;
      const hex = Math.floor(next() * 0xffffffff)
        .toString(16)
        .padStart(8, '0');
      return {
        home,
        updatedAt: instants[Math.floor(next() * instants.length)]!,
        id: formatId('asg', home, receiving, `${hex}-0000-4000-8000-${String(n).padStart(12, '0')}`),
      };
    });
  }

  it.each([1, 2, 3, 42, 1337, 2024, 65535, 987654321])(
    'returns every assignment exactly once, in global order (seed %i)',
    (seed) => {
      const all = generate(seed, 60);
      const byCity = new Map(CITIES.map((c) => [c, all.filter((r) => r.home === c)]));
      const expected = [...all].sort(compareKeys).map((r) => r.id);
      // The generator really produces ties on updatedAt, so the id tie-break is exercised.
      expect(new Set(all.map((r) => r.updatedAt)).size).toBeLessThan(all.length);

      const walked: string[] = [];
      const pageLengths: number[] = [];
      let after: string | null = null;
      for (let request = 0; request < 20; request++) {
        const cityPages = CITIES.map((c) => cityAnswer(c, byCity.get(c)!, after));
        const { value, errors } = mergeConnection(PLAIN.field, PLAIN.fragments, cityPages, PAGE_SIZE);
        const ids = idsOf(value);
        const info = value.pageInfo as { hasNextPage: boolean; endCursor: string | null };
        expect(errors).toEqual([]);
        walked.push(...ids);
        pageLengths.push(ids.length);
        if (!info.hasNextPage) break;
        const last = all.find((r) => r.id === ids.at(-1))!;
        expect(info.endCursor).toBe(encodeCursor(last));
        after = info.endCursor;
      }

      expect(walked).toEqual(expected);
      expect(pageLengths).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 4]);
    },
  );
});
