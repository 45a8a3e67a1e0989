// Which operations the gateway may send to a role itself (routing/singleFetch.ts),
// learnt from Apollo's real plans over the checked-in supergraph, and the
// shape an answer must have to be returned as it came.
import type { GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../gateway/context';
import {
  conformsTo,
  fetchRequest,
  SingleFetches,
  takePrefetched,
  type SingleFetch,
} from '../../gateway/routing/singleFetch';
import { supergraphGateway } from '../../gateway/supergraph';

const SINGLE = `query Single($id: ID!) {
  assignment(id: $id) {
    id
    status
    planSummary {
      version
      estimatedTotal { amount currency }
    }
  }
}`;

const NOT_ONE_FETCH: Record<string, string> = {
  'a fragment': `query F($id: ID!) { assignment(id: $id) { ...A } } fragment A on Assignment { id }`,
  'an inline fragment': `query I($id: ID!) { assignment(id: $id) { ... on Assignment { id } } }`,
  'a directive': `query D($id: ID!, $yes: Boolean!) { assignment(id: $id) { id status @include(if: $yes) } }`,
  '__typename at the root': `query T($id: ID!) { __typename assignment(id: $id) { id } }`,
  'two roles': `query C($id: ID!) { assignment(id: $id) { id response { decision } } }`,
  'the agreement data, answered in the gateway': `query M { municipalities { code } }`,
  'a role and the agreement data': `query B($id: ID!) { municipalities { code } assignment(id: $id) { id } }`,
  'a mutation': `mutation W($id: ID!) { withdrawAssignment(id: $id, reason: "test") { id } }`,
};

const context: GatewayContext = {
  principal: { municipality: '0180', unit: null, subject: 'unit-test', permissions: [] },
  traceId: '0af7651916cd43dd8448eb211c80319c',
};
// Planning is what is learnt; the answers do not matter here.
const source: GraphQLDataSource<GatewayContext> = { process: () => Promise.resolve({ data: null }) };

const fetches = new SingleFetches();
const server = new ApolloServer<GatewayContext>({
  gateway: supergraphGateway({
    dataSources: { casework: source, execution: source, agreement: source },
    queryPlanCacheMiB: 1,
    didResolveQueryPlan: fetches.learn,
  }),
});

/** What the gateway learnt of an operation Apollo planned (and failed to run: the source answers null). */
async function learnt(
  query: string,
  variables: Record<string, unknown> = {},
  operationName?: string,
): Promise<SingleFetch | undefined> {
  const { body } = await server.executeOperation(
    { query, variables, operationName },
    { contextValue: context },
  );
  const errors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
  // Planned, so learnt: refused before planning, nothing would be.
  const codes = errors.map((e) => e.extensions?.code);
  expect(codes).not.toContain('GRAPHQL_VALIDATION_FAILED');
  expect(codes).not.toContain('BAD_USER_INPUT');
  expect(fetches.learnt(query, operationName)).toBe(true);
  return fetches.lookup(query, operationName);
}

beforeAll(() => server.start());
afterAll(() => server.stop());

describe('operations one role answers whole', () => {
  it('are learnt from the plan: one casework fetch asking exactly what the client asked', async () => {
    const fetch = await learnt(SINGLE, { id: 'asg:0180:1280:x' });
    expect(fetch?.role).toBe('casework');
    expect(fetch?.variableNames).toEqual(['id']);
    expect(fetch?.query).toMatch(/^query Single__casework__0\(\$id:ID!\)\{assignment\(id:\$id\)\{/);
    expect(fetchRequest(fetch!, { id: 'asg:x', unused: 1 })).toEqual({
      query: fetch!.query,
      operationName: fetch!.operationName,
      variables: { id: 'asg:x' },
    });
  });

  it.each(Object.entries(NOT_ONE_FETCH))('are not operations with %s', async (_, query) => {
    const variables = { id: 'asg:0180:1280:x', yes: true };
    expect(await learnt(query, variables)).toBeUndefined();
  });

  it('are looked up by their text and operation name, as sent', async () => {
    await learnt(SINGLE, { id: 'asg:0180:1280:x' });
    expect(fetches.lookup(SINGLE, undefined)).toBeDefined();
    expect(fetches.lookup(SINGLE, null)).toBeDefined();
    expect(fetches.lookup(SINGLE, 'Single')).toBeUndefined();
    expect(fetches.lookup(`${SINGLE} `, undefined)).toBeUndefined();
  });

  it('are never found under a name that is not a GraphQL name', async () => {
    const text = 'query Single($id: ID!) {';
    expect(SINGLE[text.length]).toBe('\n');
    const rest = SINGLE.slice(text.length + 1);
    await learnt(SINGLE, { id: 'asg:0180:1280:x' });
    expect(await learnt(SINGLE, { id: 'asg:0180:1280:x' }, 'Single')).toBeDefined();
    // A newline in the name would otherwise join it to a text that is a different document.
    expect(fetches.lookup(rest, `Single\n${text}`)).toBeUndefined();
    expect(fetches.lookup(SINGLE, '')).toBeUndefined();
    expect(fetches.learnt(SINGLE, '')).toBe(false);
  });

  it('pick the client’s variables as Apollo does, a variable named __proto__ included', async () => {
    const query = `query P($__proto__: ID!) { assignment(id: $__proto__) { id } }`;
    const variables = JSON.parse('{"__proto__": "asg:0180:1280:x"}') as Record<string, unknown>;
    const fetch = await learnt(query, variables);
    expect(fetch?.variableNames).toEqual(['__proto__']);
    expect(JSON.stringify(fetchRequest(fetch!, variables).variables)).toBe('{"__proto__":"asg:0180:1280:x"}');
  });
});

describe('an answer returned as it came', () => {
  const plan = async () => (await learnt(SINGLE, { id: 'asg:0180:1280:x' }))!;
  const answer = () => ({
    assignment: {
      id: 'asg:0180:1280:x',
      status: 'ACTIVE',
      planSummary: { version: 2, estimatedTotal: { amount: '12.50', currency: 'SEK' } },
    },
  });

  it('has exactly the operation’s fields, each of its type; null where the schema allows it', async () => {
    const { shape } = await plan();
    expect(conformsTo(answer(), shape)).toBe(true);
    expect(conformsTo({ assignment: null }, shape)).toBe(true);
    expect(conformsTo({ assignment: { ...answer().assignment, planSummary: null } }, shape)).toBe(true);
  });

  it('is not one with a field added, missing, of another type, or null where it may not be', async () => {
    const { shape } = await plan();
    const broken = (change: (a: ReturnType<typeof answer>['assignment']) => void) => {
      const data = answer();
      change(data.assignment);
      return conformsTo(data, shape);
    };
    expect(broken((a) => Object.assign(a, { personalIdentityNumber: '19900101-1234' }))).toBe(false);
    expect(broken((a) => delete (a as Partial<typeof a>).status)).toBe(false);
    expect(broken((a) => Object.assign(a, { status: 'NOT_A_STATUS' }))).toBe(false);
    expect(broken((a) => Object.assign(a, { id: 7 }))).toBe(false);
    expect(broken((a) => Object.assign(a, { id: null }))).toBe(false);
    expect(broken((a) => Object.assign(a.planSummary, { version: 2.5 }))).toBe(false);
    expect(broken((a) => Object.assign(a.planSummary, { estimatedTotal: [] }))).toBe(false);
    expect(broken((a) => Object.assign(a.planSummary, { version: 2 ** 31 }))).toBe(false);
    expect(conformsTo({ assignment: answer().assignment, extra: 1 }, shape)).toBe(false);
    const { id, status, planSummary } = answer().assignment;
    expect(conformsTo({ assignment: { status, id, planSummary } }, shape)).toBe(false);
    expect(conformsTo(JSON.parse('{"assignment": null, "__proto__": {}}'), shape)).toBe(false);
    expect(conformsTo(null, shape)).toBe(false);
  });
});

describe('an answer handed to Apollo', () => {
  const request = { query: 'query Q { a }', operationName: 'Q', variables: { id: '1' } };
  const response = { data: { a: 1 } };

  it('answers Apollo’s fetch once, only for the very request it answers', () => {
    const holder: GatewayContext = {
      ...context,
      prefetched: { role: 'casework', request, response },
    };
    expect(takePrefetched(holder, 'execution', request)).toBeUndefined();
    expect(takePrefetched(holder, 'casework', { ...request, variables: { id: '2' } })).toBeUndefined();
    expect(takePrefetched(holder, 'casework', { ...request, operationName: 'R' })).toBeUndefined();
    expect(takePrefetched(holder, 'casework', request)).toBe(response);
    expect(takePrefetched(holder, 'casework', request)).toBeUndefined();
  });
});
