// Who may read and change which case records, and the access log entry of
// every change. A caseworker sees the cases of their own unit (and of the
// units merged with it: units merge without breaking cases); the city's
// configuration names the permissions that see every unit (`caseAccess`).
// A case outside the caller's scope is NOT_FOUND, as one that does not exist:
// the two are not told apart. Every change of a case record commits together
// with its access log entry; reads are logged by audit/accessPlugin.ts.
import type { GraphQLResolveInfo } from 'graphql';
import { Kind, type DocumentNode } from 'graphql';
import { notFound } from '../../schema/contract/errors';
import { appendAccessIn } from '../audit/accessLog';
import { requestedFields } from '../audit/plugin';
import type { CityContext } from '../context';
import type { Prisma } from '../db/generated/client';
import type { Tx } from './cases';

export interface CaseScope {
  /** Every unit's cases (a permission the city's configuration names). */
  everyUnit: boolean;
  /** Otherwise, the units whose cases the caller sees. */
  units: ReadonlySet<string>;
}

const scopes = new WeakMap<CityContext, Promise<CaseScope>>();

/** The caller's scope, worked out once per request. */
export function scopeOf(ctx: CityContext): Promise<CaseScope> {
  let scope = scopes.get(ctx);
  if (!scope) scopes.set(ctx, (scope = computeScope(ctx)));
  return scope;
}

async function computeScope(ctx: CityContext): Promise<CaseScope> {
  const { principal, city } = ctx;
  if (principal.permissions.some((p) => (city.caseAccess.everyUnit as readonly string[]).includes(p)))
    return { everyUnit: true, units: new Set() };
  // Fail closed: a person without a unit, or with one this city does not know, sees no case.
  if (!principal.unit) return { everyUnit: false, units: new Set() };
  const units = await ctx.db.prisma.unit.findMany({ select: { id: true, successorId: true } });
  const successor = new Map(units.map((u) => [u.id, u.successorId]));
  if (!successor.has(principal.unit)) return { everyUnit: false, units: new Set() };
  const current = (id: string) => {
    const seen = new Set<string>();
    let at = id;
    while (successor.get(at) && !seen.has(at)) {
      seen.add(at);
      at = successor.get(at)!;
    }
    return at;
  };
  const mine = current(principal.unit);
  return { everyUnit: false, units: new Set(units.map((u) => u.id).filter((id) => current(id) === mine)) };
}

export const inScope = (scope: CaseScope, unitId: string) => scope.everyUnit || scope.units.has(unitId);

/** The filter of the cases the caller may see. */
export const casesInScope = (scope: CaseScope): Prisma.CaseWhereInput =>
  scope.everyUnit ? {} : { unitId: { in: [...scope.units] } };

const noCase = (caseId: string) => notFound(`No case with id ${caseId}`, { caseId });

/** NOT_FOUND unless the case exists and is in the caller's scope. */
export async function requireCaseInScope(tx: Tx, scope: CaseScope, caseId: string): Promise<void> {
  const found = await tx.case.findUnique({ where: { id: caseId }, select: { unitId: true } });
  if (!found || !inScope(scope, found.unitId)) throw noCase(caseId);
}

/** The names of the arguments a change was given (never their values): `personName`, `input.scope`. */
export function argumentNames(args: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(args)
    .filter(([, value]) => value !== null && value !== undefined)
    .flatMap(([name, value]) =>
      typeof value === 'object' && !Array.isArray(value)
        ? argumentNames(value as Record<string, unknown>, `${prefix}${name}.`)
        : [`${prefix}${name}`],
    )
    .sort();
}

/** Type.field the operation selects: what the change hands back is read too. */
function selectedFields(info: GraphQLResolveInfo): string[] {
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [info.operation, ...Object.values(info.fragments)],
  };
  return requestedFields(info.schema, document);
}

export interface CaseChange<T> {
  /** The case changed, when the arguments name it; otherwise `caseOf` finds it in the result. */
  caseId?: string;
  caseOf?: (result: T) => string;
  /** The case the change is about, known only by a record it touches (a disclosure basis); throws NOT_FOUND. */
  locate?: (tx: Tx) => Promise<string>;
}

/**
 * Runs a change of a case record in one transaction with its access log
 * entry: NOT_FOUND when the case is outside the caller's scope, and nothing
 * changes unless the entry is written too.
 */
export async function changeCaseRecord<T>(
  ctx: CityContext,
  args: Record<string, unknown>,
  info: GraphQLResolveInfo,
  target: CaseChange<T>,
  change: (tx: Tx) => Promise<T>,
): Promise<T> {
  const scope = await scopeOf(ctx);
  return ctx.db.prisma.$transaction(async (tx) => {
    const located = target.caseId ?? (target.locate ? await target.locate(tx) : undefined);
    if (located !== undefined) await requireCaseInScope(tx, scope, located);
    const result = await change(tx);
    const caseId = located ?? target.caseOf!(result);
    const { principal } = ctx;
    await appendAccessIn(tx, {
      at: ctx.now,
      unit: principal.unit,
      subject: principal.subject,
      permissions: principal.permissions,
      operation: `Mutation.${info.fieldName}`,
      kind: 'change',
      cases: [caseId],
      fields: [...argumentNames(args).map((name) => `argument:${name}`), ...selectedFields(info)],
      traceId: ctx.traceId,
    });
    return result;
  });
}
