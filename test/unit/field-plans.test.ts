// The routing decisions on their own: where each root field of a subgraph
// request goes, before any city is called. The data source tests show the
// same decisions carried out against in-memory cities.
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../gateway/context';
import { parseOperation } from '../../gateway/routing/operation';
import {
  isEntityFetch,
  planRootField,
  planRootFields,
  singleCity,
  type RoleTable,
} from '../../gateway/routing/plan';
import { requestScope } from '../../gateway/routing/requestScope';
import { ROUTING, type RoleName } from '../../gateway/routing/routes';
import { formatId } from '../../schema/contract/ids';

const STOCKHOLM = '0180';
const GOTEBORG = '1480';
const MALMO = '1280';
const NETWORK = new Set([STOCKHOLM, GOTEBORG, MALMO]);

const table = (role: RoleName, remembersCounterparts = false): RoleTable => ({
  role,
  routing: ROUTING[role],
  network: NETWORK,
  remembersCounterparts,
});

const context: GatewayContext = {
  principal: { municipality: STOCKHOLM, unit: null, subject: 's', permissions: ['caseworker'] },
  traceId: '0af7651916cd43dd8448eb211c80319c',
};
const scope = (query: string, variables: Record<string, unknown> = {}) =>
  requestScope({ query, variables }, context);

/** The plan of the request's only (or first) root field. */
function planOf(role: RoleName, query: string, variables?: Record<string, unknown>, remembers?: boolean) {
  const s = scope(query, variables);
  return planRootField(s, s.parsed.rootFields[0]!, table(role, remembers));
}

const id = formatId('asg', GOTEBORG, MALMO, '00000000-0000-4000-8000-000000000001');

describe('where a root field goes', () => {
  it('sends an assignment to the home city its id names', () => {
    expect(planOf('casework', '{ assignment(id: $id) { id } }', { id })).toEqual({
      kind: 'city',
      city: GOTEBORG,
    });
  });

  it('sends a mutation on an assignment to the party its route names', () => {
    const respond = 'mutation R($id: ID!) { respondToAssignment(id: $id) { id } }';
    expect(planOf('execution', respond, { id })).toEqual({ kind: 'city', city: MALMO });
  });

  it('reads an id inside an input argument', () => {
    const record = 'mutation C($input: RecordCostInput!) { recordCost(input: $input) { id } }';
    expect(planOf('execution', record, { input: { assignmentId: id } })).toEqual({
      kind: 'city',
      city: MALMO,
    });
  });

  it('answers null for a query whose id no city owns, and refuses such a mutation as NOT_FOUND', () => {
    const foreign = formatId('asg', '0580', MALMO, '00000000-0000-4000-8000-000000000002');
    expect(planOf('casework', '{ assignment(id: $id) { id } }', { id: foreign })).toEqual({
      kind: 'local',
      value: null,
    });
    const withdraw = planOf('casework', 'mutation W($id: ID!) { withdrawAssignment(id: $id) { id } }', {
      id: foreign,
    });
    expect(withdraw).toMatchObject({
      kind: 'local',
      value: null,
      error: { path: ['withdrawAssignment'], extensions: { code: 'NOT_FOUND' } },
    });
  });

  it("sends a proposal to the caller's own city", () => {
    const propose = 'mutation P($input: ProposeAssignmentInput!) { proposeAssignment(input: $input) { id } }';
    expect(planOf('casework', propose, { input: {} })).toEqual({ kind: 'city', city: STOCKHOLM });
  });

  it('sends what a pair shares to the lower code of the pair, and refuses a pair outside the network', () => {
    const reconciliation = '{ reconciliation(between: $between, period: 1) { period } }';
    expect(planOf('execution', reconciliation, { between: [MALMO, GOTEBORG] })).toEqual({
      kind: 'city',
      city: MALMO,
    });
    expect(planOf('execution', reconciliation, { between: [MALMO, MALMO] })).toMatchObject({
      kind: 'local',
      error: { extensions: { code: 'BAD_USER_INPUT' } },
    });
  });

  it('sends an offer to the municipality named, and refuses one outside the network', () => {
    const offer = '{ interventionOffer(municipality: $municipality) { name } }';
    expect(planOf('execution', offer, { municipality: MALMO })).toEqual({ kind: 'city', city: MALMO });
    expect(planOf('execution', offer, { municipality: '0580' })).toMatchObject({
      kind: 'local',
      value: null,
      error: {
        message: 'Municipality 0580 is not part of this network',
        path: ['interventionOffer'],
        extensions: { code: 'BAD_USER_INPUT' },
      },
    });
  });

  it('fans the balance out to every city, merged as a list', () => {
    expect(planOf('execution', '{ networkBalance { municipality } }')).toEqual({
      kind: 'fanOut',
      cities: [...NETWORK],
      merge: 'list',
    });
  });

  it("merges the assignment list as a connection, with the client's page size or the SDL default", () => {
    const list = '{ assignments(first: $first) { edges { cursor } } }';
    expect(planOf('casework', list, { first: 5 })).toEqual({
      kind: 'connection',
      cities: [...NETWORK],
      pageSize: 5,
      onlyCounterparts: false,
    });
    expect(planOf('casework', list)).toMatchObject({ pageSize: 20 });
  });

  it('narrows the list to counterparts only when the role remembers them', () => {
    const list = '{ assignments { edges { cursor } } }';
    expect(planOf('casework', list, {}, true)).toMatchObject({ onlyCounterparts: true });
    expect(planOf('casework', list, {}, false)).toMatchObject({ onlyCounterparts: false });
  });

  it('answers __typename at the gateway', () => {
    expect(planOf('casework', 'mutation { __typename }')).toEqual({ kind: 'local', value: 'Mutation' });
  });

  it('refuses to guess for a field the table does not route', () => {
    expect(() => planOf('casework', '{ interventionOffer(municipality: "0180") { name } }')).toThrow(
      'No route for Query.interventionOffer in the casework role',
    );
  });
});

describe('a request sent whole', () => {
  it('goes whole to one city when every root field goes there', () => {
    const s = scope('{ a: assignment(id: $a) { id } b: assignment(id: $b) { id } }', { a: id, b: id });
    expect(singleCity(planRootFields(s, table('casework')))).toBe(GOTEBORG);
  });

  it('is split when the fields go to different cities or one is answered locally', () => {
    const other = formatId('asg', MALMO, GOTEBORG, '00000000-0000-4000-8000-000000000003');
    const two = scope('{ a: assignment(id: $a) { id } b: assignment(id: $b) { id } }', { a: id, b: other });
    expect(singleCity(planRootFields(two, table('casework')))).toBeNull();
    const typename = scope('{ __typename assignment(id: $a) { id } }', { a: id });
    expect(singleCity(planRootFields(typename, table('casework')))).toBeNull();
  });

  it('marks a mutation as no read, so identical calls in flight are never shared', () => {
    expect(scope('mutation W { __typename }').read).toBe(false);
    expect(scope('query Q { __typename }').read).toBe(true);
  });

  it('is an entity fetch only when _entities is its one root field', () => {
    expect(
      isEntityFetch(parseOperation('query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }')),
    ).toBe(true);
    expect(isEntityFetch(parseOperation('{ assignment(id: "x") { id } }'))).toBe(false);
  });
});
