// Page sizes are checked once, at the edge: a `first` outside its range is
// refused before any city is asked, with the range in the message, rather
// than refused by every city and answered as an empty page.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  Kind,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValueNode,
} from 'graphql';
import { badUserInput } from '../../schema/contract/errors';
import { ROUTING } from '../routing/routes';

export interface PageSizeLimit {
  /** The connection field, as "Type.field". */
  field: string;
  min: number;
  max: number;
  default: number;
}

/** Every keyset connection of the routing table, with its page size range. */
export const PAGE_SIZE_LIMITS: readonly PageSizeLimit[] = Object.values(ROUTING).flatMap((role) =>
  Object.entries(role.root).flatMap(([field, route]) =>
    route.kind === 'fanOut' && route.merge === 'connection'
      ? [{ field, min: 1, max: route.maxPageSize, default: route.defaultPageSize }]
      : [],
  ),
);

/** A `first` argument of a limited connection field, as written in the operation or its fragments. */
interface PageSizeArgument {
  limit: PageSizeLimit;
  value: ValueNode;
}

// The walk needs the schema's types; the document store hands back the same
// parsed operation for the same text, so each operation is walked once.
const argumentsByOperation = new WeakMap<OperationDefinitionNode, readonly PageSizeArgument[]>();

function pageSizeArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  limits: readonly PageSizeLimit[],
): readonly PageSizeArgument[] {
  const byField = new Map(limits.map((limit) => [limit.field, limit]));
  const typeInfo = new TypeInfo(schema);
  const found: PageSizeArgument[] = [];
  const visitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      const limit = parent && byField.get(`${getNamedType(parent).name}.${node.name.value}`);
      const argument = node.arguments?.find((a) => a.name.value === 'first');
      if (limit && argument) found.push({ limit, value: argument.value });
    },
  });
  const definitions = [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)];
  for (const definition of definitions) visit(definition, visitor);
  return found;
}

/**
 * The first `first` out of range in the operation that will run (its own
 * fragments included), as the error the client gets; null when all are in range.
 */
export function pageSizeRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
  limits: readonly PageSizeLimit[] = PAGE_SIZE_LIMITS,
): GraphQLError | null {
  let found = limits === PAGE_SIZE_LIMITS ? argumentsByOperation.get(operation) : undefined;
  if (!found) {
    found = pageSizeArguments(schema, document, operation, limits);
    if (limits === PAGE_SIZE_LIMITS) argumentsByOperation.set(operation, found);
  }
  for (const { limit, value } of found) {
    const first = valueFromASTUntyped(value, variables);
    // Absent or null: the field's default applies; not an integer: the type system refuses it.
    if (!Number.isInteger(first)) continue;
    if ((first as number) >= limit.min && (first as number) <= limit.max) continue;
    return badUserInput(
      `first must be between ${limit.min} and ${limit.max} (${limit.default} when left out); got ${JSON.stringify(first)}. Ask for the next page with after: pageInfo.endCursor.`,
      { argument: 'first', min: limit.min, max: limit.max, http: { status: 400 } },
    );
  }
  return null;
}

/**
 * A `first` written as a literal is refused during validation, beside the
 * other request limits; `refused` remembers the document so the cost limit,
 * which multiplies by that very number, does not refuse it a second time.
 */
export function pageSizeRule(refused: WeakSet<DocumentNode>) {
  return (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const refusal = pageSizeRefusal(context.getSchema(), document, definition);
        if (!refusal) continue;
        refused.add(document);
        context.reportError(refusal);
        return;
      }
    },
  });
}

/** A `first` given in a variable is known once the operation is resolved, still before any city is asked. */
export function pageSizeLimits(): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return Promise.resolve();
          const refusal = pageSizeRefusal(schema, document, operation, request.variables);
          if (refusal) throw refusal;
          return Promise.resolve();
        },
      });
    },
  };
}
