import type { Logger } from '../schema/contract/logger';
import type { ObservedRequest } from '../schema/contract/observe';
import type { Principal } from '../schema/contract/principal';
import type { CityConfig } from './city';
import type { CityDatabase } from './db/database';
import type { Loaders } from './loaders';
import type { AgreementRecord } from './agreement/agreements';
import type { SendToPeer } from './peer/client';

/** Per-request state of a city endpoint; nothing request-scoped lives in modules. */
export interface CityContext {
  city: CityConfig;
  principal: Principal;
  db: CityDatabase;
  loaders: Loaders;
  /** Messages to the other party's city. */
  peers: SendToPeer;
  agreements: readonly AgreementRecord[];
  /** When the request arrived; rules take "today" from it (Europe/Stockholm). */
  now: Date;
  /** Assignments this request disclosed about, for the disclosure log. */
  disclosed: Set<string>;
  /** The W3C trace id of the client request (from traceparent), or a new one. */
  traceId: string;
  /** The request's span and log line (absent for requests run in-process). */
  observed?: ObservedRequest;
  /** The city's logger: names and codes only, never case data. */
  log?: Logger;
}
