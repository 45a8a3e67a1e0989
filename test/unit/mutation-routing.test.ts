// A mutation goes to exactly one city: the one owning the record its id
// names, in the role's declared party. Never fanned out, never retried.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../gateway/context';
import type { CityClient, SubgraphRequest } from '../../gateway/routing/cityClient';
import type { RoleRouting } from '../../gateway/routing/routes';
import { ShardedDataSource } from '../../gateway/routing/shardedDataSource';
import { formatId } from '../../schema/contract/ids';

const CITIES = ['0180', '1480', '1280'];

function source(routing: RoleRouting) {
  const calls: { city: string; body: SubgraphRequest }[] = [];
  const client = {
    send: (url: string, body: SubgraphRequest) => {
      calls.push({ city: /\/\/(\d{4})\//.exec(url)![1]!, body });
      return Promise.resolve({ data: { withdrawAssignment: { id: 'from-city' } } });
    },
  } as unknown as CityClient;
  const dataSource = new ShardedDataSource({
    role: 'casework',
    routing,
    endpoints: new Map(CITIES.map((c) => [c, `http://${c}/casework/graphql`])),
    client,
    principalHeaders: () => Promise.resolve({}),
  });
  const run = (query: string, variables: Record<string, unknown>) =>
    dataSource.process({
      kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
      request: { query, variables },
      context: {
        principal: { municipality: '1480', unit: null, subject: 's', permissions: ['caseworker'] },
        traceId: '0af7651916cd43dd8448eb211c80319c',
      } satisfies GatewayContext,
      incomingRequestContext: {} as never,
    });
  return { calls, run };
}

const routing: RoleRouting = {
  entityParty: 'home',
  root: {
    'Mutation.withdrawAssignment': { kind: 'byId', argument: 'id', party: 'home' },
    'Mutation.respondToAssignment': { kind: 'byId', argument: 'id', party: 'receiving' },
  },
};

const WITHDRAW = /* GraphQL */ `
  mutation Withdraw($id: ID!) {
    withdrawAssignment(id: $id) {
      id
    }
  }
`;

describe('mutation routing', () => {
  it('sends a mutation once, to the party its route names', async () => {
    const { calls, run } = source(routing);
    const id = formatId('asg', '1480', '1280');
    const result = await run(WITHDRAW, { id });
    expect(calls.map((c) => c.city)).toEqual(['1480']);
    expect(calls[0]!.body.query).toBe(WITHDRAW);
    expect(result.data).toEqual({ withdrawAssignment: { id: 'from-city' } });

    const respond = source(routing);
    await respond.run(
      /* GraphQL */ `
        mutation R($id: ID!) {
          respondToAssignment(id: $id) {
            id
          }
        }
      `,
      { id },
    );
    expect(respond.calls.map((c) => c.city)).toEqual(['1280']);
  });

  it('sends nothing and answers NOT_FOUND for an id no city owns', async () => {
    const { calls, run } = source(routing);
    const result = await run(WITHDRAW, { id: 'asg:9999:1280:not-an-id' });
    expect(calls).toEqual([]);
    expect(result.data).toEqual({ withdrawAssignment: null });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
