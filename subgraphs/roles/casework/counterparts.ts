// Which home municipalities sent this city assignments: the gateway asks the
// caller's own city with its page of the list, then sends the list query only
// to those cities. Casework, though the answer is the execution role's: it
// exists to route the casework list, and asks the execution role for it.
import type { CityContext } from '../../context';
import { homesOfReceived } from '../execution/received';

/**
 * The home municipalities of the assignments this city received. Only the
 * city's own people are party to all of them; anyone else gets none.
 */
export async function assignmentCounterparts(ctx: CityContext): Promise<string[]> {
  if (ctx.principal.municipality !== ctx.city.code) return [];
  return homesOfReceived(ctx.db);
}
