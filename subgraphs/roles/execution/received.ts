// What the execution role tells the rest of the city about the assignments
// it received, without the others reading its tables.
import { notFound } from '../../../schema/contract/errors';
import { parseId } from '../../../schema/contract/ids';
import { isParty } from '../../../schema/contract/parties';
import type { CityContext } from '../../context';
import type { CityDatabase } from '../../db/database';
import type { Prisma } from '../../db/generated/client';
import type { ReceivedAssignmentModel } from './models';

type Tx = Prisma.TransactionClient;

/** An assignment this city received, or NOT_FOUND (also for a caller that is not a party). */
export async function receivedHere(
  ctx: CityContext,
  id: string,
  argument = 'id',
  db: Tx = ctx.db.prisma,
): Promise<ReceivedAssignmentModel> {
  const parsed = parseId(id, 'asg');
  const found =
    parsed?.receiving === ctx.city.code ? await db.incomingAssignment.findUnique({ where: { id } }) : null;
  if (!found || !isParty(ctx.principal.municipality, found))
    throw notFound('No such assignment', { argument });
  ctx.disclosed.add(id);
  return found;
}

/**
 * The home municipalities of the assignments this city received. A loose
 * index scan: one index probe per distinct municipality, so the cost follows
 * the number of counterparts, not the number of assignments.
 */
export async function homesOfReceived(db: CityDatabase): Promise<string[]> {
  const rows = await db.query<{ home: string }>(
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
