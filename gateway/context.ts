import type { GraphQLFormattedError } from 'graphql';
import type { ObservedRequest } from '../schema/contract/observe';
import type { Principal } from '../schema/contract/principal';

/** Per-request state of the gateway. */
export interface GatewayContext {
  principal: Principal;
  /** Signed principals per city, made once per request (see auth/forwardPrincipal.ts). */
  signedPrincipals: Map<string, Promise<string>>;
  /** W3C trace id of this client request, sent to every city as traceparent. */
  traceId: string;
  /** The request's span and log line (absent for requests run in-process). */
  observed?: ObservedRequest;
  /**
   * Cities that already failed during this request, with the error given: later
   * fetches of the same request answer it at once instead of waiting again.
   */
  unavailable?: Map<string, GraphQLFormattedError>;
}
