// From an HTTP request to the gateway's per-request context: the bearer
// token is verified into the caller's principal (authenticate.ts), and the
// context every data source reads is built around it. Used by /graphql and
// by routes that run an operation in-process (the CSV report).
import type { ExpressContextFunctionArgument } from '@as-integrations/express5';
import type { Request } from 'express';
import { observedOf } from '../../runtime/observe';
import { traceIdOf } from '../../runtime/trace';
import type { GatewayContext } from '../context';
import type { Authenticate } from './authenticate';

export interface RequestContextOptions {
  /** Verifies the `authorization` header; throws UNAUTHENTICATED when it is missing or not valid. */
  authenticate: Authenticate;
  /** Whether a caller's traceparent is continued (see traceCallers.ts). @default nobody's */
  trustsTraceOf?: (req: Request) => boolean;
}

interface RequestContexts {
  /** For Apollo's Express middleware: the request is observed (its span and log line) already. */
  graphql: (argument: ExpressContextFunctionArgument) => Promise<GatewayContext>;
  /** For a route outside /graphql: the trace continues from a trusted caller's traceparent. */
  route: (req: Request) => Promise<GatewayContext>;
}

export function requestContexts(options: RequestContextOptions): RequestContexts {
  const { authenticate, trustsTraceOf = () => false } = options;
  return {
    graphql: async ({ req, res }) => {
      const observed = observedOf(res);
      return {
        principal: await authenticate(req.header('authorization')),
        traceId: observed.traceId,
        observed,
        // The role's answer the gateway got before handing the request to Apollo (singleFetchAnswers.ts).
        prefetched: res.locals.prefetched as GatewayContext['prefetched'],
      };
    },
    route: async (req) => ({
      principal: await authenticate(req.header('authorization')),
      traceId: traceIdOf(trustsTraceOf(req) ? req.header('traceparent') : undefined),
    }),
  };
}
