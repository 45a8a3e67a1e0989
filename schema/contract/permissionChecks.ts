// Every root field checks the permission matrix (permissions.ts) before it
// runs, in every city: the gateway is not the only line of defence.
import { forbidden } from './errors';
import { FIELD_PERMISSIONS, mayRun } from './permissions';
import type { Principal } from './principal';

type Resolver = (parent: unknown, args: unknown, ctx: { principal: Principal }, info: unknown) => unknown;

/** Wraps the Query and Mutation resolvers of a resolver map with the permission check. */
export function withPermissionChecks<T extends object>(resolvers: T): T {
  const wrapped = { ...resolvers } as Record<string, unknown>;
  for (const type of ['Query', 'Mutation'] as const) {
    const fields = (resolvers as Record<string, Record<string, Resolver> | undefined>)[type];
    if (!fields) continue;
    wrapped[type] = Object.fromEntries(
      Object.entries(fields).map(([name, resolve]) => {
        const key = `${type}.${name}`;
        if (!(key in FIELD_PERMISSIONS)) throw new Error(`No permission is declared for ${key}`);
        const guarded: Resolver = (parent, args, ctx, info) => {
          if (!mayRun(key, ctx.principal.permissions)) {
            throw forbidden(`${key} needs one of the permissions ${FIELD_PERMISSIONS[key]!.join(', ')}`, {
              requiredPermissions: FIELD_PERMISSIONS[key],
            });
          }
          return resolve(parent, args, ctx, info);
        };
        return [name, guarded];
      }),
    );
  }
  return wrapped as T;
}
