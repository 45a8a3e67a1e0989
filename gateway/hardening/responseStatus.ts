// HTTP status of a refused request, as the GraphQL over HTTP specification
// asks: a client that accepts `application/graphql-response+json` gets 4xx
// for a document that cannot be parsed, validated or given its variables; a
// client of the older `application/json` gets 200, the errors in the body
// and no `data`, so it cannot take the answer for an empty result.
import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../schema/contract/errors';

const REQUEST_ERRORS = new Set<unknown>([
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.BAD_USER_INPUT,
]);

export function requestErrorStatus(): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ request, response }) {
          if (response.body.kind !== 'single' || response.http.status !== 400) return Promise.resolve();
          const { data, errors } = response.body.singleResult;
          const accept = request.http?.headers.get('accept') ?? '';
          const refusedBeforeExecution =
            data === undefined && errors?.every((error) => REQUEST_ERRORS.has(error.extensions?.code));
          if (refusedBeforeExecution && !accept.includes('application/graphql-response+json'))
            response.http.status = 200;
          return Promise.resolve();
        },
      });
    },
  };
}
