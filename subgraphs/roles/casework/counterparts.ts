// Which home municipalities sent this city assignments: the gateway asks the
// caller's own city with its page of the list, then sends the list query only
// to those cities. Casework, though it reads what this city received: it
// exists to route the casework list.
import type { CityContext } from '../../context';

/**
 * The home municipalities of the assignments this city received. Only the
 * city's own people are party to all of them; anyone else gets none.
 */
export async function assignmentCounterparts(ctx: CityContext): Promise<string[]> {
  if (ctx.principal.municipality !== ctx.city.code) return [];
  // A loose index scan: one index probe per distinct municipality, so the
  // cost follows the number of counterparts, not the number of assignments.
  const rows = await ctx.db.query<{ home: string }>(
    `WITH RECURSIVE homes AS (
       (SELECT home_municipality AS home FROM incoming_assignment ORDER BY home_municipality LIMIT 1)
       UNION ALL
       SELECT (SELECT i.home_municipality FROM incoming_assignment i
               WHERE i.home_municipality > homes.home
               ORDER BY i.home_municipality LIMIT 1)
       FROM homes WHERE homes.home IS NOT NULL
     )
     SELECT home FROM homes WHERE home IS NOT NULL`,
  );
  return rows.map((row) => row.home);
}
