// The casework list: the assignments this city sent, narrowed to those the
// caller's municipality is party to, in the global keyset order.
import { decodeCursor, encodeCursor, type AssignmentKey } from '../../../schema/contract/cursor';
import { badUserInput } from '../../../schema/contract/errors';
import type { AssignmentFilter, AssignmentStatus } from '../../generated/casework';
import type { Prisma } from '../../db/generated/client';
import type { CityContext } from '../../context';
import type { ReadAhead } from './loaders';
import type { AssignmentModel } from './models';

export const MAX_PAGE_SIZE = 100;

export function keyOf(assignment: AssignmentModel): AssignmentKey {
  return { updatedAt: assignment.updatedAt.toISOString(), id: assignment.id };
}

export function checkPageArgs(first: number | null | undefined, after: string | null | undefined) {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, { argument: 'first' });
  }
  const cursor = after ? decodeCursor(after) : null;
  if (after && !cursor)
    throw badUserInput('after is not a cursor returned by this API', { argument: 'after' });
  return { size, cursor };
}

export async function listAssignments(
  ctx: CityContext,
  args: { filter?: AssignmentFilter | null; first?: number | null; after?: string | null },
  ahead: ReadAhead = { plan: false, disclosure: false },
) {
  const { size, cursor } = checkPageArgs(args.first, args.after);
  const where = partyScope(ctx, args.filter ?? {});
  const empty = { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
  if (!where) return empty;
  if (cursor) {
    const at = new Date(cursor.updatedAt);
    // The redundant bound lets PostgreSQL start the index scan at the cursor; with
    // the OR alone it walks every newer row, so deep pages slowed with the data.
    where.updatedAt = { lte: at };
    where.OR = [{ updatedAt: { lt: at } }, { updatedAt: at, id: { lt: cursor.id } }];
  }
  // What the page will be asked for comes in the same statement (see ./loaders.ts).
  const rows = await ctx.loaders.casework.findAssignments(
    { where, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], take: size + 1 },
    ahead,
  );
  const page = rows.slice(0, size);
  for (const row of page) ctx.disclosed.add(row.id);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** The SQL scope for this caller, or null when nothing here can match. */
function partyScope(ctx: CityContext, filter: AssignmentFilter): Prisma.AssignmentWhereInput | null {
  const here = ctx.city.code;
  const caller = ctx.principal.municipality;
  if (filter.homeMunicipality && filter.homeMunicipality !== here) return null;
  // Every assignment here has this city as home; any other caller must be receiving.
  let receiving = caller === here ? undefined : caller;
  if (filter.receivingMunicipality) {
    if (receiving && receiving !== filter.receivingMunicipality) return null;
    receiving = filter.receivingMunicipality;
  }
  const where: Prisma.AssignmentWhereInput = { homeMunicipality: here };
  if (receiving) where.receivingMunicipality = receiving;
  const statuses: AssignmentStatus[] | null | undefined = filter.status;
  if (statuses && statuses.length > 0) where.status = { in: statuses };
  return where;
}
