// An operation one role answers whole is sent by the gateway itself
// (gateway/singleFetchAnswers.ts). Two replicas in front of the same cities,
// one answering such operations itself and one sending every request
// through Apollo, must give the same status, headers and body for the same
// requests: plain answers, refusals, errors from a city, and operations the
// gateway leaves to Apollo. A request answered with an error is sent to the
// city once, then shaped by Apollo.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../subgraphs/cities/demo-ids';
import { LIST_PAGE as LIST } from '../support/assignments';
import { oneDatabaseKind, startTestNetwork, type TestNetwork } from '../support/network';

// The gateway's own behaviour: one database, not each in turn.
const kinds = [await oneDatabaseKind()];

const SINGLE = /* GraphQL */ `
  query Single($id: ID!) {
    assignment(id: $id) {
      id
      status
      homeMunicipality
      receivingMunicipality
      planSummary {
        version
        estimatedTotal {
          amount
          currency
        }
      }
    }
  }
`;

const WITH_FRAGMENT = /* GraphQL */ `
  query WithFragment($id: ID!) {
    assignment(id: $id) {
      ...Status
    }
  }
  fragment Status on Assignment {
    id
    status
  }
`;

const WITH_TYPENAME = /* GraphQL */ `
  query WithTypename($id: ID!) {
    __typename
    assignment(id: $id) {
      __typename
      id
    }
  }
`;

const STOCKHOLM_ASSIGNMENT = demoId('asg', '0180', '1280', 1);
const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789';

// Not in the manifest both replicas trust: refused by both.
const UNTRUSTED = /* GraphQL */ `
  query Untrusted($id: ID!) {
    assignment(id: $id) {
      id
    }
  }
`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Sent {
  status: number;
  /** Every header but the date and the trace id, which differ from one answer to the next. */
  headers: Record<string, string>;
  /** The body as sent, byte for byte. */
  text: string;
  body: unknown;
}

describe.each(kinds)('operations one role answers whole (%s)', (kind) => {
  let network: TestNetwork;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'single-fetch-'));
    const manifest = join(dir, 'trusted-documents.json');
    const trusted = [SINGLE, LIST, WITH_FRAGMENT, WITH_TYPENAME];
    writeFileSync(manifest, JSON.stringify(Object.fromEntries(trusted.map((text) => [sha256(text), text]))));
    network = await startTestNetwork({
      database: kind,
      production: true,
      gateways: 2,
      env: { METRICS_TOKEN, TRUSTED_DOCUMENTS_FILE: manifest },
      replicaEnv: [{ SINGLE_FETCH_ANSWERS: 'true' }, { SINGLE_FETCH_ANSWERS: 'false' }],
    });
  });
  afterAll(async () => {
    await network?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const urls = () => [network.replica(0).url, network.replica(1).url] as const;

  async function send(
    url: string,
    payload: Record<string, unknown>,
    { municipality = '0180', permissions, accept, token = true }: SendOptions = {},
  ): Promise<Sent> {
    const response = await network.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(accept ? { accept } : {}),
        ...(token ? { authorization: `Bearer ${await network.token(municipality, permissions)}` } : {}),
      },
      body: JSON.stringify(payload),
    });
    const headers = Object.fromEntries(
      [...response.headers].filter(([name]) => name !== 'date' && name !== 'x-trace-id'),
    );
    const text = await response.text();
    return { status: response.status, headers, text, body: JSON.parse(text) };
  }

  const metrics = async (index: 0 | 1) =>
    (
      await network.fetch(urls()[index].replace(/graphql$/, 'metrics'), {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      })
    ).text();

  function counted(text: string, name: string, labels: string): number {
    const pattern = new RegExp(`^${name}\\{${labels}\\} (\\d+)`, 'm');
    return Number(pattern.exec(text)?.[1] ?? 0);
  }

  /** How replica 0 answered so far: by itself, or shaped by Apollo after its own call. */
  async function outcomes() {
    const text = await metrics(0);
    const of = (outcome: string) =>
      counted(text, 'gateway_single_fetch_answers_total', `role="casework",outcome="${outcome}"`);
    return { answered: of('answered'), shaped: of('shaped') };
  }

  /**
   * The same request through both replicas; replica 0 is sent it once
   * before, to learn its plan. `how` says how replica 0 answered it.
   */
  async function both(payload: Record<string, unknown>, options: SendOptions = {}) {
    const [direct, apollo] = urls();
    await send(direct, payload, options);
    const before = await outcomes();
    const viaGateway = await send(direct, payload, options);
    const after = await outcomes();
    const how =
      after.answered > before.answered ? 'answered' : after.shaped > before.shaped ? 'shaped' : 'apollo';
    return { direct: viaGateway, apollo: await send(apollo, payload, options), how };
  }

  const errorsOf = (sent: Sent) => (sent.body as { errors?: unknown[] }).errors ?? [];

  it('answers a read of one assignment itself, with what Apollo would send', async () => {
    const { direct, apollo, how } = await both({ query: SINGLE, variables: { id: STOCKHOLM_ASSIGNMENT } });
    expect(how).toBe('answered');
    expect(direct).toEqual(apollo);
    expect(direct.status).toBe(200);
    expect(direct.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(direct.headers['cache-control']).toBe('no-store');
    expect((direct.body as { data: { assignment: { id: string } } }).data.assignment.id).toBe(
      STOCKHOLM_ASSIGNMENT,
    );
    expect(await metrics(1)).not.toMatch(/gateway_single_fetch_answers_total\{/);
  });

  it('answers a page of the list merged from every city, and null for an unknown id', async () => {
    const page = await both({ query: LIST, variables: { first: 3 } });
    expect(page.how).toBe('answered');
    expect(page.direct).toEqual(page.apollo);
    const edges = (page.direct.body as { data: { assignments: { edges: unknown[] } } }).data.assignments
      .edges;
    expect(edges).toHaveLength(3);
    const missing = await both({ query: SINGLE, variables: { id: demoId('asg', '0180', '1280', 999) } });
    expect(missing.how).toBe('answered');
    expect(missing.direct).toEqual(missing.apollo);
    expect(missing.direct.body).toEqual({ data: { assignment: null } });
  });

  it('chooses the media type as Apollo does', async () => {
    for (const accept of [
      'application/graphql-response+json, application/json;q=0.9',
      'application/json',
      '*/*',
      'text/html',
    ]) {
      const { direct, apollo } = await both(
        { query: SINGLE, variables: { id: STOCKHOLM_ASSIGNMENT } },
        { accept },
      );
      expect(direct, accept).toEqual(apollo);
    }
  });

  it('leaves refusals before any city call to Apollo: variables, page sizes, tokens', async () => {
    const refusals: [Record<string, unknown>, SendOptions][] = [
      [{ query: SINGLE, variables: {} }, {}],
      [{ query: SINGLE, variables: { id: true } }, {}],
      [{ query: LIST, variables: { first: 100_000 } }, {}],
      [{ query: SINGLE, variables: { id: STOCKHOLM_ASSIGNMENT } }, { token: false }],
      [{ query: SINGLE, variables: { id: STOCKHOLM_ASSIGNMENT }, operationName: 'Other' }, {}],
      [{ query: SINGLE, variables: { id: STOCKHOLM_ASSIGNMENT }, operationName: '' }, {}],
      [{ query: UNTRUSTED, variables: { id: STOCKHOLM_ASSIGNMENT } }, {}],
    ];
    for (const [payload, options] of refusals) {
      const { direct, apollo, how } = await both(payload, options);
      const about = JSON.stringify({ payload, options });
      expect(how, about).toBe('apollo');
      expect(direct, about).toEqual(apollo);
      expect(errorsOf(direct).length, about).toBeGreaterThan(0);
    }
  });

  it('answers a trusted document sent by its hash alone, as the web app sends them', async () => {
    const { direct, apollo, how } = await both({
      variables: { id: STOCKHOLM_ASSIGNMENT },
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(SINGLE) } },
    });
    expect(how).toBe('answered');
    expect(direct).toEqual(apollo);
    expect((direct.body as { data: { assignment: { id: string } } }).data.assignment.id).toBe(
      STOCKHOLM_ASSIGNMENT,
    );
  });

  it('leaves fragments and __typename outside the fetch to Apollo', async () => {
    for (const query of [WITH_FRAGMENT, WITH_TYPENAME]) {
      const { direct, apollo, how } = await both({ query, variables: { id: STOCKHOLM_ASSIGNMENT } });
      expect(how, query).toBe('apollo');
      expect(direct, query).toEqual(apollo);
      expect((direct.body as { data?: { assignment?: { id: string } } }).data?.assignment?.id).toBe(
        STOCKHOLM_ASSIGNMENT,
      );
    }
  });

  it('hands a city’s error to Apollo with the answer: the city is asked once, the client gets Apollo’s error', async () => {
    const cityCalls = async (index: 0 | 1) =>
      counted(
        await metrics(index),
        'gateway_city_call_seconds_count',
        'municipality="0180",role="casework",outcome="graphql_error"',
      );
    const before = [await cityCalls(0), await cityCalls(1)];
    const { direct, apollo, how } = await both(
      { query: SINGLE, variables: { id: STOCKHOLM_ASSIGNMENT } },
      { permissions: [] },
    );
    expect(how).toBe('shaped');
    expect(direct).toEqual(apollo);
    expect(errorsOf(direct).length).toBeGreaterThan(0);
    // Two requests to replica 0 and one to replica 1, each a single city call.
    expect(await cityCalls(0)).toBe(before[0]! + 2);
    expect(await cityCalls(1)).toBe(before[1]! + 1);
  });

  it('counts each request by operation on both replicas alike', async () => {
    const ok = (text: string) => counted(text, 'gateway_requests_total', 'operation="Single",outcome="ok"');
    const before = [ok(await metrics(0)), ok(await metrics(1))];
    await both({ query: SINGLE, variables: { id: STOCKHOLM_ASSIGNMENT } });
    await send(urls()[1], { query: SINGLE, variables: { id: STOCKHOLM_ASSIGNMENT } });
    expect(ok(await metrics(0)) - before[0]!).toBe(2);
    expect(ok(await metrics(1)) - before[1]!).toBe(2);
  });

  it('answers alike whether a POST comes straight to /graphql or through the app’s router', async () => {
    // "/graphql?" is the same route to Express, but not the exact target runtime/directRoutes.ts takes.
    const token = await network.token('0180');
    const post = async (url: string, body: string, headers: Record<string, string> = {}) => {
      const response = await network.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
        body,
      });
      const kept = [...response.headers].filter(([name]) => name !== 'date' && name !== 'x-trace-id');
      return { status: response.status, headers: Object.fromEntries(kept), text: await response.text() };
    };
    const read = JSON.stringify({ query: SINGLE, variables: { id: STOCKHOLM_ASSIGNMENT } });
    for (const [body, headers] of [
      [read, {}],
      [read, { origin: 'https://elsewhere.example' }],
      [JSON.stringify({ query: UNTRUSTED, variables: { id: STOCKHOLM_ASSIGNMENT } }), {}],
      [JSON.stringify({ query: SINGLE, operationName: '', variables: { id: STOCKHOLM_ASSIGNMENT } }), {}],
      ['{"query": ', {}],
      [JSON.stringify({ query: SINGLE, padding: 'x'.repeat(200_000) }), {}],
    ] as const) {
      for (const url of urls()) {
        const straight = await post(url, body, headers);
        const routed = await post(`${url}?`, body, headers);
        expect(routed).toEqual(straight);
        expect(straight.status).not.toBe(404);
      }
    }
  });
});

interface SendOptions {
  municipality?: string;
  permissions?: string[];
  accept?: string;
  token?: boolean;
}
