// Entity references resolve in batches: the SQL a city runs for an
// `_entities` fetch is the same for 3 assignments as for 60 (no N+1), and a
// page of the list is one statement with what its selection asks for.
// Real PGlite, statements counted at the driver adapter.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatId } from '../../schema/contract/ids';
import type { CityContext } from '../../subgraphs/context';
import { openDatabase, type CityDatabase } from '../../subgraphs/db/database';
import { applyMigrations } from '../../subgraphs/db/migrate';
import { seedCity } from '../../subgraphs/db/seed';
import { requestLoaders } from '../../subgraphs/requestScope';
import { caseworkSchema, executionSchema } from '../../subgraphs/schemas';
import { loadCityConfig } from '../../subgraphs/config';
import { prepareDataDirectories } from '../../scripts/pgliteTemplate';

const stockholm = await loadCityConfig({ code: '0180' });

const ASSIGNMENTS = 60;
const dir = mkdtempSync(join(tmpdir(), 'avhoppare-batch-'));
let db: CityDatabase;
const statements: string[] = [];
const ids: string[] = [];

beforeAll(async () => {
  await prepareDataDirectories([join(dir, 'pgdata')]);
  db = await openDatabase({
    kind: 'pglite',
    dataDir: join(dir, 'pgdata'),
    onQuery: (sql) => statements.push(sql),
  });
  await applyMigrations(db);
  await seedCity(db.prisma, stockholm, false);
  const at = new Date('2023-06-01T00:00:00.000Z');
  await db.prisma.case.create({
    data: {
      id: 'case-batch',
      personName: 'Demo Batch',
      personalIdentityNumber: '19000101-0008',
      unitId: 'sto-central',
    },
  });
  for (let i = 0; i < ASSIGNMENTS; i++) {
    const id = formatId('asg', '0180', '1280');
    ids.push(id);
    await db.prisma.assignment.create({
      data: {
        id,
        caseId: 'case-batch',
        homeMunicipality: '0180',
        receivingMunicipality: '1280',
        status: 'ACTIVE',
        proposedAt: at,
        updatedAt: at,
        plans: {
          create: {
            id: `${id}#plan-1`,
            version: 1,
            status: 'DECIDED',
            proposedAt: at,
            items: {
              create: [1, 2].map((n) => ({
                id: formatId('item', '0180', '1280'),
                category: n === 1 ? 'CRISIS_SUPPORT' : 'CONTACT_PERSON',
                plannedFrom: at,
                plannedTo: at,
                extentQuantity: n,
                extentUnit: 'HOURS_PER_WEEK',
                estimatedCost: '1000.00',
                decided: true,
              })),
            },
          },
        },
      },
    });
    await db.prisma.incomingAssignment.create({
      data: { id, homeMunicipality: '0180', receivingMunicipality: '1280', receivedAt: at, updatedAt: at },
    });
  }
});

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(
  schema: GraphQLSchema,
  city: string,
  query: string,
  count: number,
  variables: Record<string, unknown> = {},
  caller = '0180',
) {
  const context: CityContext = {
    city: { ...stockholm, code: city },
    db,
    principal: { municipality: caller, unit: null, subject: 'test', permissions: ['caseworker'] },
    loaders: requestLoaders(db.prisma, new Date()),
    peers: { ask: () => Promise.reject(new Error('no other city in this test')) },
    dispatcher: { kick: () => undefined },
    consistency: {
      compare: () => Promise.reject(new Error('no other city in this test')),
      checkAll: () => Promise.resolve(true),
    },
    counterparties: () => [],
    agreements: [],
    now: new Date(),
    disclosed: new Set(),
    traceId: 'test',
  };
  const representations = ids.slice(0, count).map((id) => ({ __typename: 'Assignment', id }));
  statements.length = 0;
  return execute({
    schema,
    document: parse(query),
    variableValues: { ...variables, representations },
    contextValue: context,
  });
}

async function sqlFor(
  schema: GraphQLSchema,
  city: string,
  query: string,
  count: number,
  variables: Record<string, unknown> = {},
): Promise<number> {
  const result = await run(schema, city, query, count, variables);
  expect(result.errors).toBeUndefined();
  expect((result.data!._entities as unknown[]).filter(Boolean)).toHaveLength(count);
  return statements.length;
}

describe('entity references', () => {
  it('resolve casework assignments with their plans in a constant number of statements', async () => {
    const query = /* GraphQL */ `
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Assignment {
            id
            status
            planSummary {
              version
              items {
                category
                estimatedCost {
                  amount
                }
              }
            }
          }
        }
      }
    `;
    const schema = caseworkSchema();
    const few = await sqlFor(schema, '0180', query, 3);
    const many = await sqlFor(schema, '0180', query, ASSIGNMENTS);
    expect(many).toBe(few);
    // The assignments come with their current plans and items in one statement.
    expect(many).toBe(1);
    expect(statements[0]).toMatch(/plan_item/);
  });

  it('bring the disclosure bases along for another municipality, and rule 4 still holds', async () => {
    const query = /* GraphQL */ `
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Assignment {
            id
            planSummary {
              version
            }
          }
        }
      }
    `;
    // Malmö receives these assignments, but no basis for disclosing to it is recorded.
    const result = await run(caseworkSchema(), '0180', query, ASSIGNMENTS, {}, '1280');
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/disclosure_basis/);
    expect(result.errors).toHaveLength(ASSIGNMENTS);
    expect(result.errors?.every((e) => e.extensions.code === 'DISCLOSURE_BASIS_LAPSED')).toBe(true);
    const entities = result.data!._entities as { id: string; planSummary: unknown }[];
    expect(entities.map((e) => e.planSummary)).toEqual(entities.map(() => null));
  });

  it('resolve execution costs in a constant number of statements', async () => {
    const query = /* GraphQL */ `
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Assignment {
            id
            costs {
              total {
                amount
              }
            }
          }
        }
      }
    `;
    const schema = executionSchema();
    const few = await sqlFor(schema, '1280', query, 3);
    const many = await sqlFor(schema, '1280', query, ASSIGNMENTS);
    expect(many).toBe(few);
    // The assignments and their costs come in one statement.
    expect(many).toBe(1);
    expect(statements[0]).toMatch(/cost_entry/);
  });

  it('load costs with the assignments however the fetch spells the selection', async () => {
    const query = /* GraphQL */ `
      query ($representations: [_Any!]!, $withCosts: Boolean!) {
        _entities(representations: $representations) {
          ...Received
        }
      }
      fragment Received on Assignment {
        id
        costs @include(if: $withCosts) {
          total {
            amount
          }
        }
      }
    `;
    const schema = executionSchema();
    expect(await sqlFor(schema, '1280', query, ASSIGNMENTS, { withCosts: true })).toBe(1);
    expect(statements[0]).toMatch(/cost_entry/);
    // Without costs in the selection no cost rows are read.
    expect(await sqlFor(schema, '1280', query, ASSIGNMENTS, { withCosts: false })).toBe(1);
    expect(statements[0]).not.toMatch(/cost_entry/);
  });
});

describe('a page of the list', () => {
  const page = (selection: string) => /* GraphQL */ `
    query ($first: Int) {
      assignments(first: $first) {
        edges {
          node {
            ...Row
          }
        }
      }
    }
    fragment Row on Assignment {
      id
      ${selection}
    }
  `;
  const listed = async (selection: string, caller: string, first: number) => {
    const result = await run(caseworkSchema(), '0180', page(selection), 0, { first }, caller);
    const edges = (result.data?.assignments as { edges: unknown[] } | undefined)?.edges ?? [];
    return { result, edges };
  };

  it('is one statement with the current plans when the selection asks for them, whatever its size', async () => {
    const few = await listed('planSummary { version items { category } }', '0180', 3);
    expect(few.result.errors).toBeUndefined();
    expect(few.edges).toHaveLength(3);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/plan_item/);

    const many = await listed('planSummary { version items { category } }', '0180', 50);
    expect(many.edges).toHaveLength(50);
    expect(statements).toHaveLength(1);
  });

  it('reads no plans when the selection does not ask for them', async () => {
    const { result, edges } = await listed('status', '0180', 50);
    expect(result.errors).toBeUndefined();
    expect(edges).toHaveLength(50);
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toMatch(/plan_version/);
  });

  it('brings the disclosure bases along for the receiving municipality, and rule 4 still holds', async () => {
    const { result, edges } = await listed('planSummary { version }', '1280', 20);
    expect(edges).toHaveLength(20);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/disclosure_basis/);
    // No basis for Malmö is recorded: every plan is withheld.
    expect(result.errors).toHaveLength(20);
    expect(result.errors?.every((e) => e.extensions.code === 'DISCLOSURE_BASIS_LAPSED')).toBe(true);
  });
});
