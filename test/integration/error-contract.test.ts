// The error contract as an integrator meets it, on one development-mode
// network: one error per reason, limits refused once at the edge, one
// mutation field per operation, a non-party told nothing by a mutation, no
// stack traces unless asked for, an expired token said to be expired, and an
// unknown agreement's report one 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../gateway/auth/devIssuer';
import { formatId } from '../../schema/contract/ids';
import { startTestNetwork, type GraphQLResult, type TestNetwork } from '../support/network';
import { ok } from '../support/workflow';

type Errors = NonNullable<GraphQLResult['errors']>;

function expectNoStacktraces(errors: Errors | undefined) {
  for (const error of errors ?? []) {
    expect(error.extensions?.stacktrace, JSON.stringify(error)).toBeUndefined();
    expect(error.extensions?.exception, JSON.stringify(error)).toBeUndefined();
  }
}

describe('the error contract at the gateway', () => {
  let network: TestNetwork;
  /** An assignment of the demo data, with the one municipality that is not a party to it. */
  let demo: { id: string; home: string; receiving: string; outsider: string };

  beforeAll(async () => {
    network = await startTestNetwork();
    const data = ok(
      await network.query<{
        assignments: {
          edges: { node: { id: string; homeMunicipality: string; receivingMunicipality: string } }[];
        };
      }>(
        '0180',
        '{ assignments(first: 1) { edges { node { id homeMunicipality receivingMunicipality } } } }',
      ),
    );
    const node = data.assignments.edges[0]!.node;
    const outsider = ['0180', '1480', '1280'].find(
      (code) => code !== node.homeMunicipality && code !== node.receivingMunicipality,
    )!;
    demo = { id: node.id, home: node.homeMunicipality, receiving: node.receivingMunicipality, outsider };
  });
  afterAll(() => network?.stop());

  it('answers a refusal every city gives alike once, naming the cities, and the list null', async () => {
    const result = await network.query('0180', '{ networkBalance { municipality } }', {}, ['caseworker']);

    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors!;
    expect(error!.extensions?.code).toBe('FORBIDDEN');
    expect((error!.extensions?.municipalities as string[]).sort()).toEqual(['0180', '1280', '1480']);
    expect(error!.message).toMatch(/\(municipalities \d{4}, \d{4}, \d{4}\)$/);
    expectNoStacktraces(result.errors);
  });

  it.each([
    ['a literal', '{ assignments(first: 101) { edges { cursor } } }', {}],
    ['a variable', 'query ($n: Int) { assignments(first: $n) { edges { cursor } } }', { n: 0 }],
  ])(
    'refuses first outside 1-100 given as %s once, with the range, and no page',
    async (_, query, variables) => {
      const result = await network.query('0180', query, variables);

      expect(result.status).toBe(200);
      expect(result.data).toBeUndefined();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.message).toMatch(/^first must be between 1 and 100/);
      expect(result.errors![0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'first',
        max: 100,
      });
      expectNoStacktraces(result.errors);
    },
  );

  it('answers such a refusal with HTTP 400 to a client accepting application/graphql-response+json', async () => {
    const response = await network.fetch(network.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${await network.token('0180')}`,
      },
      body: JSON.stringify({ query: '{ assignments(first: 101) { edges { cursor } } }' }),
    });
    const body = (await response.json()) as GraphQLResult;

    expect(response.status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('names the cost limit, the cost found and how to lower it', async () => {
    const result = await network.query(
      '0180',
      `{ assignments(first: 100) { edges { node { id status planSummary { items { category
        estimatedCost { amount } } } costs { total { amount } } } } } }`,
    );

    expect(result.status).toBe(200);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toMatch(
      /^The operation's estimated cost is [\d.]+, above the limit of 5000: ask for fewer items per page/,
    );
    expect(result.errors![0]!.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'cost',
      maximum: 5000,
    });
  });

  it('refuses two mutation fields in one operation before either runs', async () => {
    const STATE = 'query ($id: ID!) { assignment(id: $id) { status updatedAt } }';
    const before = ok(await network.query(demo.home, STATE, { id: demo.id }));
    const result = await network.query(
      demo.home,
      `mutation ($id: ID!) {
        first: withdrawAssignment(id: $id, reason: "Test") { id status }
        second: terminateAssignment(id: $id, reason: OTHER) { id status }
      }`,
      { id: demo.id },
    );

    expect(result.status).toBe(200);
    expect(result.data).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toMatch(
      /^An operation may hold one mutation field; this one holds 2 \(withdrawAssignment, terminateAssignment\)/,
    );
    expect(result.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(ok(await network.query(demo.home, STATE, { id: demo.id }))).toEqual(before);
  });

  it('tells a non-party from a mutation no more than for an id that does not exist, as a read does', async () => {
    const missing = formatId('asg', demo.home, demo.receiving);
    const asOutsider = (mutation: string, id: string) => network.query(demo.outsider, mutation, { id });
    for (const mutation of [
      'mutation ($id: ID!) { withdrawAssignment(id: $id, reason: "Test") { id } }',
      'mutation ($id: ID!) { respondToAssignment(id: $id, decision: ACCEPT) { id } }',
      'mutation ($id: ID!) { completeAssignment(id: $id) { id } }',
    ]) {
      const existing = await asOutsider(mutation, demo.id);
      const absent = await asOutsider(mutation, missing);
      expect(existing.errors?.[0]?.extensions?.code, JSON.stringify(existing.errors)).toBe('NOT_FOUND');
      expect(existing.errors).toEqual(absent.errors);
      expect(existing.data).toEqual(absent.data);
    }
    const read = await network.query(demo.outsider, 'query ($id: ID!) { assignment(id: $id) { id } }', {
      id: demo.id,
    });
    expect(read).toMatchObject({ data: { assignment: null } });
    expect(read.errors).toBeUndefined();
  });

  it('refuses a reconciliation to a municipality that is not one of its parties as documented', async () => {
    const result = await network.query(
      '1480',
      '{ reconciliation(between: ["0180", "1280"], period: 1) { status } }',
    );

    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      rules: ['NOT_A_PARTY_TO_RECONCILIATION'],
    });
    expectNoStacktraces(result.errors);
  });

  it('sends no stack trace from a city’s internal API either', async () => {
    const result = await network.internal('0180', '{ noSuchField }');

    expect(result.errors?.length).toBeGreaterThan(0);
    expectNoStacktraces(result.errors);
  });

  it('says that an expired token expired', async () => {
    const expired = await mintDevToken(network.keysDir, { municipality: '0180', expiresIn: '-5 minutes' });
    const response = await network.fetch(network.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${expired}` },
      body: JSON.stringify({ query: '{ municipalities { code } }' }),
    });
    const body = (await response.json()) as GraphQLResult;

    expect(response.status).toBe(401);
    expect(body.errors?.[0]?.message).toMatch(
      /^The bearer token expired at \d{4}-\d\d-\d\dT.*: get a new one$/,
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers the evaluation CSV of an unknown agreement with one 404', async () => {
    const response = await network.fetch(
      `${network.gatewayUrl.replace(/\/graphql$/, '')}/reports/evaluation.csv?agreement=no-such-agreement`,
      { headers: { authorization: `Bearer ${await network.token('0180')}` } },
    );
    const body = (await response.json()) as GraphQLResult;

    expect(response.status).toBe(404);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND' });
    expect(body.errors![0]!.message).toMatch(/^No agreement no-such-agreement in this network; agreements: /);
  });
});
