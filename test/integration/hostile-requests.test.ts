// Hostile and careless requests against a network in production mode: every
// one gets a well-formed GraphQL error with a stable code, no process falls
// over, no stack trace leaves a process, and nothing is written.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayKeyFiles } from '../../runtime/keys';
import { readPrivateJwk } from '../../runtime/keys';
import { randomUUID } from 'node:crypto';
import {
  BODY_HASH_CLAIM,
  bodyHash,
  PRINCIPAL_HEADER,
  principalSigner,
} from '../../schema/contract/principal';
import { demoId } from '../../subgraphs/cities/demo-ids';
import { TEST_AUDIENCE } from '../support/identityProvider';
import { startTestNetwork, type TestNetwork } from '../support/network';

const STABLE_CODES = new Set([
  'BAD_REQUEST',
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'OPERATION_NOT_TRUSTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

interface Reply {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

describe('hostile and careless requests (production mode)', () => {
  let network: TestNetwork;
  let token: string;
  beforeAll(async () => {
    network = await startTestNetwork({ production: true });
    token = await network.token('0180');
  });
  afterAll(() => network?.stop());

  async function send(
    body: string,
    headers: Record<string, string> = {},
    url = network.gatewayUrl,
  ): Promise<Reply> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body,
    });
    const text = await response.text();
    let parsed: Reply['body'];
    try {
      parsed = JSON.parse(text) as Reply['body'];
    } catch {
      throw new Error(`HTTP ${response.status} without a JSON body: ${text.slice(0, 200)}`);
    }
    return { status: response.status, body: parsed };
  }

  const query = (q: string, variables?: unknown, headers?: Record<string, string>) =>
    send(JSON.stringify({ query: q, variables }), headers);

  /** A refusal: 4xx or 200, a GraphQL error with a stable code, no stack trace anywhere. */
  function expectRefused(reply: Reply, code?: string) {
    expect(reply.status).toBeLessThan(500);
    expect(reply.body.errors?.length, JSON.stringify(reply.body)).toBeGreaterThan(0);
    for (const error of reply.body.errors!) {
      expect(STABLE_CODES, JSON.stringify(error)).toContain(error.extensions?.code);
      expect(error.extensions?.stacktrace).toBeUndefined();
    }
    if (code) expect(reply.body.errors![0]!.extensions?.code).toBe(code);
  }

  it('answers malformed bodies, batches and oversized variables with GraphQL errors', async () => {
    expectRefused(await send('{"query": "{ municipalities { code } '), 'BAD_REQUEST');
    expectRefused(
      await send('[{"query":"{ municipalities { code } }"},{"query":"{ municipalities { code } }"}]'),
    );
    expectRefused(
      await send(
        JSON.stringify({ query: '{ municipalities { code } }', variables: { x: 'x'.repeat(200_000) } }),
      ),
      'BAD_REQUEST',
    );
    expectRefused(await send('{"query": 42}'));
    expectRefused(await send('not json at all', { 'content-type': 'text/plain' }));
  });

  it('refuses deeply nested, alias-bomb and oversized queries before asking any city', async () => {
    const deep = `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }`;
    expectRefused(await query(deep));
    const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: municipalities { code }`).join(' ');
    expectRefused(await query(`{ ${aliases} }`));
    const fields = Array.from({ length: 2000 }, () => 'code').join(' ');
    expectRefused(await query(`{ municipalities { ${fields} } }`));
    expectRefused(await query('{ __schema { types { name } } }'));
  });

  it('refuses wrong types and gives injection-looking or odd strings no special meaning', async () => {
    expectRefused(
      await query('{ assignments(first: "ten") { edges { cursor } } }'),
      'GRAPHQL_VALIDATION_FAILED',
    );
    expectRefused(
      await query('query ($n: Int) { assignments(first: $n) { edges { cursor } } }', { n: 'ten' }),
      'BAD_USER_INPUT',
    );
    expectRefused(
      await query('{ assignments(first: 5, after: "\\u0000\\u202e") { edges { cursor } } }'),
      'BAD_USER_INPUT',
    );
    for (const id of [
      "'; DROP TABLE assignment; --",
      'asg:0180:1280:../../etc/passwd',
      '\u202easg\u0000',
      '🙂'.repeat(50),
    ]) {
      const reply = await query('query ($id: ID!) { assignment(id: $id) { id } }', { id });
      expect(reply.body).toEqual({ data: { assignment: null } });
    }
    const filtered = await query(
      `query ($f: AssignmentFilter) { assignments(filter: $f) { edges { cursor } pageInfo { hasNextPage } } }`,
      { f: { homeMunicipality: "0180' OR '1'='1" } },
    );
    expect(filtered.body).toEqual({ data: { assignments: { edges: [], pageInfo: { hasNextPage: false } } } });
  });

  it('refuses forged, expired, misaddressed and unsigned tokens', async () => {
    const provider = network.identityProvider!;
    const header = (t: string) => ({ authorization: `Bearer ${t}` });
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({
        municipality: '0180',
        roles: ['caseworker'],
        iss: provider.issuerOf('0180'),
        aud: TEST_AUDIENCE,
        sub: 'mallory',
        exp: 9_999_999_999,
      }),
    ).toString('base64url')}.`;
    const gothenburgsKey = (await provider.mint('1480')).split('.')[0]!;
    const gothenburgsKid = (
      JSON.parse(Buffer.from(gothenburgsKey, 'base64url').toString()) as { kid: string }
    ).kid;
    const forgedTokens = [
      await provider.mint('0180', { expiresIn: '-1m' }),
      await provider.mint('0180', { expiresIn: null }),
      await provider.mint('0180', {}, (j) => j.setNotBefore('10m')),
      await provider.mint('0180', {}, (j) => j.setAudience('urn:someone-else')),
      await provider.mint('0180', {}, (j) => j.setIssuer(provider.issuerOf('9999'))),
      // Signed with Göteborg's key but claiming Stockholm's issuer.
      await provider.mint('0180', { kid: gothenburgsKid }),
      // Göteborg's issuer vouching for a Stockholm person.
      await provider.mint('1480', { municipality: '0180' }),
      none,
      'not-a-jwt',
    ];
    for (const forged of forgedTokens) {
      const reply = await query('{ municipalities { code } }', undefined, header(forged));
      expect(reply.status, forged).toBe(401);
      expectRefused(reply, 'UNAUTHENTICATED');
    }
  });

  it('refuses direct calls to a city without a gateway signature, or with one addressed to another city', async () => {
    const malmo = network.cities.get('1280')!.url;
    const gatewayKey = readPrivateJwk(gatewayKeyFiles(network.keysDir).privateJwk);
    const signForCity = await principalSigner(gatewayKey);
    const toStockholm = await signForCity(
      { municipality: '0180', unit: null, subject: 'replay', permissions: ['caseworker'] },
      '0180',
    );
    for (const role of ['casework', 'execution']) {
      for (const headers of [{}, { [PRINCIPAL_HEADER]: toStockholm }] as Record<string, string>[]) {
        const reply = await send(
          JSON.stringify({
            query: 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
            variables: { r: [] },
          }),
          headers,
          `${malmo}/${role}/graphql`,
        );
        expect(reply.status).toBe(401);
        expectRefused(reply, 'UNAUTHENTICATED');
      }
    }
  });

  it('returns nothing to a non-party that reaches a city with a forged representation', async () => {
    const malmo = network.cities.get('1280')!.url;
    const signForCity = await principalSigner(readPrivateJwk(gatewayKeyFiles(network.keysDir).privateJwk));
    // A genuine signature for Göteborg, asking Malmö about a Stockholm → Malmö assignment.
    const body = JSON.stringify({
      query:
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Assignment { id costs { total { amount } } } } }',
      variables: {
        r: [{ __typename: 'Assignment', id: 'asg:0180:1280:00000000-0000-4000-8000-000000000001' }],
      },
    });
    const asGothenburg = await signForCity(
      { municipality: '1480', unit: null, subject: 'curious', permissions: ['caseworker'] },
      '1280',
      // A principal is bound to one request and its body.
      { jti: randomUUID(), claims: { [BODY_HASH_CLAIM]: bodyHash(body) } },
    );
    const reply = await send(body, { [PRINCIPAL_HEADER]: asGothenburg }, `${malmo}/execution/graphql`);
    expect(reply.body).toEqual({ data: { _entities: [null] } });
  });

  it('refuses an empty operation name before asking any city, so a mutation sent with one is not applied', async () => {
    const proposed = demoId('asg', '0180', '1480', 4);
    const withdraw = `mutation Withdraw($id: ID!) { withdrawAssignment(id: $id, reason: "testing") { id status } }`;
    expectRefused(
      await send(JSON.stringify({ query: withdraw, variables: { id: proposed }, operationName: '' })),
      'OPERATION_RESOLUTION_FAILURE',
    );
    const { body } = await query('query ($id: ID!) { assignment(id: $id) { status } }', { id: proposed });
    expect(body).toEqual({ data: { assignment: { status: 'PROPOSED' } } });
  });

  it('is still answering, with nothing written', async () => {
    const list = await network.query<{ assignments: { edges: unknown[] } }>(
      '0180',
      '{ assignments(first: 50) { edges { cursor } } }',
    );
    expect(list.data?.assignments.edges).toHaveLength(6);
  });

  it('has no way to reach any field of the internal record through the gateway', async () => {
    const internal = parse(readFileSync(new URL('../../schema/internal.graphql', import.meta.url), 'utf8'));
    const names = new Set<string>();
    for (const definition of internal.definitions) {
      if ('fields' in definition && definition.fields)
        for (const field of definition.fields) names.add(field.name.value);
    }
    // Names the agreed set shares with the internal record (an assignment's own id, status and dates).
    const own = new Set([
      'withdrawnAt',
      'id',
      'status',
      'updatedAt',
      'receivingMunicipality',
      'homeMunicipality',
      'assignments',
      'name',
      'kind',
      'date',
      'sequence',
      'hash',
      'municipality',
      'anchor',
    ]);
    const personal = [...names].filter((name) => !own.has(name));
    expect(personal).toEqual(
      expect.arrayContaining(['personName', 'personalIdentityNumber', 'threat', 'notes', 'disclosureBases']),
    );
    for (const name of personal) {
      for (const q of [`{ assignment(id: "x") { ${name} } }`, `{ ${name} }`]) {
        const reply = await query(q);
        expectRefused(reply, 'GRAPHQL_VALIDATION_FAILED');
      }
    }
  });

  it('sends no CORS permission to an origin that is not on the allow-list', async () => {
    const response = await fetch(network.gatewayUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
