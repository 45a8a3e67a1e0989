// Every answer of the gateway's GraphQL routes names its trace id, the one
// it sends each city in traceparent and the cities write into their logs:
// a person or integrator quotes it, and an auditor finds the request's
// entries by it (the log page's trace filter).
import type { RequestHandler } from 'express';
import { observedOf } from '../runtime/observe';

export const TRACE_ID_HEADER = 'x-trace-id';

/** After observeRequests: names the request's trace id in the answer. */
export const traceIdHeader: RequestHandler = (_req, res, next) => {
  res.setHeader(TRACE_ID_HEADER, observedOf(res).traceId);
  next();
};
