// The routing decisions: where each root field of a subgraph request goes,
// read from the role's declared table (routes.ts). Pure functions, no calls,
// so a test can ask them directly.
import { OperationTypeNode, type FieldNode, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, refusedField } from '../../schema/contract/errors';
import { ownerOfId } from '../../schema/contract/ids';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import { argumentValue, responseKey, type ParsedOperation } from './operation';
import type { RequestScope } from './requestScope';
import { pairOwner, type ArgumentReader, type RoleName, type RoleRouting, type RootRoute } from './routes';

/** How one root field is answered. */
export type FieldPlan =
  /** At the gateway, without asking any city (a refusal, or null for an id no city owns). */
  | { kind: 'local'; value: unknown; error?: GraphQLFormattedError }
  | { kind: 'city'; city: MunicipalityCode }
  /** A keyset connection: one page from each city, merged. */
  | { kind: 'connection'; cities: MunicipalityCode[]; pageSize: number; onlyCounterparts: boolean }
  | { kind: 'fanOut'; cities: MunicipalityCode[]; merge: 'list' | 'object' };

export interface PlannedField {
  field: FieldNode;
  plan: FieldPlan;
}

/** What the decisions need to know of the role. */
export interface RoleTable {
  role: RoleName;
  routing: RoleRouting;
  network: ReadonlySet<MunicipalityCode>;
  /** Counterparts are remembered, so routes with `onlyCounterparts` may narrow the list. */
  remembersCounterparts: boolean;
}

/** The request is an entity fetch (`_entities`), split by owner rather than planned per field. */
export function isEntityFetch(parsed: ParsedOperation): boolean {
  return parsed.rootFields.length === 1 && parsed.rootFields[0]!.name.value === '_entities';
}

export function planRootFields(scope: RequestScope, table: RoleTable): PlannedField[] {
  return scope.parsed.rootFields.map((field) => ({ field, plan: planRootField(scope, field, table) }));
}

/** The one city every root field goes to, if there is one: the request is then sent to it whole. */
export function singleCity(plans: readonly PlannedField[]): MunicipalityCode | null {
  const cities = new Set<MunicipalityCode>();
  for (const { plan } of plans) {
    if (plan.kind !== 'city') return null;
    cities.add(plan.city);
  }
  return cities.size === 1 ? [...cities][0]! : null;
}

/** Decides where one root field goes. */
export function planRootField(
  scope: Pick<RequestScope, 'context' | 'parsed' | 'variables'>,
  field: FieldNode,
  table: RoleTable,
): FieldPlan {
  const typename = scope.parsed.operation.operation === OperationTypeNode.MUTATION ? 'Mutation' : 'Query';
  if (field.name.value === '__typename') return { kind: 'local', value: typename };
  const route = table.routing.root[`${typename}.${field.name.value}`];
  if (!route) throw new Error(`No route for ${typename}.${field.name.value} in the ${table.role} role`);
  const args: ArgumentReader = (name) => argumentValue(field, name, scope.variables);
  const caller = scope.context.principal.municipality;
  switch (route.kind) {
    case 'fanOut':
      return planFanOut(route, args, caller, table);
    case 'caller':
      return { kind: 'city', city: caller };
    case 'byPair':
      return planByPair(route, args, field, table.network);
    case 'byId':
      return planById(route, args, field, typename, table.network);
    case 'byMunicipality':
      return planByMunicipality(route, args, field, table.network);
    default:
      return assertNever(route);
  }
}

type Route<K extends RootRoute['kind']> = Extract<RootRoute, { kind: K }>;

function planFanOut(
  route: Route<'fanOut'>,
  args: ArgumentReader,
  caller: MunicipalityCode,
  table: RoleTable,
): FieldPlan {
  const cities = route.targets(args, caller, [...table.network]);
  if (route.merge !== 'connection') return { kind: 'fanOut', cities, merge: route.merge };
  const first = args('first');
  return {
    kind: 'connection',
    cities,
    pageSize: typeof first === 'number' ? first : route.defaultPageSize,
    onlyCounterparts: route.onlyCounterparts === true && table.remembersCounterparts,
  };
}

function planByPair(
  route: Route<'byPair'>,
  args: ArgumentReader,
  field: FieldNode,
  network: ReadonlySet<MunicipalityCode>,
): FieldPlan {
  const owner = pairOwner(args(route.argument));
  if (owner && network.has(owner)) return { kind: 'city', city: owner };
  return refuse(
    field,
    ErrorCode.BAD_USER_INPUT,
    `${route.argument} must name two municipalities of this network`,
  );
}

/** A query for an id no city owns is null, as for a record not found; a mutation is refused. */
function planById(
  route: Route<'byId'>,
  args: ArgumentReader,
  field: FieldNode,
  typename: 'Query' | 'Mutation',
  network: ReadonlySet<MunicipalityCode>,
): FieldPlan {
  const [name, ...path] = route.argument.split('.');
  const id = path.reduce<unknown>(
    (value, key) => (value as Record<string, unknown> | null)?.[key],
    args(name!),
  );
  const owner = ownerOfId(id, route.party);
  if (owner && network.has(owner)) return { kind: 'city', city: owner };
  return typename === 'Query'
    ? { kind: 'local', value: null }
    : refuse(field, ErrorCode.NOT_FOUND, `Nothing in this network has that ${route.argument}`);
}

function planByMunicipality(
  route: Route<'byMunicipality'>,
  args: ArgumentReader,
  field: FieldNode,
  network: ReadonlySet<MunicipalityCode>,
): FieldPlan {
  const code = args(route.argument);
  if (typeof code === 'string' && network.has(code)) return { kind: 'city', city: code };
  return refuse(field, ErrorCode.BAD_USER_INPUT, `Municipality ${String(code)} is not part of this network`);
}

/** Answers a root field at the gateway with an error, without calling any city. */
function refuse(field: FieldNode, code: ErrorCode, message: string): FieldPlan {
  return { kind: 'local', value: null, error: refusedField(code, message, [responseKey(field)]) };
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
