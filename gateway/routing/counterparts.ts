// Which cities hold assignments a caller receives: its own city knows (it
// received them), so one cheap call replaces asking every municipality.
import { LRUCache } from 'lru-cache';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { GatewayContext } from '../context';
import type { ShardedDataSource } from './shardedDataSource';

const QUERY = 'query AssignmentCounterparts { assignmentCounterparts }';

export interface Counterparts {
  /**
   * Asks the caller's city now. Null when it cannot say (down, or an error):
   * the list then asks every city rather than miss rows.
   */
  ask(context: GatewayContext): Promise<ReadonlySet<MunicipalityCode> | null>;
  /**
   * The municipality's last answer, if there was one. The list asks these
   * cities at once, beside the caller's own, and only cities the fresh answer
   * adds wait for it: the answer stays authoritative, it just stops being a
   * hop in front of every list.
   */
  lastKnown(municipality: MunicipalityCode): ReadonlySet<MunicipalityCode> | undefined;
}

export interface CounterpartsOptions {
  /**
   * Municipalities whose last answer is kept. Every Swedish municipality
   * fits; an answer is a handful of codes.
   * @default 1000
   */
  remembered?: number;
}

/** Asks through the execution role of the caller's city, remembering each answer. */
export function counterpartsVia(
  execution: ShardedDataSource,
  options: CounterpartsOptions = {},
): Counterparts {
  // Keyed by municipality, not person: any caller of a city gets the same answer.
  const last = new LRUCache<MunicipalityCode, ReadonlySet<MunicipalityCode>>({
    max: options.remembered ?? 1000,
  });
  return {
    async ask(context) {
      const caller = context.principal.municipality;
      const answer = await execution.call(context, caller, {
        query: QUERY,
        operationName: 'AssignmentCounterparts',
      });
      if (answer.unavailable || answer.response.errors?.length) return null;
      const codes = answer.response.data?.assignmentCounterparts;
      if (!Array.isArray(codes)) return null;
      const held = new Set(codes.filter((c): c is string => typeof c === 'string'));
      last.set(caller, held);
      return held;
    },
    lastKnown: (municipality) => last.get(municipality),
  };
}
