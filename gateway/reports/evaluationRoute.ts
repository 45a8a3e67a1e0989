// GET /reports/evaluation.csv?agreement=<id>: the joint evaluation report
// as CSV. The same GraphQL query a client would send, run in-process as the
// caller, so the caller's permissions and the cities' party rules apply.
import type { ApolloServer } from '@apollo/server';
import type { Request, RequestHandler } from 'express';
import { ErrorCode, errorBody } from '../../schema/contract/errors';
import type { GatewayContext } from '../context';
import { EVALUATION_REPORT_QUERY, evaluationReportCsv, type EvaluationReportData } from './evaluationCsv';

export interface EvaluationReportRouteOptions {
  /** The gateway's GraphQL server, started. */
  server: Pick<ApolloServer<GatewayContext>, 'executeOperation'>;
  /** The caller's context; throws when the request is not authenticated (answered 401). */
  contextOf: (req: Request) => Promise<GatewayContext>;
  /** The ids of the agreements this network knows: any other is answered 404 without asking a city. */
  agreementIds: readonly string[];
}

/** The HTTP status of a report the GraphQL answer refused, by its first error's code. */
const STATUS_OF: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
};

export function evaluationReportRoute(options: EvaluationReportRouteOptions): RequestHandler {
  const { server, contextOf, agreementIds } = options;
  return async (req, res) => {
    const agreement = typeof req.query.agreement === 'string' ? req.query.agreement : '';
    let contextValue: GatewayContext;
    try {
      contextValue = await contextOf(req);
    } catch (error) {
      res.status(401).json(errorBody(ErrorCode.UNAUTHENTICATED, (error as Error).message));
      return;
    }
    if (!agreement) {
      res.status(400).json(errorBody(ErrorCode.BAD_USER_INPUT, 'agreement is required'));
      return;
    }
    if (!agreementIds.includes(agreement)) {
      const known = agreementIds.join(', ');
      res
        .status(404)
        .json(
          errorBody(ErrorCode.NOT_FOUND, `No agreement ${agreement} in this network; agreements: ${known}`),
        );
      return;
    }
    const response = await server.executeOperation(
      { query: EVALUATION_REPORT_QUERY, variables: { agreement } },
      { contextValue },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : null;
    const report = result?.data?.evaluationReport as EvaluationReportData | undefined;
    if (!report || result?.errors?.length) {
      // A refusal is the caller's answer; anything else (a city down) is the cities'.
      const code = result?.errors?.[0]?.extensions?.code;
      res.status((typeof code === 'string' && STATUS_OF[code]) || 502).json({ errors: result?.errors });
      return;
    }
    res
      .type('text/csv; charset=utf-8')
      .attachment(`evaluation-${agreement}.csv`)
      .send(evaluationReportCsv(report));
  };
}
