// Records every read of a case record through the internal API in the
// access log: who, which cases, which fields (Type.field selected), when,
// under which trace. Changes are logged in their own transaction
// (internal/caseAccess.ts). When the entry cannot be written, the answer is
// withheld rather than sent unrecorded.
import type { ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode, type GraphQLSchema } from 'graphql';
import { ErrorCode, errorBody } from '../../schema/contract/errors';
import type { Logger } from '../../runtime/logger';
import type { CityContext } from '../context';
import { appendAccess } from './accessLog';
import { requestedFields } from './plugin';

export function caseAccessLogging(schema: GraphQLSchema, log?: Logger): ApolloServerPlugin<CityContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        async willSendResponse({ contextValue: ctx, document, operation, operationName, response }) {
          if (
            !ctx.principal ||
            !document ||
            !ctx.caseReads?.size ||
            operation?.operation === OperationTypeNode.MUTATION
          )
            return;
          try {
            await appendAccess(ctx.db, {
              at: ctx.now,
              unit: ctx.principal.unit,
              subject: ctx.principal.subject,
              permissions: ctx.principal.permissions,
              operation: operationName ?? operation?.name?.value ?? '(anonymous)',
              kind: 'read',
              cases: [...ctx.caseReads].sort(),
              fields: requestedFields(schema, document),
              traceId: ctx.traceId,
            });
          } catch (error) {
            log?.error({ err: error, traceId: ctx.traceId }, 'could not write the access log');
            if (response.body.kind === 'single') {
              response.body.singleResult = errorBody(
                ErrorCode.INTERNAL_SERVER_ERROR,
                'The read could not be recorded in the access log; nothing was shown',
              );
            }
          }
        },
      });
    },
  };
}
