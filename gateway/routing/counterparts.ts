// Which cities hold assignments a caller receives: its own city knows (it
// received them), so one cheap call replaces asking every municipality.
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { GatewayContext } from '../context';
import type { ShardedDataSource } from './shardedDataSource';

const QUERY = 'query AssignmentCounterparts { assignmentCounterparts }';

/**
 * Asks the caller's city through the execution role. Null when it cannot say
 * (down, or an error): the list then asks every city rather than miss rows.
 */
export function counterpartsVia(execution: ShardedDataSource) {
  return async (context: GatewayContext): Promise<ReadonlySet<MunicipalityCode> | null> => {
    const caller = context.principal.municipality;
    const answer = await execution.call(context, caller, {
      query: QUERY,
      operationName: 'AssignmentCounterparts',
    });
    if (answer.unavailable || answer.response.errors?.length) return null;
    const codes = answer.response.data?.assignmentCounterparts;
    return Array.isArray(codes) ? new Set(codes.filter((c): c is string => typeof c === 'string')) : null;
  };
}
