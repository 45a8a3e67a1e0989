// One data source per federated role. Apollo plans and executes the query;
// this routes each fetch to the cities that own the data: entity fetches
// split by owner, list fields fanned out and merged, the rest to one city.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { OperationTypeNode, type FieldNode, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../schema/contract/errors';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { PrincipalHeaders } from '../auth/forwardPrincipal';
import type { GatewayContext } from '../context';
import {
  CityUnavailableError,
  type CityClient,
  type SubgraphRequest,
  type SubgraphResponse,
} from './cityClient';
import type { CircuitBreaker } from './circuitBreaker';
import {
  COUNTERPARTS_KEY,
  COUNTERPARTS_QUERY,
  COUNTERPARTS_ROOT_FIELDS,
  counterpartsIn,
  type Counterparts,
} from './counterparts';
import { MERGE_SELECTIONS, mergeConnection, type CityPage } from './connection';
import { placeEntities, remapEntityError, splitByOwner } from './entities';
import {
  argumentValue,
  parseOperation,
  responseKey,
  singleFieldOperation,
  type ParsedOperation,
} from './operation';
import { ownerOfId, pairOwner, type RoleName, type RoleRouting } from './routes';

export interface ShardedDataSourceOptions {
  role: RoleName;
  routing: RoleRouting;
  /** The role's endpoint in each city of the network. */
  endpoints: ReadonlyMap<MunicipalityCode, string>;
  client: CityClient;
  principalHeaders: PrincipalHeaders;
  /** Shared by the roles: a city that is down is down for both. */
  breaker?: CircuitBreaker;
  /** Told of every city call: municipality, role, outcome, seconds. */
  observe?: (municipality: string, role: string, outcome: string, seconds: number) => void;
  /**
   * The last counterparts named per municipality, for routes with
   * `onlyCounterparts`; without it such routes ask every target city.
   */
  counterparts?: Counterparts;
  /**
   * Identical reads in flight at once (same city, person, query and
   * variables) share one city call. @default true
   */
  dedupeReads?: boolean;
}

/** How one root field is answered. */
type FieldPlan =
  | { kind: 'local'; value: unknown; error?: GraphQLFormattedError }
  | { kind: 'city'; city: MunicipalityCode }
  | { kind: 'connection'; cities: MunicipalityCode[]; pageSize: number; onlyCounterparts: boolean }
  | { kind: 'fanOut'; cities: MunicipalityCode[]; merge: 'list' | 'object' };

type Response = { data: Record<string, unknown> | null; errors: GraphQLFormattedError[] };

type CallResult =
  { response: SubgraphResponse; unavailable?: undefined } | { unavailable: GraphQLFormattedError };

export class ShardedDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly network: Set<MunicipalityCode>;
  private readonly inFlight = new Map<string, Promise<CallResult>>();

  constructor(private readonly options: ShardedDataSourceOptions) {
    this.network = new Set(options.endpoints.keys());
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) {
      return { errors: [{ message: `The ${this.options.role} role is composed from files, not fetched` }] };
    }
    const { request, context } = options;
    const parsed = parseOperation(request.query ?? '');
    const read = parsed.operation.operation !== OperationTypeNode.MUTATION;
    const variables = request.variables ?? {};
    const result =
      parsed.rootFields.length === 1 && parsed.rootFields[0]!.name.value === '_entities'
        ? await this.entities(context, request.query!, request.operationName, variables)
        : await this.rootFields(context, parsed, request.query!, request.operationName, variables, read);
    return result.errors.length > 0 ? result : { data: result.data };
  }

  /** `_entities`: one request per owning city, answers put back in order. */
  private async entities(
    context: GatewayContext,
    query: string,
    operationName: string | undefined,
    variables: Record<string, unknown>,
  ): Promise<Response> {
    const representations = (variables.representations ?? []) as unknown[];
    const { byCity } = splitByOwner(representations, this.options.routing.entityOwner, this.network);
    const entities: unknown[] = representations.map(() => null);
    const errors: GraphQLFormattedError[] = [];
    await Promise.all(
      [...byCity].map(async ([city, indices]) => {
        const subset = indices.map((i) => representations[i]);
        const answer = await this.call(
          context,
          city,
          { query, operationName, variables: { ...variables, representations: subset } },
          { read: true },
        );
        if (answer.unavailable) {
          for (const index of indices) errors.push({ ...answer.unavailable, path: ['_entities', index] });
          return;
        }
        placeEntities(entities, answer.response.data?._entities, indices);
        errors.push(...(answer.response.errors ?? []).map((e) => remapEntityError(e, indices)));
      }),
    );
    return { data: { _entities: entities }, errors };
  }

  /** Root fields: routed one by one, or sent whole when they all go to one city. */
  private async rootFields(
    context: GatewayContext,
    parsed: ParsedOperation,
    query: string,
    operationName: string | undefined,
    variables: Record<string, unknown>,
    read: boolean,
  ): Promise<Response> {
    const plans = parsed.rootFields.map((field) => ({
      field,
      plan: this.plan(parsed, field, context, variables),
    }));
    const single = plans.every((p) => p.plan.kind === 'city')
      ? new Set(plans.map((p) => (p.plan as { city: string }).city))
      : null;
    if (single?.size === 1) {
      const city = [...single][0]!;
      const answer = await this.call(context, city, { query, operationName, variables }, { read });
      if (answer.unavailable) return { data: null, errors: [answer.unavailable] };
      return { data: answer.response.data ?? null, errors: [...(answer.response.errors ?? [])] };
    }

    const data: Record<string, unknown> = {};
    const errors: GraphQLFormattedError[] = [];
    const answerField = async ({ field, plan }: { field: FieldNode; plan: FieldPlan }) => {
      const key = responseKey(field);
      switch (plan.kind) {
        case 'local':
          data[key] = plan.value;
          if (plan.error) errors.push(plan.error);
          return;
        case 'city': {
          const fieldQuery = singleFieldOperation(parsed, field);
          const answer = await this.call(
            context,
            plan.city,
            { query: fieldQuery, operationName, variables },
            { read },
          );
          if (answer.unavailable) {
            data[key] = null;
            errors.push({ ...answer.unavailable, path: [key] });
            return;
          }
          data[key] = answer.response.data?.[key] ?? null;
          errors.push(...(answer.response.errors ?? []));
          return;
        }
        case 'fanOut': {
          const fieldQuery = singleFieldOperation(parsed, field);
          const answers = await Promise.all(
            plan.cities.map((city) =>
              this.call(context, city, { query: fieldQuery, operationName, variables }, { read }),
            ),
          );
          const values: unknown[] = [];
          for (const answer of answers) {
            if (answer.unavailable) {
              errors.push({ ...answer.unavailable, path: [key] });
              continue;
            }
            values.push(answer.response.data?.[key]);
            errors.push(...(answer.response.errors ?? []));
          }
          data[key] = plan.merge === 'list' ? concatLists(values) : concatListFields(values);
          return;
        }
        case 'connection': {
          const pages = await this.connectionPages(
            context,
            parsed,
            field,
            plan,
            operationName,
            variables,
            read,
          );
          const merged = mergeConnection(field, parsed.fragments, pages, plan.pageSize);
          data[key] = merged.value;
          errors.push(...merged.errors, ...pages.flatMap((p) => p.unavailable ?? []));
          return;
        }
        default:
          return assertNever(plan);
      }
    };
    // Mutation fields run one after another, as GraphQL requires; query fields at once.
    if (parsed.operation.operation === OperationTypeNode.MUTATION) {
      for (const planned of plans) await answerField(planned);
    } else {
      await Promise.all(plans.map(answerField));
    }
    return { data, errors };
  }

  /** Decides where one root field goes, from the declared routing table. */
  private plan(
    parsed: ParsedOperation,
    field: FieldNode,
    context: GatewayContext,
    variables: Record<string, unknown>,
  ): FieldPlan {
    const typename = parsed.operation.operation === OperationTypeNode.MUTATION ? 'Mutation' : 'Query';
    if (field.name.value === '__typename') return { kind: 'local', value: typename };
    const route = this.options.routing.root[`${typename}.${field.name.value}`];
    if (!route)
      throw new Error(`No route for ${typename}.${field.name.value} in the ${this.options.role} role`);
    const args = (name: string) => argumentValue(field, name, variables);
    switch (route.kind) {
      case 'fanOut': {
        const cities = route.targets(args, context.principal.municipality, [...this.network]);
        if (route.merge !== 'connection') return { kind: 'fanOut', cities, merge: route.merge };
        const first = args('first');
        return {
          kind: 'connection',
          cities,
          pageSize: typeof first === 'number' ? first : route.defaultPageSize,
          onlyCounterparts: route.onlyCounterparts === true && this.options.counterparts !== undefined,
        };
      }
      case 'caller':
        return { kind: 'city', city: context.principal.municipality };
      case 'byPair': {
        const owner = pairOwner(args(route.argument));
        if (owner && this.network.has(owner)) return { kind: 'city', city: owner };
        return refuse(
          field,
          ErrorCode.BAD_USER_INPUT,
          `${route.argument} must name two municipalities of this network`,
        );
      }
      case 'byId': {
        const [name, ...path] = route.argument.split('.');
        const id = path.reduce<unknown>(
          (value, key) => (value as Record<string, unknown> | null)?.[key],
          args(name!),
        );
        const owner = ownerOfId(id, route.party);
        if (owner && this.network.has(owner)) return { kind: 'city', city: owner };
        return typename === 'Query'
          ? { kind: 'local', value: null }
          : refuse(field, ErrorCode.NOT_FOUND, `Nothing in this network has that ${route.argument}`);
      }
      case 'byMunicipality': {
        const code = args(route.argument);
        if (typeof code === 'string' && this.network.has(code)) return { kind: 'city', city: code };
        return refuse(
          field,
          ErrorCode.BAD_USER_INPUT,
          `Municipality ${String(code)} is not part of this network`,
        );
      }
      default:
        return assertNever(route);
    }
  }

  /**
   * One page of a connection from each city that may hold rows for the
   * caller. With `onlyCounterparts`, the caller's own city is asked for its
   * page and its counterparts in one request, the counterparts it named last
   * time at the same moment, and any city its fresh answer adds right after.
   */
  private async connectionPages(
    context: GatewayContext,
    parsed: ParsedOperation,
    field: FieldNode,
    plan: Extract<FieldPlan, { kind: 'connection' }>,
    operationName: string | undefined,
    variables: Record<string, unknown>,
    read: boolean,
  ): Promise<(CityPage & { unavailable?: GraphQLFormattedError })[]> {
    const key = responseKey(field);
    const query = singleFieldOperation(parsed, field, MERGE_SELECTIONS);
    const page = async (city: MunicipalityCode, answer?: Promise<CallResult>) => {
      const result = await (answer ??
        this.call(context, city, { query, operationName, variables }, { read }));
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
    };
    const counterparts = this.options.counterparts;
    const caller = context.principal.municipality;
    const others = plan.cities.filter((city) => city !== caller);
    if (!plan.onlyCounterparts || !counterparts || others.length === 0)
      return Promise.all(plan.cities.map((city) => page(city)));
    const known = counterparts.lastKnown(caller);
    const early = known ? others.filter((city) => known.has(city)) : [];
    const ownPage = plan.cities.includes(caller);
    const own = ownPage
      ? this.call(
          context,
          caller,
          {
            query: singleFieldOperation(parsed, field, MERGE_SELECTIONS, COUNTERPARTS_ROOT_FIELDS),
            operationName,
            variables,
          },
          { read },
        )
      : // A filter leaves the caller's own city out: the question goes alone.
        this.call(
          context,
          caller,
          { query: COUNTERPARTS_QUERY, operationName: 'AssignmentCounterparts' },
          { read: true },
        );
    const rest = async () => {
      const answer = await own;
      // Null when the city could not say: then every other city is asked rather than miss rows.
      const held = answer.unavailable ? null : counterpartsIn(answer.response.data);
      if (held) counterparts.remember(caller, held);
      const confirmed = held === null ? others : others.filter((city) => held.has(city));
      return Promise.all(confirmed.filter((city) => !early.includes(city)).map((city) => page(city)));
    };
    const pages = await Promise.all([
      ownPage ? page(caller, own).then((p) => [p]) : Promise.resolve([]),
      Promise.all(early.map((city) => page(city))),
      rest(),
    ]);
    return pages.flat();
  }

  /**
   * One call to one city; failures come back as an attributed error, never
   * thrown. A read joins an identical one already in flight for the same
   * person: the city answers (and logs) it once, as it would a repeated read.
   */
  call(
    context: GatewayContext,
    city: MunicipalityCode,
    body: SubgraphRequest,
    { read = false }: { read?: boolean } = {},
  ): Promise<CallResult> {
    if (!read || this.options.dedupeReads === false) return this.send(context, city, body);
    const { municipality, unit, subject, roles } = context.principal;
    const key = JSON.stringify([city, municipality, unit, subject, roles, body]);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const call = this.send(context, city, body).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  private async send(
    context: GatewayContext,
    city: MunicipalityCode,
    body: SubgraphRequest,
  ): Promise<CallResult> {
    const url = this.options.endpoints.get(city)!;
    const { breaker, observe, role } = this.options;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    // A city that failed earlier in this request is not waited for again.
    const failedBefore = context.unavailable?.get(city);
    if (failedBefore) {
      observe?.(city, role, 'failed_fast', 0);
      return { unavailable: failedBefore };
    }
    if (breaker && !breaker.allow(city)) {
      observe?.(city, role, 'circuit_open', 0);
      return {
        unavailable: {
          message: `Municipality ${city} is unavailable: not answering, retried shortly`,
          extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, municipality: city, circuit: 'open' },
        },
      };
    }
    try {
      const headers = await this.options.principalHeaders(context, city);
      const response = await this.options.client.send(url, body, headers);
      breaker?.succeeded(city);
      observe?.(city, role, response.errors?.length ? 'graphql_error' : 'ok', seconds());
      return { response: { ...response, errors: response.errors?.map((e) => attribute(e, city)) } };
    } catch (error) {
      if (!(error instanceof CityUnavailableError)) {
        // Not the city's fault: a probe let through must not hold the circuit half-open.
        breaker?.abandoned(city);
        throw error;
      }
      breaker?.failed(city, { timedOut: error.timedOut });
      observe?.(city, role, 'unavailable', seconds());
      const unavailable: GraphQLFormattedError = {
        message: `Municipality ${city} is unavailable: ${error.message}`,
        extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, municipality: city },
      };
      (context.unavailable ??= new Map()).set(city, unavailable);
      return { unavailable };
    }
  }
}

/** Answers a root field at the gateway with an error, without calling any city. */
function refuse(field: FieldNode, code: string, message: string): FieldPlan {
  return { kind: 'local', value: null, error: { message, path: [responseKey(field)], extensions: { code } } };
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

/** Tags a city's error with the municipality that produced it, keeping any it already names. */
function attribute(error: GraphQLFormattedError, city: MunicipalityCode): GraphQLFormattedError {
  return {
    ...error,
    extensions: { ...error.extensions, municipality: error.extensions?.municipality ?? city },
  };
}

function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
