// What every city call made for one subgraph request shares, passed around
// as one value instead of six parameters.
import { OperationTypeNode } from 'graphql';
import type { GatewayContext } from '../context';
import type { SubgraphRequest } from './cityClient';
import { parseOperation, type ParsedOperation } from './operation';

export interface RequestScope {
  readonly context: GatewayContext;
  readonly parsed: ParsedOperation;
  /** The operation's text as the query planner sent it. */
  readonly query: string;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown>;
  /** Not a mutation: identical calls in flight may be shared. */
  readonly read: boolean;
}

export function requestScope(request: SubgraphRequest, context: GatewayContext): RequestScope {
  const { query } = request;
  const parsed = parseOperation(query);
  return {
    context,
    parsed,
    query,
    operationName: request.operationName ?? undefined,
    variables: request.variables ?? {},
    read: parsed.operation.operation !== OperationTypeNode.MUTATION,
  };
}
