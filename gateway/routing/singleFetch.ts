// Operations one role answers whole. When Apollo's plan for an operation is
// one fetch from one role, asking for exactly what the client asked (no
// fragments, directives or abstract types, nothing added or rewritten), the
// gateway may send that fetch itself and return the role's answer as it
// came, once it has checked the answer has the operation's shape: Apollo's
// result shaping would give the same bytes. Only operations Apollo has
// planned are learnt, so only documents that passed its parsing, validation,
// request limits and trusted documents are ever answered this way.
import type { Experimental_DidResolveQueryPlanCallback as DidResolveQueryPlan } from '@apollo/gateway';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  OperationTypeNode,
  parse,
  print,
  type DocumentNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from '../context';
import type { SubgraphRequest } from './cityClient';
import { ROUTING, type RoleName } from './routes';

type QueryPlan = Parameters<DidResolveQueryPlan>[0]['queryPlan'];

/** One field the answer must hold, under its response key: a typed value, or `__typename`. */
type ShapeField =
  { key: string; type: GraphQLOutputType; selections: ShapeField[] } | { key: string; typename: string };

/** What the gateway needs to answer an operation without Apollo. */
export interface SingleFetch {
  role: RoleName;
  /** The API schema the operation was validated against. */
  schema: GraphQLSchema;
  /** The client's operation, as Apollo parsed and validated it. */
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The fetch as Apollo would send it to the role (its text and name). */
  query: string;
  operationName: string | undefined;
  /** The client's variables the fetch uses, as Apollo picks them. */
  variableNames: readonly string[];
  shape: ShapeField[];
}

// Only a GraphQL name, or none, is a key: no other operation name can make two requests look alike.
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

const keyOf = (query: string, operationName: string | null | undefined): string | null => {
  if (operationName === null || operationName === undefined) return `\n${query}`;
  return NAME.test(operationName) ? `${operationName}\n${query}` : null;
};

export class SingleFetches {
  private readonly known: LRUCache<string, SingleFetch | false>;

  /**
   * @param capacityMiB about how much memory the operations remembered may
   * take, answerable or not (the least recently used go first): each is its
   * text, kept as the key and in its parsed document.
   */
  constructor(capacityMiB = 30) {
    this.known = new LRUCache({
      maxSize: capacityMiB * 1024 * 1024,
      // UTF-16 text, kept twice when answerable (key and document), and its parsed nodes: about 8 bytes a character.
      sizeCalculation: (value, key) => (value ? 8 : 2) * key.length + 1,
    });
  }

  /** For ApolloGateway's `experimental_didResolveQueryPlan`: learns each operation once. */
  readonly learn: DidResolveQueryPlan = ({ queryPlan, requestContext, operationContext }) => {
    const { source } = requestContext;
    if (typeof source !== 'string') return;
    const id = keyOf(source, requestContext.request.operationName);
    if (id === null || this.known.has(id)) return;
    this.known.set(
      id,
      singleFetchOf(
        queryPlan,
        requestContext.document,
        operationContext.operation,
        operationContext.schema,
      ) ?? false,
    );
  };

  /** The operation's single fetch, when Apollo has planned it as one. */
  lookup(query: string, operationName: string | null | undefined): SingleFetch | undefined {
    const id = keyOf(query, operationName);
    return (id !== null && this.known.get(id)) || undefined;
  }

  /** Whether the operation was learnt, answerable or not. */
  learnt(query: string, operationName: string | null | undefined): boolean {
    const id = keyOf(query, operationName);
    return id !== null && this.known.has(id);
  }
}

const roles = new Set<string>(Object.keys(ROUTING));

/** The plan's one fetch, when it asks a role for exactly the client's selection. */
export function singleFetchOf(
  plan: QueryPlan,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
): SingleFetch | null {
  const fetch = plan.node;
  if (fetch?.kind !== 'Fetch' || !roles.has(fetch.serviceName)) return null;
  if (fetch.requires || fetch.inputRewrites?.length || fetch.outputRewrites?.length) return null;
  if (fetch.contextRewrites?.length) return null;
  if (operation.operation !== OperationTypeNode.QUERY || document.definitions.length !== 1) return null;
  if (operation.directives?.length) return null;
  const sent = parse(fetch.operation).definitions[0];
  if (sent?.kind !== Kind.OPERATION_DEFINITION) return null;
  if (print(sent.selectionSet) !== print(operation.selectionSet)) return null;
  const shape = shapeOf(operation.selectionSet, schema.getQueryType()!);
  if (!shape) return null;
  return {
    role: fetch.serviceName as RoleName,
    schema,
    document,
    operation,
    query: fetch.operation,
    operationName: fetch.operationName,
    variableNames: fetch.variableUsages ?? [],
    shape,
  };
}

/** The fields a selection asks of an object type; null when it uses anything beyond plain fields. */
function shapeOf(selectionSet: SelectionSetNode, parent: GraphQLObjectType): ShapeField[] | null {
  const fields: ShapeField[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length) return null;
    const name = selection.name.value;
    const key = selection.alias?.value ?? name;
    if (fields.some((f) => f.key === key)) return null;
    if (name === '__typename') {
      fields.push({ key, typename: parent.name });
      continue;
    }
    const definition = parent.getFields()[name];
    if (!definition) return null;
    const named = getNamedType(definition.type);
    if (isObjectType(named)) {
      if (!selection.selectionSet) return null;
      const selections = shapeOf(selection.selectionSet, named);
      if (!selections) return null;
      fields.push({ key, type: definition.type, selections });
    } else if (isScalarType(named) || isEnumType(named)) {
      fields.push({ key, type: definition.type, selections: [] });
    } else {
      // Interfaces and unions: Apollo decides the concrete type; leave them to it.
      return null;
    }
  }
  return fields;
}

/** Whether `data` holds exactly the fields the shape asks for, in its order, each of its type. */
export function conformsTo(data: unknown, shape: readonly ShapeField[]): boolean {
  if (!isRecord(data)) return false;
  const keys = Object.keys(data);
  if (keys.length !== shape.length) return false;
  return shape.every((field, i) => keys[i] === field.key && valueConforms(data[field.key], field));
}

function valueConforms(value: unknown, field: ShapeField): boolean {
  if ('typename' in field) return value === field.typename;
  return conformsType(value, field.type, field.selections);
}

function conformsType(value: unknown, type: GraphQLOutputType, selections: readonly ShapeField[]): boolean {
  if (value === null || value === undefined) return value === null && !isNonNullType(type);
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    return Array.isArray(value) && value.every((item) => conformsType(item, nullable.ofType, selections));
  }
  if (isObjectType(nullable)) return conformsTo(value, selections);
  if (isEnumType(nullable)) return typeof value === 'string' && nullable.getValue(value) !== undefined;
  if (isScalarType(nullable)) return scalarConforms(nullable.name, value);
  return false;
}

function scalarConforms(name: string, value: unknown): boolean {
  switch (name) {
    case 'Int':
      // GraphQL's Int is 32 bits; Apollo's shaping nulls anything larger.
      return Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31;
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'Boolean':
      return typeof value === 'boolean';
    case 'String':
    case 'ID':
      return typeof value === 'string';
    default:
      // Custom scalars pass through Apollo's shaping as they came; only a leaf value is one.
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fetch's request with the client's variables, picked as Apollo picks them. */
export function fetchRequest(fetch: SingleFetch, variables: Record<string, unknown>): SubgraphRequest {
  // As Apollo does: a variable may be named __proto__.
  const used = Object.create(null) as Record<string, unknown>;
  for (const name of fetch.variableNames)
    if (Object.hasOwn(variables, name) && variables[name] !== undefined) used[name] = variables[name];
  return { query: fetch.query, operationName: fetch.operationName, variables: used };
}

/** A role's answer to a request the gateway sent itself, for Apollo to shape. */
export interface PrefetchedAnswer {
  role: RoleName;
  request: SubgraphRequest;
  response: GatewayGraphQLResponse;
}

/** The prefetched answer, once, when Apollo asks the role for the very request it answers. */
export function takePrefetched(
  context: GatewayContext,
  role: RoleName,
  request: SubgraphRequest,
): GatewayGraphQLResponse | undefined {
  const prefetched = context.prefetched;
  if (!prefetched || prefetched.role !== role) return undefined;
  const same =
    prefetched.request.query === request.query &&
    (prefetched.request.operationName ?? undefined) === (request.operationName ?? undefined) &&
    JSON.stringify(prefetched.request.variables ?? {}) === JSON.stringify(request.variables ?? {});
  if (!same) return undefined;
  delete context.prefetched;
  return prefetched.response;
}
