// What every city call made for one subgraph request shares, passed around
// as one value instead of six parameters.
import type { GatewayGraphQLRequest } from '@apollo/server-gateway-interface';
import { OperationTypeNode } from 'graphql';
import type { GatewayContext } from '../context';
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

export function requestScope(request: GatewayGraphQLRequest, context: GatewayContext): RequestScope {
  const query = request.query ?? '';
  const parsed = parseOperation(query);
  return {
    context,
    parsed,
    query,
    operationName: request.operationName,
    variables: request.variables ?? {},
    read: parsed.operation.operation !== OperationTypeNode.MUTATION,
  };
}
