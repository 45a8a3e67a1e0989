// The gateway keeps no per-user state: two replicas in front of the same
// cities are interchangeable. A workflow begun through one continues through
// the other, a cursor from one pages on the other, and one token works on both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limit } from '../../schema/contract/agreements';
import { LIST_PAGE as LIST, UNIT, type ListPage as ListData } from '../support/assignments';
import { oneDatabaseKind, startTestNetwork, type GatewayQuery, type TestNetwork } from '../support/network';
import {
  agreementInForceToday,
  answer,
  ok,
  prepareCase,
  PROPOSE,
  RESPOND,
  settled,
} from '../support/workflow';

// The gateway's own behaviour: one database, not each in turn.
const kinds = [await oneDatabaseKind()];

// Room for the three assignments below, with Stockholm receiving two of them.
const agreement = agreementInForceToday({ sendingQuota: limit(3), receivingQuota: limit(3) });

const STATUS = /* GraphQL */ `
  query Status($id: ID!) {
    assignment(id: $id) {
      id
      status
      response {
        decision
      }
    }
  }
`;

interface StatusData {
  assignment: { id: string; status: string; response: { decision: string } | null } | null;
}

describe.each(kinds)('two gateway replicas on one network (%s)', (kind) => {
  let network: TestNetwork;
  let a: { url: string; query: GatewayQuery };
  let b: { url: string; query: GatewayQuery };
  beforeAll(async () => {
    network = await startTestNetwork({
      database: kind,
      gateways: 2,
      agreements: [agreement],
      demoData: false,
    });
    a = network.replica(0);
    b = network.replica(1);
  });
  afterAll(() => network?.stop());

  /** Proposes through `proposeVia` as the home city and accepts through `acceptVia` as the receiving one. */
  async function acceptedAssignment(
    home: string,
    receiving: string,
    proposeVia: GatewayQuery,
    acceptVia: GatewayQuery,
  ): Promise<string> {
    const caseId = await prepareCase(network, home, receiving, UNIT[home]!);
    const { proposeAssignment } = ok(
      await proposeVia<{ proposeAssignment: { id: string; status: string } }>(home, PROPOSE, {
        input: { caseId, receivingMunicipality: receiving },
      }),
    );
    expect(proposeAssignment.status).toBe('PROPOSED');
    // The receiving city learns of the proposal by message, the home city of the answer too.
    await settled(network, proposeAssignment.id);
    const { respondToAssignment } = ok(
      await acceptVia<{ respondToAssignment: { response: { decision: string } } }>(receiving, RESPOND, {
        id: proposeAssignment.id,
        decision: 'ACCEPT',
      }),
    );
    expect(respondToAssignment.response).toEqual({ decision: 'ACCEPT' });
    await settled(network, proposeAssignment.id);
    return proposeAssignment.id;
  }

  it('runs as two processes, each ready and reporting every city', async () => {
    expect(network.gateways).toHaveLength(2);
    expect(a.url).toBe(network.gatewayUrl);
    expect(b.url).not.toBe(a.url);
    expect(network.gateways[1]!.child.pid).not.toBe(network.gateways[0]!.child.pid);
    for (const { url } of [a, b]) {
      const health: unknown = await (await fetch(url.replace(/graphql$/, 'health/ready'))).json();
      expect(health).toEqual({
        status: 'ok',
        cities: [
          { municipality: '0180', status: 'ok' },
          { municipality: '1480', status: 'ok' },
          { municipality: '1280', status: 'ok' },
        ],
      });
    }
  });

  it('continues through one replica a workflow begun through the other', async () => {
    const caseId = await prepareCase(network, '0180', '1480', UNIT['0180']!);
    const { proposeAssignment } = ok(
      await a.query<{ proposeAssignment: { id: string; status: string } }>('0180', PROPOSE, {
        input: { caseId, receivingMunicipality: '1480' },
      }),
    );
    const id = proposeAssignment.id;
    await settled(network, id);

    // The receiving city sees the proposal through the other replica, and answers there.
    expect(ok(await b.query<StatusData>('1480', STATUS, { id })).assignment).toMatchObject({
      id,
      status: 'PROPOSED',
      response: null,
    });
    const { respondToAssignment } = ok(
      await b.query<{ respondToAssignment: unknown }>('1480', RESPOND, { id, decision: 'ACCEPT' }),
    );
    expect(respondToAssignment).toEqual({ id, response: { decision: 'ACCEPT' } });
    // The status is the home city's, which takes the answer when its message arrives.
    await settled(network, id);

    // The home city reads the answer back through the first replica.
    expect(ok(await a.query<StatusData>('0180', STATUS, { id })).assignment).toEqual({
      id,
      status: 'ACCEPTED',
      response: { decision: 'ACCEPT' },
    });
    // Answering a second time is refused whichever replica it goes through.
    const again = await a.query('1480', RESPOND, answer(id, 'DECLINE'));
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('pages on one replica with a cursor from the other, without gaps or repeats', async () => {
    // Stockholm is party to assignments held in all three cities.
    await acceptedAssignment('0180', '1280', b.query, a.query);
    await acceptedAssignment('1480', '0180', b.query, a.query);
    await acceptedAssignment('1280', '0180', a.query, b.query);
    const all = ok(await a.query<ListData>('0180', LIST, { first: 50 })).assignments.edges.map((e) => e.node);
    expect(new Set(all.map((n) => n.homeMunicipality))).toEqual(new Set(['0180', '1480', '1280']));

    // One item per page, each page asked of the other replica than the last.
    const walked: string[] = [];
    let after: string | null = null;
    for (let page = 0; page <= all.length; page++) {
      const [asked, other] = page % 2 === 0 ? [a, b] : [b, a];
      const result: ListData = ok(await asked.query<ListData>('0180', LIST, { first: 1, after }));
      // The same cursor gives the same page on the other replica.
      expect(ok(await other.query<ListData>('0180', LIST, { first: 1, after }))).toEqual(result);
      walked.push(...result.assignments.edges.map((e) => e.node.id));
      if (!result.assignments.pageInfo.hasNextPage) break;
      after = result.assignments.pageInfo.endCursor;
    }
    expect(walked).toEqual(all.map((n) => n.id));
  });

  it('accepts the same token on both replicas, and refuses a bad one on both', async () => {
    const token = await network.token('1280');
    const post = async (url: string, authorization: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: LIST, variables: { first: 50 } }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const onA = await post(a.url, `Bearer ${token}`);
    const onB = await post(b.url, `Bearer ${token}`);
    expect(onA.status).toBe(200);
    expect(onA.body.errors).toBeUndefined();
    expect(onB).toEqual(onA);
    const ids = (onA.body.data as ListData).assignments.edges.map((e) => e.node.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^asg:(1280:\d{4}|\d{4}:1280):/);

    // The same token with its signature altered: both replicas check it, neither accepts it.
    const forged = `Bearer ${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;
    for (const url of [a.url, b.url]) {
      const refused = await post(url, forged);
      expect(refused.status).toBe(401);
      const errors = refused.body.errors as { extensions?: { code?: string } }[];
      expect(errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});
