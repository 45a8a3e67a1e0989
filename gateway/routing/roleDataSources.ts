// The data source of each federated role: one sharded data source per role
// over every city of the network, sharing one HTTP client (its keep-alive
// pools) and one circuit breaker.
import type { TlsSettings } from '../../runtime/environment';
import type { Logger } from '../../runtime/logger';
import type { MunicipalityEntry } from '../../schema/contract/network';
import type { PrincipalHeaders } from '../auth/forwardPrincipal';
import type { CircuitBreaker } from './circuitBreaker';
import type { ObserveCityCall } from './cityCalls';
import { CityClient } from './cityClient';
import { rememberedCounterparts } from './counterparts';
import { ROUTING, type RoleName } from './routes';
import { ShardedDataSource } from './shardedDataSource';

export interface RoleDataSourcesOptions {
  /** The network's cities; each serves every role at `<url>/<role>/graphql`. */
  cities: readonly Pick<MunicipalityEntry, 'code' | 'url'>[];
  /** Budget for one city call, connection included. */
  timeoutMs: number;
  /** Keep-alive connections per city and role. */
  connectionsPerCity: number;
  /** Identical reads in flight for the same person share one city call. @default true */
  dedupeReads?: boolean;
  /** The caller's principal, signed for each city. */
  principalHeaders: PrincipalHeaders;
  /** One breaker for both roles: a city that is down is down for both. */
  breaker: CircuitBreaker;
  /** Told of every city call (see cityCallObserver.ts). */
  observe?: ObserveCityCall;
  /** Where failed city calls are logged. */
  log?: Logger;
  /** Trusted authorities for `https:` cities, and the gateway's client certificate. */
  tls?: TlsSettings;
}

interface RoleDataSources {
  dataSources: Record<RoleName, ShardedDataSource>;
  /** Closes the connections to the cities. */
  close(): Promise<void>;
}

const ROLES: readonly RoleName[] = ['casework', 'execution'];

const endpointOf = (url: string, role: RoleName) => `${url.replace(/\/$/, '')}/${role}/graphql`;

export function roleDataSources(options: RoleDataSourcesOptions): RoleDataSources {
  const { cities } = options;
  const client = new CityClient({
    timeoutMs: options.timeoutMs,
    connections: options.connectionsPerCity,
    targets: new Map(
      cities.flatMap((city) =>
        ROLES.map((role) => [endpointOf(city.url, role), { municipality: city.code, role }] as const),
      ),
    ),
    log: options.log,
    tls: options.tls,
  });
  const dataSource = (role: RoleName) =>
    new ShardedDataSource({
      role,
      routing: ROUTING[role],
      endpoints: new Map(cities.map((city) => [city.code, endpointOf(city.url, role)])),
      client,
      principalHeaders: options.principalHeaders,
      breaker: options.breaker,
      observe: options.observe,
      dedupeReads: options.dedupeReads,
      // Only the casework list narrows to the caller's counterparts.
      counterparts: role === 'casework' ? rememberedCounterparts() : undefined,
    });
  return {
    dataSources: { casework: dataSource('casework'), execution: dataSource('execution') },
    close: () => client.close(),
  };
}
