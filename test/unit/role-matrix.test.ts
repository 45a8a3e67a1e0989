// The role matrix, walked: for every root field every city serves and every
// role, the field runs for the roles the matrix lists and is FORBIDDEN for
// the others, before anything else happens.
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ROLES, PERMISSIONS, mayRun } from '../../schema/contract/roles';
import { withRoleChecks } from '../../subgraphs/authorize';
import { caseworkResolvers } from '../../subgraphs/roles/casework/resolvers';
import { executionResolvers } from '../../subgraphs/roles/execution/resolvers';
import { internalResolvers } from '../../subgraphs/internal/resolvers';
import { caseworkSchema, executionSchema, internalSchema } from '../../subgraphs/schemas';

type Root = Record<string, Record<string, (...args: unknown[]) => unknown>>;

const maps = { casework: caseworkResolvers, execution: executionResolvers, internal: internalResolvers };

/** Runs a guarded resolver; the inner resolver fails for lack of a database, which is not FORBIDDEN. */
async function outcome(
  resolve: (...args: unknown[]) => unknown,
  roles: string[],
): Promise<'forbidden' | 'ran'> {
  const sentinel = new Error('reached the resolver');
  const ctx = {
    principal: { municipality: '0180', unit: null, subject: 'test', roles },
    get db(): never {
      throw sentinel;
    },
  };
  try {
    await resolve({}, {}, ctx, {});
    return 'ran';
  } catch (error) {
    if (
      error instanceof GraphQLError &&
      error.extensions.code === 'FORBIDDEN' &&
      /needs one of the roles/.test(error.message)
    ) {
      return 'forbidden';
    }
    return 'ran';
  }
}

describe('the role matrix', () => {
  for (const [subgraph, resolvers] of Object.entries(maps)) {
    const guarded = withRoleChecks(resolvers) as unknown as Root;
    for (const type of ['Query', 'Mutation'] as const) {
      for (const [name, resolve] of Object.entries(guarded[type] ?? {})) {
        const key = `${type}.${name}`;
        it(`${subgraph} ${key}: ${PERMISSIONS[key]?.join(', ')}`, async () => {
          for (const role of ROLES) {
            expect([role, await outcome(resolve, [role])]).toEqual([
              role,
              mayRun(key, [role]) ? 'ran' : 'forbidden',
            ]);
          }
          expect(await outcome(resolve, [])).toBe('forbidden');
        });
      }
    }
  }

  it('declares a permission for every root field of every schema (building them would fail otherwise)', () => {
    expect(() => [caseworkSchema(), executionSchema(), internalSchema()]).not.toThrow();
  });

  it('keeps decisions on assignments and settlements with the roles that own them', () => {
    expect(mayRun('Mutation.respondToAssignment', ['caseworker'])).toBe(false);
    expect(mayRun('Mutation.respondToAssignment', ['coordinator'])).toBe(true);
    expect(mayRun('Mutation.confirmReconciliation', ['finance'])).toBe(true);
    expect(mayRun('Mutation.confirmReconciliation', ['coordinator'])).toBe(false);
    expect(mayRun('Mutation.proposeAssignment', ['auditor'])).toBe(false);
    expect(mayRun('Query.evaluationReport', ['auditor'])).toBe(true);
    expect(mayRun('Query.nonexistent', [...ROLES])).toBe(false);
  });
});
