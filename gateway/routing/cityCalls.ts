// One call from a role's data source to one city. A failure comes back as
// an error naming the city, never thrown, so the rest of the answer is kept.
// Before calling: a city that already failed in this request is not waited
// for again, and an open circuit is not called at all.
import type { GraphQLFormattedError } from 'graphql';
import { unavailableCity } from '../../schema/contract/errors';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { PrincipalHeaders } from '../auth/forwardPrincipal';
import type { GatewayContext } from '../context';
import type { CircuitBreaker } from './circuitBreaker';
import {
  CityUnavailableError,
  type CityClient,
  type SubgraphRequest,
  type SubgraphResponse,
} from './cityClient';
import type { RoleName } from './routes';

/** How a city call ended; `circuit_open` and `failed_fast` are answered without a call. */
export type CityCallOutcome = 'ok' | 'graphql_error' | 'unavailable' | 'circuit_open' | 'failed_fast';

export type ObserveCityCall = (
  municipality: MunicipalityCode,
  role: RoleName,
  outcome: CityCallOutcome,
  seconds: number,
) => void;

/** The city's answer, or the error that stands for it when it gave none. */
export type CallResult =
  { response: SubgraphResponse; unavailable?: undefined } | { unavailable: GraphQLFormattedError };

export interface CityCallsOptions {
  /** The role whose endpoints are called. */
  role: RoleName;
  /** The role's endpoint in each city of the network. */
  endpoints: ReadonlyMap<MunicipalityCode, string>;
  /** The HTTP client, shared by the roles (its keep-alive pools). */
  client: CityClient;
  /** The caller's signed principal for each city. */
  principalHeaders: PrincipalHeaders;
  /** Shared by the roles: a city that is down is down for both. */
  breaker?: CircuitBreaker;
  /** Told of every city call: municipality, role, outcome, seconds. */
  observe?: ObserveCityCall;
  /**
   * Identical reads in flight at once (same city, person, query and
   * variables) share one city call. @default true
   */
  dedupeReads?: boolean;
}

export class CityCalls {
  private readonly inFlight = new Map<string, Promise<CallResult>>();

  constructor(private readonly options: CityCallsOptions) {}

  /**
   * A read joins an identical one already in flight for the same person:
   * the city answers (and logs) it once, as it would a repeated read.
   * Mutations are never shared.
   */
  call(
    context: GatewayContext,
    city: MunicipalityCode,
    body: SubgraphRequest,
    read: boolean,
  ): Promise<CallResult> {
    if (!read || this.options.dedupeReads === false) return this.send(context, city, body);
    const { municipality, unit, subject, permissions } = context.principal;
    const key = JSON.stringify([city, municipality, unit, subject, permissions, body]);
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
    const refused = this.refusedWithoutCalling(context, city);
    if (refused) return refused;
    const { breaker, client, endpoints, principalHeaders } = this.options;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      // Serialised once: the principal is bound to these very bytes.
      const payload = JSON.stringify(body);
      const headers = await principalHeaders(context, city, payload);
      const response = await client.send(endpoints.get(city)!, body, headers, payload);
      breaker?.succeeded(city);
      this.observe(city, response.errors?.length ? 'graphql_error' : 'ok', seconds());
      return { response: { ...response, errors: response.errors?.map((e) => attribute(e, city)) } };
    } catch (error) {
      if (!(error instanceof CityUnavailableError)) {
        // Not the city's fault: a probe let through must not hold the circuit half-open.
        breaker?.abandoned(city);
        throw error;
      }
      breaker?.failed(city, { timedOut: error.timedOut });
      this.observe(city, 'unavailable', seconds());
      const unavailable = unavailableCity(city, error.message);
      (context.unavailable ??= new Map()).set(city, unavailable);
      return { unavailable };
    }
  }

  /** A city that failed earlier in this request, or whose circuit is open, is answered at once. */
  private refusedWithoutCalling(context: GatewayContext, city: MunicipalityCode): CallResult | null {
    const failedBefore = context.unavailable?.get(city);
    if (failedBefore) {
      this.observe(city, 'failed_fast', 0);
      return { unavailable: failedBefore };
    }
    if (this.options.breaker && !this.options.breaker.allow(city)) {
      this.observe(city, 'circuit_open', 0);
      return { unavailable: unavailableCity(city, 'not answering, retried shortly', { circuit: 'open' }) };
    }
    return null;
  }

  private observe(city: MunicipalityCode, outcome: CityCallOutcome, seconds: number) {
    this.options.observe?.(city, this.options.role, outcome, seconds);
  }
}

/** Tags a city's error with the municipality that produced it, keeping any it already names. */
function attribute(error: GraphQLFormattedError, city: MunicipalityCode): GraphQLFormattedError {
  return {
    ...error,
    extensions: { ...error.extensions, municipality: error.extensions?.municipality ?? city },
  };
}
