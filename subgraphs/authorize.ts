// Every root field checks the role matrix (schema/contract/roles.ts) before it
// runs, in every city: the gateway is not the only line of defence.
import { forbidden } from '../schema/contract/errors';
import { mayRun, PERMISSIONS } from '../schema/contract/roles';
import type { Principal } from '../schema/contract/principal';

type Resolver = (parent: unknown, args: unknown, ctx: { principal: Principal }, info: unknown) => unknown;

/** Wraps the Query and Mutation resolvers of a resolver map with the role check. */
export function withRoleChecks<T extends object>(resolvers: T): T {
  const wrapped = { ...resolvers } as Record<string, unknown>;
  for (const type of ['Query', 'Mutation'] as const) {
    const fields = (resolvers as Record<string, Record<string, Resolver> | undefined>)[type];
    if (!fields) continue;
    wrapped[type] = Object.fromEntries(
      Object.entries(fields).map(([name, resolve]) => {
        const key = `${type}.${name}`;
        if (!(key in PERMISSIONS)) throw new Error(`No permission is declared for ${key}`);
        const guarded: Resolver = (parent, args, ctx, info) => {
          if (!mayRun(key, ctx.principal.roles)) {
            throw forbidden(`${key} needs one of the roles ${PERMISSIONS[key]!.join(', ')}`, {
              requiredRoles: PERMISSIONS[key],
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
