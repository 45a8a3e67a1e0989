// An operation one role answers whole (routing/singleFetch.ts) is sent to
// that role here, without Apollo's request pipeline, planner and result
// shaping, which cost more than the city call itself on a small read. Only
// the plain case is answered here: a POST of a known operation, variables
// that coerce, page sizes in range, an authenticated caller, and an answer
// without errors that has exactly the operation's shape. Anything else goes
// on to Apollo, with the role's answer when there is one, so a request is
// never sent to a city twice and every refusal and error reads as Apollo's.
import type { ExpressContextFunctionArgument } from '@as-integrations/express5';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { getVariableValues } from 'graphql';
import { observedOf, observeOperation, observeOutcome } from '../runtime/observe';
import type { GatewayContext } from './context';
import type { GatewayMetrics } from './metrics';
import { pageSizeRefusal } from './hardening/pageSize';
import type { RoleName } from './routing/routes';
import { conformsTo, fetchRequest, type SingleFetch, type SingleFetches } from './routing/singleFetch';
import type { ShardedDataSource } from './routing/shardedDataSource';

export interface SingleFetchAnswersOptions {
  /** The operations Apollo planned as one fetch from one role. */
  fetches: SingleFetches;
  /** Each role's data source, the one Apollo's fetches go to. */
  roles: Readonly<Record<RoleName, Pick<ShardedDataSource, 'answer'>>>;
  /** The caller's context, as Apollo would build it; throws when the request is not authenticated. */
  context: (argument: ExpressContextFunctionArgument) => Promise<GatewayContext>;
  /** Counts the request as Apollo's metrics plugin would, and how each was answered. */
  metrics: Pick<GatewayMetrics, 'countRequest' | 'countSingleFetch'>;
}

// The media types Apollo answers a single result in, in its order of preference.
const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
const CALLBACK_TYPE = 'application/json; callbackSpec=1.0; charset=utf-8';

export function singleFetchAnswers(options: SingleFetchAnswersOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    answer(options, req, res).then((answered) => (answered ? undefined : next()), next);
  };
}

async function answer(options: SingleFetchAnswersOptions, req: Request, res: Response): Promise<boolean> {
  const known = knownOperation(options, req);
  if (!known) return false;
  const { fetch, variables } = known;
  // Chosen as Apollo chooses (the same negotiation); a type it would refuse is left to it.
  const contentType = req.accepts([JSON_TYPE, GRAPHQL_RESPONSE_TYPE, CALLBACK_TYPE]);
  if (contentType !== JSON_TYPE && contentType !== GRAPHQL_RESPONSE_TYPE) return false;
  const schema = fetch.schema;
  if (getVariableValues(schema, fetch.operation.variableDefinitions ?? [], variables).errors) return false;
  if (pageSizeRefusal(schema, fetch.document, fetch.operation, variables)) return false;
  let context: GatewayContext;
  try {
    context = await options.context({ req, res });
  } catch {
    return false;
  }
  const request = fetchRequest(fetch, variables);
  let response;
  try {
    response = await options.roles[fetch.role].answer(request, context);
  } catch {
    // Not a city's answer (a failure of the gateway's own): Apollo meets it again and answers it its way.
    return false;
  }
  if (response.errors?.length || !conformsTo(response.data, fetch.shape)) {
    // Apollo shapes it: the same plan asks the role for the same request, and gets this answer.
    res.locals.prefetched = { role: fetch.role, request, response };
    options.metrics.countSingleFetch(fetch.role, 'shaped');
    return false;
  }
  const observed = observedOf(res);
  observed.caller = context.principal.municipality;
  observeOperation(observed, fetch.operation, fetch.operation.name?.value);
  observeOutcome(observed, undefined);
  options.metrics.countRequest(fetch.operation.name?.value, false);
  options.metrics.countSingleFetch(fetch.role, 'answered');
  res.setHeader('content-type', contentType);
  // Apollo's cache-control plugin says this of every answer here: the roles give no cache hints.
  res.setHeader('cache-control', 'no-store');
  // As Apollo writes a result: JSON and a newline.
  res.send(`${JSON.stringify({ data: response.data })}\n`);
  return true;
}

/** The request as Apollo reads a POST, when it names an operation planned as a single fetch. */
function knownOperation(
  options: SingleFetchAnswersOptions,
  req: Request,
): { fetch: SingleFetch; variables: Record<string, unknown> } | null {
  if (req.method !== 'POST' || !req.is('application/json')) return null;
  const body = req.body as Record<string, unknown> | undefined;
  if (!isRecord(body) || typeof body.query !== 'string') return null;
  // Persisted queries and other extensions are Apollo's protocol: left to it. A document sent by
  // its hash arrives here with its text and the hash taken out (resolvePersistedDocuments).
  const { extensions } = body;
  if (extensions !== undefined && extensions !== null && !(isRecord(extensions) && isEmpty(extensions)))
    return null;
  const { operationName = null, variables = null } = body;
  if (operationName !== null && typeof operationName !== 'string') return null;
  if (variables !== null && !isRecord(variables)) return null;
  const fetch = options.fetches.lookup(body.query, operationName);
  if (!fetch) return null;
  return { fetch, variables: variables ?? {} };
}

const isEmpty = (record: Record<string, unknown>) => Object.keys(record).length === 0;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
