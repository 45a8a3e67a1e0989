import type { Logger } from '../runtime/logger';
import type { ObservedRequest } from '../runtime/observe';
import type { Principal } from '../schema/contract/principal';
import type { CityConfig } from './city';
import type { CityDatabase } from './db/database';
import type { RequestLoaders } from './requestScope';
import type { AgreementRecord } from '../schema/contract/agreements';
import type { PeerClient } from './peer/client';
import type { OutboxDispatcher } from './peer/outbox';
import type { ConsistencyChecker } from './peer/consistency';
import type { JWTVerifyGetKey } from 'jose';

/** What a change made in this request writes its messages with (see peer/outbox.ts). */
export const changeScopeOf = (ctx: CityContext) => ({
  db: ctx.db,
  dispatcher: ctx.dispatcher,
  now: ctx.now,
  principal: ctx.principal,
  traceId: ctx.traceId,
});

/** Per-request state of a city endpoint; nothing request-scoped lives in modules. */
export interface CityContext {
  city: CityConfig;
  principal: Principal;
  db: CityDatabase;
  loaders: RequestLoaders;
  /** Questions to other cities (reads); changes go through the outbox. */
  peers: Pick<PeerClient, 'ask'>;
  /** Delivers the outbox once a change with messages commits. */
  dispatcher: OutboxDispatcher;
  /** Compares what this city shares with another with that city's digest. */
  consistency: ConsistencyChecker;
  /** Every other municipality of the network. */
  counterparties: () => string[];
  /** The public message keys of a city of the network (this one's too); null for an unknown city. */
  cityKeys?: (municipality: string) => JWTVerifyGetKey | null;
  agreements: readonly AgreementRecord[];
  /** When the request arrived; rules take "today" from it (Europe/Stockholm). */
  now: Date;
  /** Assignments this request disclosed about, for the disclosure log. */
  disclosed: Set<string>;
  /** Case records this internal API request read, for the access log. */
  caseReads?: Set<string>;
  /** The W3C trace id of the client request (from traceparent), or a new one. */
  traceId: string;
  /** The request's span and log line (absent for requests run in-process). */
  observed?: ObservedRequest;
  /** The city's logger: names and codes only, never case data. */
  log?: Logger;
}
