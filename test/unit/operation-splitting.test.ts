// When root fields of one subgraph request go to different cities, each is
// sent as its own operation: only that field, only the variables and
// fragments it uses (GraphQL rejects unused ones), plus what a merge needs.
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MERGE_SELECTIONS } from '../../gateway/routing/connection';
import {
  argumentValue,
  fieldFromSelection,
  parseOperation,
  singleFieldOperation,
} from '../../gateway/routing/operation';

const DASHBOARD = /* GraphQL */ `
  query Dashboard($first: Int, $after: String, $status: [AssignmentStatus!], $id: ID!, $withPlan: Boolean!) {
    assignments(first: $first, after: $after, filter: { status: $status }) {
      ...Page
    }
    assignment(id: $id) {
      ...Detail
    }
  }

  fragment Page on AssignmentConnection {
    edges {
      cursor
      node {
        ...Row
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }

  fragment Row on Assignment {
    id
    status
  }

  fragment Detail on Assignment {
    ...Row
    planSummary @include(if: $withPlan) {
      ...Plan
    }
  }

  fragment Plan on PlanSummary {
    version
    estimatedTotal {
      amount
    }
  }
`;

/** Normalises printed GraphQL so comparisons ignore layout only. */
const normal = (source: string) => print(parse(source));

function shape(source: string) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return {
    name: operation.name?.value,
    type: operation.operation,
    rootFields: operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : s.kind)),
    variables: (operation.variableDefinitions ?? []).map((v) => v.variable.name.value),
    fragments: document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : [],
    ),
  };
}

describe('an operation for one root field', () => {
  const parsed = parseOperation(DASHBOARD);
  const [assignments, assignment] = parsed.rootFields;

  it('keeps only the list field, its variables and the fragments it reaches', () => {
    const single = singleFieldOperation(parsed, assignments!);

    expect(shape(single)).toEqual({
      name: 'Dashboard',
      type: 'query',
      rootFields: ['assignments'],
      variables: ['first', 'after', 'status'],
      fragments: ['Page', 'Row'],
    });
    expect(single).toBe(
      normal(/* GraphQL */ `
        query Dashboard($first: Int, $after: String, $status: [AssignmentStatus!]) {
          assignments(first: $first, after: $after, filter: { status: $status }) {
            ...Page
          }
        }
        fragment Page on AssignmentConnection {
          edges {
            cursor
            node {
              ...Row
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
        fragment Row on Assignment {
          id
          status
        }
      `),
    );
  });

  it('follows fragments through fragments, including variables used only inside a fragment', () => {
    const single = singleFieldOperation(parsed, assignment!);

    expect(shape(single)).toEqual({
      name: 'Dashboard',
      type: 'query',
      rootFields: ['assignment'],
      variables: ['id', 'withPlan'],
      fragments: ['Detail', 'Row', 'Plan'],
    });
  });

  it('includes a fragment used twice only once', () => {
    const twice = parseOperation(/* GraphQL */ `
      query Twice {
        assignments {
          edges {
            node {
              ...Row
            }
          }
          more: edges {
            node {
              ...Row
            }
          }
        }
      }
      fragment Row on Assignment {
        id
      }
      fragment Unused on Assignment {
        status
      }
    `);

    expect(shape(singleFieldOperation(twice, twice.rootFields[0]!)).fragments).toEqual(['Row']);
  });

  it('adds the selections a merge needs inside the field', () => {
    const single = singleFieldOperation(parsed, assignments!, MERGE_SELECTIONS);

    expect(single).toBe(
      normal(/* GraphQL */ `
        query Dashboard($first: Int, $after: String, $status: [AssignmentStatus!]) {
          assignments(first: $first, after: $after, filter: { status: $status }) {
            ...Page
            __shardEdges: edges {
              cursor
            }
            __shardPageInfo: pageInfo {
              hasNextPage
            }
          }
        }
        fragment Page on AssignmentConnection {
          edges {
            cursor
            node {
              ...Row
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
        fragment Row on Assignment {
          id
          status
        }
      `),
    );
  });

  it('does not change the parsed operation when adding selections', () => {
    singleFieldOperation(parsed, assignments!, MERGE_SELECTIONS);

    expect(assignments!.selectionSet!.selections).toHaveLength(1);
    expect(print(parsed.document)).toBe(normal(DASHBOARD));
  });

  it('keeps the alias of the field and the operation type', () => {
    const mutation = parseOperation(/* GraphQL */ `
      mutation Accept($id: ID!, $note: String) {
        accepted: acceptAssignment(id: $id) {
          id
        }
        other: withdrawAssignment(id: $id, reason: $note) {
          id
        }
      }
    `);

    expect(singleFieldOperation(mutation, mutation.rootFields[0]!)).toBe(
      normal(/* GraphQL */ `
        mutation Accept($id: ID!) {
          accepted: acceptAssignment(id: $id) {
            id
          }
        }
      `),
    );
  });

  it('builds a field from a small selection', () => {
    const field = fieldFromSelection('__shardPageInfo: pageInfo { hasNextPage }');

    expect(field.alias?.value).toBe('__shardPageInfo');
    expect(field.name.value).toBe('pageInfo');
    expect(print(field)).toBe('__shardPageInfo: pageInfo {\n  hasNextPage\n}');
  });
});

describe('reading a root field argument', () => {
  const parsed = parseOperation(/* GraphQL */ `
    query Filtered($first: Int, $home: String, $extra: AssignmentStatus, $after: String) {
      assignments(
        first: $first
        after: $after
        filter: { status: [ACTIVE, $extra], homeMunicipality: $home, receivingMunicipality: null }
      ) {
        pageInfo {
          hasNextPage
        }
      }
      literal: tuning(ratio: 0.75, strict: true, name: "Göteborg", count: 3, kind: PER_HOUR, ids: ["a", "b"])
    }
  `);
  const [list, literal] = parsed.rootFields;

  it('substitutes variables, also inside lists and input objects', () => {
    const variables = { first: 5, home: '1480', extra: 'PROPOSED', after: 'WyIyMDI0Il0' };

    expect(argumentValue(list!, 'first', variables)).toBe(5);
    expect(argumentValue(list!, 'after', variables)).toBe('WyIyMDI0Il0');
    expect(argumentValue(list!, 'filter', variables)).toEqual({
      status: ['ACTIVE', 'PROPOSED'],
      homeMunicipality: '1480',
      receivingMunicipality: null,
    });
  });

  it('reads literals of every kind', () => {
    expect(argumentValue(literal!, 'ratio')).toBe(0.75);
    expect(argumentValue(literal!, 'strict')).toBe(true);
    expect(argumentValue(literal!, 'name')).toBe('Göteborg');
    expect(argumentValue(literal!, 'count')).toBe(3);
    expect(argumentValue(literal!, 'kind')).toBe('PER_HOUR');
    expect(argumentValue(literal!, 'ids')).toEqual(['a', 'b']);
  });

  it('is undefined for an argument not given, or a variable not sent', () => {
    expect(argumentValue(list!, 'orderBy', { first: 5 })).toBeUndefined();
    expect(argumentValue(list!, 'first', {})).toBeUndefined();
    expect(argumentValue(list!, 'filter', { home: '0180' })).toEqual({
      status: ['ACTIVE', undefined],
      homeMunicipality: '0180',
      receivingMunicipality: null,
    });
  });
});

describe('parsing a subgraph operation', () => {
  it('parses the same string once and hands back the same result', () => {
    const query = /* GraphQL */ `
      query Cached {
        assignment(id: "asg:0180:1480:00000000-0000-4000-8000-000000000001") {
          id
        }
      }
    `;

    const first = parseOperation(query);
    const second = parseOperation(query);

    expect(second).toBe(first);
    expect(first.rootFields.map((f) => f.name.value)).toEqual(['assignment']);
    expect(parseOperation(`${query} `)).not.toBe(first);
  });

  it('keeps an operation in use while a thousand others pass through', () => {
    const inUse = parseOperation('query InUse { assignments { pageInfo { hasNextPage } } }');
    const others = (from: number) => {
      for (let i = from; i < from + 999; i += 1)
        parseOperation(`query Other${i} { assignment(id: "${i}") { id } }`);
    };

    others(0);
    expect(parseOperation('query InUse { assignments { pageInfo { hasNextPage } } }')).toBe(inUse);
    others(1000);

    // Least recently used, not first in: the planner's steady operations are not parsed again.
    expect(parseOperation('query InUse { assignments { pageInfo { hasNextPage } } }')).toBe(inUse);
  });

  it('finds root fields behind inline fragments and fragment spreads', () => {
    const parsed = parseOperation(/* GraphQL */ `
      query Root {
        __typename
        ... on Query {
          assignment(id: "x") {
            id
          }
        }
        ...Lists
      }
      fragment Lists on Query {
        assignments {
          pageInfo {
            hasNextPage
          }
        }
      }
    `);

    expect(parsed.rootFields.map((f) => f.name.value)).toEqual(['__typename', 'assignment', 'assignments']);
    expect([...parsed.fragments.keys()]).toEqual(['Lists']);
    expect(parsed.operation.name?.value).toBe('Root');
  });

  it('refuses a document with more than one operation', () => {
    expect(() => parseOperation('query A { a } query B { b }')).toThrow(
      'Expected exactly one operation in a subgraph request',
    );
  });
});
