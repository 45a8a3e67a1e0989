// Records every cross-municipal request a role endpoint serves in the
// disclosure log: who asked, which operation, which assignments, which fields,
// on what basis, under which trace id. The city's own people are not logged
// here: nothing crosses a city line for them. When the entry cannot be
// written, the answer is withheld rather than sent unrecorded.
import type { ApolloServerPlugin } from '@apollo/server';
import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import { ErrorCode, errorBody } from '../../schema/contract/errors';
import { parseId } from '../../schema/contract/ids';
import type { Logger } from '../../runtime/logger';
import type { CityContext } from '../context';
import { appendDisclosure } from './disclosureLog';

/** "Type.field" for every field the operation selects (introspection aside). */
export function requestedFields(schema: GraphQLSchema, document: DocumentNode): string[] {
  const typeInfo = new TypeInfo(schema);
  const fields = new Set<string>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && !node.name.value.startsWith('__')) fields.add(`${parent.name}.${node.name.value}`);
      },
    }),
  );
  return [...fields].sort();
}

/** Per assignment: the basis this city had for disclosing it, as home; receiving cities report to home. */
async function basisOf(ctx: CityContext, assignments: string[]): Promise<string> {
  const basis: Record<string, string> = {};
  for (const id of assignments) {
    if (parseId(id)?.home !== ctx.city.code) {
      basis[id] = 'RECEIVING_REPORTS_TO_HOME';
      continue;
    }
    const state = await ctx.loaders.casework.disclosure.load(id);
    basis[id] = state.basisInForce ? 'IN_FORCE' : `LAPSED:${state.lapse}`;
  }
  return JSON.stringify(basis);
}

export function disclosureLogging(schema: GraphQLSchema, log?: Logger): ApolloServerPlugin<CityContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        async willSendResponse({ contextValue: ctx, document, operation, operationName, response }) {
          if (!ctx.principal || ctx.principal.municipality === ctx.city.code || !document) return;
          const assignments = [...ctx.disclosed].sort();
          try {
            await appendDisclosure(ctx.db, {
              at: ctx.now,
              municipality: ctx.principal.municipality,
              unit: ctx.principal.unit,
              subject: ctx.principal.subject,
              permissions: ctx.principal.permissions,
              operation: operationName ?? operation?.name?.value ?? '(anonymous)',
              kind: operation?.operation ?? 'unknown',
              assignments,
              fields: requestedFields(schema, document),
              basis: await basisOf(ctx, assignments),
              traceId: ctx.traceId,
            });
          } catch (error) {
            log?.error({ err: error, traceId: ctx.traceId }, 'could not write the disclosure log');
            // Nothing leaves the city unrecorded: the answer is withheld.
            if (response.body.kind === 'single') {
              response.body.singleResult = errorBody(
                ErrorCode.INTERNAL_SERVER_ERROR,
                'The request could not be recorded in the disclosure log; nothing was disclosed',
              );
            }
          }
        },
      });
    },
  };
}
