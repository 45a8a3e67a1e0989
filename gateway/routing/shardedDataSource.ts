// One data source per federated role. Apollo plans and executes the query;
// this routes each fetch to the cities that own the data: entity fetches
// split by owner, list fields fanned out and merged, the rest to one city.
// One entry point, process(); one method per kind of plan (plan.ts decides).
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { FieldNode, GraphQLFormattedError } from 'graphql';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { GatewayContext } from '../context';
import type { SubgraphRequest } from './cityClient';
import { CityCalls, type CallResult, type CityCallsOptions } from './cityCalls';
import { MERGE_SELECTIONS, mergeConnection, type CityPage } from './connection';
import {
  COUNTERPARTS_KEY,
  COUNTERPARTS_REQUEST,
  COUNTERPARTS_ROOT_FIELDS,
  counterpartsIn,
  type Counterparts,
} from './counterparts';
import { placeEntities, remapEntityError, splitByOwner } from './entities';
import { responseKey, singleFieldOperation } from './operation';
import { takePrefetched } from './singleFetch';
import { mergeSameReason } from './sameReason';
import {
  assertNever,
  isEntityFetch,
  planRootFields,
  singleCity,
  type FieldPlan,
  type PlannedField,
  type RoleTable,
} from './plan';
import { requestScope, type RequestScope } from './requestScope';
import type { RoleRouting } from './routes';

export interface ShardedDataSourceOptions extends CityCallsOptions {
  /** The role's declared routing table (routes.ts). */
  routing: RoleRouting;
  /**
   * The last counterparts named per municipality, for routes with
   * `onlyCounterparts`; without it such routes ask every target city.
   */
  counterparts?: Counterparts;
}

type Response = { data: Record<string, unknown> | null; errors: GraphQLFormattedError[] };

/** One root field's value and the errors that came with it. */
type FieldAnswer = { value: unknown; errors: GraphQLFormattedError[] };

type ConnectionPlan = Extract<FieldPlan, { kind: 'connection' }>;
type Page = CityPage & { unavailable?: GraphQLFormattedError };

export class ShardedDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly table: RoleTable;
  private readonly cityCalls: CityCalls;

  constructor(private readonly options: ShardedDataSourceOptions) {
    this.table = {
      role: options.role,
      routing: options.routing,
      network: new Set(options.endpoints.keys()),
      remembersCounterparts: options.counterparts !== undefined,
    };
    this.cityCalls = new CityCalls(options);
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) {
      return { errors: [{ message: `The ${this.options.role} role is composed from files, not fetched` }] };
    }
    const { query = '', operationName, variables } = options.request;
    return this.answer({ query, operationName, variables }, options.context);
  }

  /** The role's answer to one subgraph request: Apollo's fetches, and the ones the gateway sends itself (singleFetch.ts). */
  async answer(request: SubgraphRequest, context: GatewayContext): Promise<GatewayGraphQLResponse> {
    // Already asked for this very request, before Apollo was: the answer is used, not asked again.
    const prefetched = takePrefetched(context, this.options.role, request);
    if (prefetched) return prefetched;
    const scope = requestScope(request, context);
    const result = isEntityFetch(scope.parsed) ? await this.entities(scope) : await this.rootFields(scope);
    return result.errors.length > 0 ? result : { data: result.data };
  }

  /** `_entities`: one request per owning city, answers put back in order. */
  private async entities(scope: RequestScope): Promise<Response> {
    const { query, operationName, variables } = scope;
    const representations = (variables.representations ?? []) as unknown[];
    const { byCity } = splitByOwner(representations, this.options.routing.entityParty, this.table.network);
    const entities: unknown[] = representations.map(() => null);
    const errors = await Promise.all(
      [...byCity].map(async ([city, indices]) => {
        const own = { ...variables, representations: indices.map((i) => representations[i]) };
        const answer = await this.call(scope, city, { query, operationName, variables: own }, true);
        if (answer.unavailable) {
          return indices.map((index) => ({ ...answer.unavailable, path: ['_entities', index] }));
        }
        placeEntities(entities, answer.response.data?._entities, indices);
        return (answer.response.errors ?? []).map((e) => remapEntityError(e, indices));
      }),
    );
    return { data: { _entities: entities }, errors: errors.flat() };
  }

  /** Root fields: sent whole when they all go to one city, else answered one by one. */
  private async rootFields(scope: RequestScope): Promise<Response> {
    const plans = planRootFields(scope, this.table);
    const city = singleCity(plans);
    if (city) return this.wholeOperation(scope, city);
    const answers: FieldAnswer[] = [];
    // Mutation fields run one after another, as GraphQL requires; query fields at once.
    if (scope.read) answers.push(...(await Promise.all(plans.map((p) => this.fieldAnswer(scope, p)))));
    else for (const planned of plans) answers.push(await this.fieldAnswer(scope, planned));
    const data: Record<string, unknown> = {};
    plans.forEach(({ field }, i) => (data[responseKey(field)] = answers[i]!.value));
    return { data, errors: answers.flatMap((a) => a.errors) };
  }

  private async fieldAnswer(scope: RequestScope, { field, plan }: PlannedField): Promise<FieldAnswer> {
    switch (plan.kind) {
      case 'local':
        return this.local(plan);
      case 'city':
        return this.city(scope, field, plan.city);
      case 'fanOut':
        return this.fanOut(scope, field, plan);
      case 'connection':
        return this.connection(scope, field, plan);
      default:
        return assertNever(plan);
    }
  }

  /** Answered at the gateway: no city is asked. */
  private local(plan: Extract<FieldPlan, { kind: 'local' }>): FieldAnswer {
    return { value: plan.value, errors: plan.error ? [plan.error] : [] };
  }

  /** Every root field goes to the same city: the request is forwarded as it came. */
  private async wholeOperation(scope: RequestScope, city: MunicipalityCode): Promise<Response> {
    const { query, operationName, variables } = scope;
    const answer = await this.call(scope, city, { query, operationName, variables });
    if (answer.unavailable) return { data: null, errors: [answer.unavailable] };
    return { data: answer.response.data ?? null, errors: [...(answer.response.errors ?? [])] };
  }

  /** One root field from the one city that holds it. */
  private async city(scope: RequestScope, field: FieldNode, city: MunicipalityCode): Promise<FieldAnswer> {
    const key = responseKey(field);
    const answer = await this.call(scope, city, this.fieldRequest(scope, field));
    if (answer.unavailable) return { value: null, errors: [{ ...answer.unavailable, path: [key] }] };
    return { value: answer.response.data?.[key] ?? null, errors: [...(answer.response.errors ?? [])] };
  }

  /** One root field from several cities, each answering its own rows. */
  private async fanOut(
    scope: RequestScope,
    field: FieldNode,
    plan: Extract<FieldPlan, { kind: 'fanOut' }>,
  ): Promise<FieldAnswer> {
    const key = responseKey(field);
    const request = this.fieldRequest(scope, field);
    const answers = await Promise.all(plan.cities.map((city) => this.call(scope, city, request)));
    const values: unknown[] = [];
    const errors: GraphQLFormattedError[] = [];
    for (const answer of answers) {
      if (answer.unavailable) {
        errors.push({ ...answer.unavailable, path: [key] });
        continue;
      }
      const value = answer.response.data?.[key];
      if (value !== null && value !== undefined) values.push(value);
      errors.push(...(answer.response.errors ?? []));
    }
    // No city answered: null with the errors, never an empty list that looks like "none".
    if (values.length === 0 && errors.length > 0) return { value: null, errors: mergeSameReason(errors) };
    const value = plan.merge === 'list' ? concatLists(values) : concatListFields(values);
    return { value, errors: mergeSameReason(errors) };
  }

  /** A keyset connection: one page from each city that may hold rows for the caller, merged. */
  private async connection(
    scope: RequestScope,
    field: FieldNode,
    plan: ConnectionPlan,
  ): Promise<FieldAnswer> {
    const pages =
      plan.onlyCounterparts && this.options.counterparts
        ? await this.pagesFromCounterparts(scope, field, plan, this.options.counterparts)
        : await Promise.all(plan.cities.map((city) => this.page(scope, field, city)));
    const merged = mergeConnection(field, scope.parsed.fragments, pages, plan.pageSize);
    const errors = mergeSameReason([...merged.errors, ...pages.flatMap((p) => p.unavailable ?? [])]);
    // No city answered: null with the errors, never an empty page that looks like "none".
    const answered = pages.some((p) => p.value !== null && p.value !== undefined);
    return { value: answered || errors.length === 0 ? merged.value : null, errors };
  }

  /**
   * The caller's own city is asked for its page and its counterparts in one
   * request, the counterparts it named last time at the same moment, and any
   * city its fresh answer adds right after.
   */
  private async pagesFromCounterparts(
    scope: RequestScope,
    field: FieldNode,
    plan: ConnectionPlan,
    counterparts: Counterparts,
  ): Promise<Page[]> {
    const caller = scope.context.principal.municipality;
    const others = plan.cities.filter((city) => city !== caller);
    if (others.length === 0) return Promise.all(plan.cities.map((city) => this.page(scope, field, city)));
    const known = counterparts.lastKnown(caller);
    const early = known ? others.filter((city) => known.has(city)) : [];
    const ownPage = plan.cities.includes(caller);
    const own = ownPage
      ? this.call(scope, caller, this.fieldRequest(scope, field, MERGE_SELECTIONS, COUNTERPARTS_ROOT_FIELDS))
      : // A filter leaves the caller's own city out: the question goes alone.
        this.call(scope, caller, COUNTERPARTS_REQUEST, true);
    const rest = async () => {
      const answer = await own;
      // Null when the city could not say: then every other city is asked rather than miss rows.
      const held = answer.unavailable ? null : counterpartsIn(answer.response.data);
      if (held) counterparts.remember(caller, held);
      const confirmed = held === null ? others : others.filter((city) => held.has(city));
      const late = confirmed.filter((city) => !early.includes(city));
      return Promise.all(late.map((city) => this.page(scope, field, city)));
    };
    const pages = await Promise.all([
      ownPage ? this.page(scope, field, caller, own).then((p) => [p]) : Promise.resolve([]),
      Promise.all(early.map((city) => this.page(scope, field, city))),
      rest(),
    ]);
    return pages.flat();
  }

  /** One city's page of a connection; `answer` when its request is already under way. */
  private async page(
    scope: RequestScope,
    field: FieldNode,
    city: MunicipalityCode,
    answer?: Promise<CallResult>,
  ): Promise<Page> {
    const key = responseKey(field);
    const result = await (answer ??
      this.call(scope, city, this.fieldRequest(scope, field, MERGE_SELECTIONS)));
    if (result.unavailable) {
      return {
        municipality: city,
        value: null,
        errors: [],
        unavailable: { ...result.unavailable, path: [key] },
      };
    }
    return {
      municipality: city,
      value: (result.response.data?.[key] ?? null) as Record<string, unknown> | null,
      // The counterparts' own errors are the gateway's business, not the client's.
      errors: (result.response.errors ?? []).filter((e) => e.path?.[0] !== COUNTERPARTS_KEY),
    };
  }

  /** The request for one root field alone, with what a merge or the gateway needs added. */
  private fieldRequest(
    scope: RequestScope,
    field: FieldNode,
    extraSelections?: readonly FieldNode[],
    extraRootFields?: readonly FieldNode[],
  ): SubgraphRequest {
    const query = singleFieldOperation(scope.parsed, field, extraSelections, extraRootFields);
    return { query, operationName: scope.operationName, variables: scope.variables };
  }

  /** Entity fetches and the counterparts question are reads whatever the operation. */
  private call(scope: RequestScope, city: MunicipalityCode, body: SubgraphRequest, read = scope.read) {
    return this.cityCalls.call(scope.context, city, body, read);
  }
}

/** Each city's rows of a list field, one after another. */
function concatLists(values: unknown[]): unknown[] {
  return values.flatMap((value) => (Array.isArray(value) ? (value as unknown[]) : []));
}

/** Object answers from several cities: list fields concatenated, other fields from the first city. */
function concatListFields(values: unknown[]): Record<string, unknown> | null {
  const objects = values.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
  if (objects.length === 0) return null;
  const merged: Record<string, unknown> = { ...objects[0] };
  for (const key of Object.keys(merged)) {
    if (Array.isArray(merged[key])) merged[key] = concatLists(objects.map((o) => o[key]));
  }
  return merged;
}
