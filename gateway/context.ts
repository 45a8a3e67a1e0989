import type { GraphQLFormattedError } from 'graphql';
import type { PrefetchedAnswer } from './routing/singleFetch';
import type { ObservedRequest } from '../runtime/observe';
import type { Principal } from '../schema/contract/principal';

/** Per-request state of the gateway. */
export interface GatewayContext {
  principal: Principal;
  /**
   * W3C trace id of this client request, sent to every city as traceparent:
   * the gateway's own unless the caller is trusted to continue its trace.
   */
  traceId: string;
  /** The request's span and log line (absent for requests run in-process). */
  observed?: ObservedRequest;
  /**
   * Cities that already failed during this request, with the error given: later
   * fetches of the same request answer it at once instead of waiting again.
   */
  unavailable?: Map<string, GraphQLFormattedError>;
  /**
   * A role's answer the gateway already has for this request's one fetch,
   * handed to Apollo to shape when it could not be sent as it came (singleFetch.ts).
   */
  prefetched?: PrefetchedAnswer;
}
