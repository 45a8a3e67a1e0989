// Which cities hold assignments a caller receives: its own city knows (it
// received them), so the list asks only those cities, not every municipality.
// The question rides on the caller's own page of the list (one root field
// more in that request), and the last answer per municipality is remembered:
// the next list asks those cities at once, and only cities that the fresh
// answer adds wait for it. The answer stays authoritative; it just stops
// being a hop in front of every list.
import { LRUCache } from 'lru-cache';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import type { SubgraphRequest } from './cityClient';
import { fieldFromSelection } from './operation';

/** Response key of the counterparts in the caller's city's answer. */
export const COUNTERPARTS_KEY = '__counterparts';

/** Added at the root of the caller's own page request. */
export const COUNTERPARTS_ROOT_FIELDS = [fieldFromSelection(`${COUNTERPARTS_KEY}: assignmentCounterparts`)];

/** Asked alone when the caller's own city holds no page of this list (a filter names another home). */
export const COUNTERPARTS_REQUEST: SubgraphRequest = {
  query: `query AssignmentCounterparts { ${COUNTERPARTS_KEY}: assignmentCounterparts }`,
  operationName: 'AssignmentCounterparts',
};

/** The counterparts in a city's answer; null when it could not say. */
export function counterpartsIn(
  data: Record<string, unknown> | null | undefined,
): Set<MunicipalityCode> | null {
  const codes = data?.[COUNTERPARTS_KEY];
  return Array.isArray(codes) ? new Set(codes.filter((c): c is string => typeof c === 'string')) : null;
}

/** The last answer per municipality. */
export interface Counterparts {
  lastKnown(municipality: MunicipalityCode): ReadonlySet<MunicipalityCode> | undefined;
  remember(municipality: MunicipalityCode, counterparts: ReadonlySet<MunicipalityCode>): void;
}

export interface CounterpartsOptions {
  /**
   * Municipalities whose last answer is kept. Every Swedish municipality
   * fits; an answer is a handful of codes.
   * @default 1000
   */
  remembered?: number;
}

// Keyed by municipality, not person: every caller of a city gets the same answer.
export function rememberedCounterparts(options: CounterpartsOptions = {}): Counterparts {
  const last = new LRUCache<MunicipalityCode, ReadonlySet<MunicipalityCode>>({
    max: options.remembered ?? 1000,
  });
  return {
    lastKnown: (municipality) => last.get(municipality),
    remember: (municipality, counterparts) => void last.set(municipality, counterparts),
  };
}
