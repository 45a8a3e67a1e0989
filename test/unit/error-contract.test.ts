// The gateway's error contract at the edge: one error per reason when several
// cities refuse alike, page sizes and request limits refused before any city
// is asked with what to do instead, and one mutation field per operation.
import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { GraphQLError, parse, specifiedRules, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Request, Response } from 'express';
import { requestLimits, tokenLimit } from '../../gateway/hardening/limits';
import { oneMutationFieldPerOperation } from '../../gateway/hardening/oneMutation';
import { PAGE_SIZE_LIMITS, pageSizeRefusal } from '../../gateway/hardening/pageSize';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayContext } from '../../gateway/context';
import { CityUnavailableError, type CityClient } from '../../gateway/routing/cityClient';
import { ROUTING, type RoleName } from '../../gateway/routing/routes';
import { mergeSameReason } from '../../gateway/routing/sameReason';
import { ShardedDataSource } from '../../gateway/routing/shardedDataSource';
import { SUPERGRAPH_FILE } from '../../schema/files';
import { MAX_PAGE_SIZE } from '../../subgraphs/roles/casework/assignmentList';

const schema = Supergraph.build(readFileSync(SUPERGRAPH_FILE, 'utf8')).apiSchema().toGraphQLJSSchema();

const LIMITS = { maxDepth: 12, maxAliases: 15, maxTokens: 3000, maxCost: 5000, maxDirectives: 20 };

function validateAtEdge(query: string) {
  const { validationRules } = requestLimits(LIMITS);
  return validate(schema, parse(query), [
    ...specifiedRules,
    ...validationRules,
    oneMutationFieldPerOperation,
  ]);
}

describe('one error per reason', () => {
  const refusal = (municipality: string, message = 'Missing permission') => ({
    message,
    path: ['networkBalance'],
    extensions: { code: 'FORBIDDEN', requiredPermissions: ['coordinator'], municipality },
  });

  it('merges the same refusal from several cities into one naming them', () => {
    expect(mergeSameReason([refusal('0180'), refusal('1480'), refusal('1280')])).toEqual([
      {
        message: 'Missing permission (municipalities 0180, 1480, 1280)',
        path: ['networkBalance'],
        extensions: {
          code: 'FORBIDDEN',
          requiredPermissions: ['coordinator'],
          municipalities: ['0180', '1480', '1280'],
        },
      },
    ]);
  });

  it('keeps apart what differs in message, path or extensions, and a single error as it is', () => {
    const other = { ...refusal('1480'), extensions: { ...refusal('1480').extensions, code: 'NOT_FOUND' } };
    const errors = [refusal('0180'), refusal('1480', 'Another reason'), other];
    expect(mergeSameReason(errors)).toEqual(errors);
    expect(mergeSameReason([refusal('0180')])).toEqual([refusal('0180')]);
  });
});

describe('a list no city could answer', () => {
  const CITIES = ['0180', '1480', '1280'];
  /** Every city refuses alike, or cannot be reached. */
  function dataSource(role: RoleName, answer: () => Promise<unknown>) {
    return new ShardedDataSource({
      role,
      routing: ROUTING[role],
      endpoints: new Map(CITIES.map((city) => [city, `http://city-${city}.test/${role}/graphql`])),
      client: { send: answer } as unknown as CityClient,
      principalHeaders: () => Promise.resolve({}),
    });
  }
  const incoming = (query: string) => ({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION as const,
    request: { query, variables: {} },
    context: {
      principal: { municipality: '0180', unit: null, subject: 's', permissions: ['caseworker'] },
      traceId: '0af7651916cd43dd8448eb211c80319c',
    } as GatewayContext,
    incomingRequestContext: {} as never,
  });

  it('is null with one error naming every city, not an empty list', async () => {
    const refusal = {
      data: { networkBalance: null },
      errors: [{ message: 'Not allowed', path: ['networkBalance'], extensions: { code: 'FORBIDDEN' } }],
    };
    const response = await dataSource('execution', () => Promise.resolve(refusal)).process(
      incoming('query B__execution__0 { networkBalance { municipality } }'),
    );

    expect(response.data).toEqual({ networkBalance: null });
    expect(response.errors).toEqual([
      {
        message: 'Not allowed (municipalities 0180, 1480, 1280)',
        path: ['networkBalance'],
        extensions: { code: 'FORBIDDEN', municipalities: ['0180', '1480', '1280'] },
      },
    ]);
  });

  it('is a null page, with each unreachable city named, not an empty page', async () => {
    const response = await dataSource('casework', () =>
      Promise.reject(new CityUnavailableError('down')),
    ).process(incoming('query L__casework__0 { assignments(first: 5) { edges { cursor } } }'));

    expect(response.data).toEqual({ assignments: null });
    expect(response.errors?.map((e) => e.extensions?.municipality).sort()).toEqual(['0180', '1280', '1480']);
  });
});

describe('page sizes at the edge', () => {
  const operation = (query: string) => {
    const document = parse(query);
    return { document, operation: document.definitions[0] as OperationDefinitionNode };
  };

  it('takes its range from the routing table, as the cities do', () => {
    expect(PAGE_SIZE_LIMITS).toEqual([
      { field: 'Query.assignments', min: 1, max: MAX_PAGE_SIZE, default: 20 },
    ]);
  });

  it.each([0, -1, 101, 1000])('refuses first: %i in a variable with the range in the message', (first) => {
    const { document, operation: op } = operation(
      'query ($n: Int) { assignments(first: $n) { edges { cursor } } }',
    );
    const refusal = pageSizeRefusal(schema, document, op, { n: first });
    expect(refusal?.message).toMatch(/^first must be between 1 and 100 \(20 when left out\); got -?\d+/);
    expect(refusal?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'first',
      min: 1,
      max: 100,
    });
  });

  it('lets 1 to 100, a null and a missing first through, also inside fragments', () => {
    for (const n of [1, 100, null, undefined]) {
      const { document, operation: op } = operation(
        'query ($n: Int) { ...Page } fragment Page on Query { assignments(first: $n) { edges { cursor } } }',
      );
      expect(pageSizeRefusal(schema, document, op, { n })).toBeNull();
    }
    const { document, operation: op } = operation(
      '{ ...Page } fragment Page on Query { assignments(first: 0) { edges { cursor } } }',
    );
    expect(pageSizeRefusal(schema, document, op)?.message).toMatch(/between 1 and 100/);
  });

  it('leaves a first that is not an integer to the type system', () => {
    const { document, operation: op } = operation(
      'query ($n: Int) { assignments(first: $n) { edges { cursor } } }',
    );
    expect(pageSizeRefusal(schema, document, op, { n: 'ten' })).toBeNull();
    const errors = validateAtEdge('{ assignments(first: "ten") { edges { cursor } } }');
    expect(errors.map((e) => e.message)).toEqual(['Int cannot represent non-integer value: "ten"']);
  });

  it('refuses a literal first out of range once, not again as a cost', () => {
    const errors = validateAtEdge('{ assignments(first: 1000) { edges { node { id status } } } }');
    expect(errors.map((e) => e.message)).toEqual([
      'first must be between 1 and 100 (20 when left out); got 1000. Ask for the next page with after: pageInfo.endCursor.',
    ]);
  });
});

describe('request limits', () => {
  it('names the cost limit, the cost found and how to lower it, and is not a syntax error', () => {
    const pages = Array.from(
      { length: 10 },
      (_, i) =>
        `p${i}: assignments(first: 100) { edges { node { id status planSummary { items { category } } } } }`,
    ).join(' ');
    const [error, ...rest] = validateAtEdge(`{ ${pages} }`);
    expect(rest).toEqual([]);
    expect(error!.message).not.toMatch(/syntax/i);
    expect(error!.message).toMatch(
      /^The operation's estimated cost is [\d.]+, above the limit of 5000: ask for fewer items per page/,
    );
    expect(error!.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'cost',
      maximum: 5000,
    });
    expect(error!.extensions.found).toBeGreaterThan(5000);
  });

  it('lets a page of 40 assignments with their plans and costs through, not one of 100 (docs/integrating.md)', () => {
    const query = (
      first: number,
    ) => `{ assignments(first: ${first}) { edges { node { id homeMunicipality receivingMunicipality status
      planSummary { items { category estimatedCost { amount } } } costs { total { amount currency } } } }
      pageInfo { hasNextPage endCursor } } }`;
    expect(validateAtEdge(query(40))).toEqual([]);
    expect(validateAtEdge(query(100))[0]!.extensions).toMatchObject({ limit: 'cost' });
  });

  it('names the depth limit without calling it a syntax error', () => {
    const { validationRules } = requestLimits({ ...LIMITS, maxDepth: 3 });
    const query = '{ assignments { edges { node { planSummary { version } } } } }';
    const errors = validate(schema, parse(query), validationRules);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^The operation nests 5 levels deep, more than the limit of 3: select less deeply/,
      ),
    ]);
    expect(errors[0]!.extensions).toMatchObject({ limit: 'depth', maximum: 3, found: 5 });
  });
});

describe('the token limit', () => {
  function run(query: string) {
    const answer: { status?: number; body?: unknown; passed: boolean } = { passed: false };
    const res = {
      status(code: number) {
        answer.status = code;
        return res;
      },
      json(body: unknown) {
        answer.body = body;
        return res;
      },
    };
    tokenLimit(10)(
      { method: 'POST', body: { query }, query: {} } as unknown as Request,
      res as unknown as Response,
      () => (answer.passed = true),
    );
    return answer;
  }

  it('refuses a longer document before it is parsed, naming the limit', () => {
    expect(run('{ a b c d e f g h i j k }')).toEqual({
      passed: false,
      status: 400,
      body: {
        errors: [
          {
            message: expect.stringMatching(/^The document has more than 10 tokens, the limit/) as unknown,
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'tokens', maximum: 10 },
          },
        ],
      },
    });
  });

  it('lets a short document through, and one the lexer cannot read, for Apollo to call a syntax error', () => {
    expect(run('{ a b }').passed).toBe(true);
    expect(run('{ "unterminated').passed).toBe(true);
  });
});

describe('one mutation field per operation', () => {
  it('refuses a document whose mutation selects two fields, naming them, before anything runs', () => {
    const errors = validateAtEdge(`mutation {
      a: withdrawAssignment(id: "asg:0180:1280:00000000-0000-4000-8000-000000000001", reason: "x") { id }
      b: withdrawAssignment(id: "asg:0180:1280:00000000-0000-4000-8000-000000000002", reason: "y") { id }
    }`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(GraphQLError);
    expect(errors[0]!.message).toBe(
      'An operation may hold one mutation field; this one holds 2 (withdrawAssignment, withdrawAssignment). Send each as a request of its own, so that a refused change never hides one already committed.',
    );
  });

  it('counts fields inside fragments, and lets one field (with __typename) through', () => {
    const spread = validateAtEdge(`mutation { ...Both }
      fragment Both on Mutation {
        withdrawAssignment(id: "asg:0180:1280:00000000-0000-4000-8000-000000000001", reason: "x") { id }
        ... on Mutation { completeAssignment(id: "asg:0180:1280:00000000-0000-4000-8000-000000000001") { id } }
      }`);
    expect(spread.map((e) => e.message)).toEqual([
      expect.stringMatching(/holds 2 \(withdrawAssignment, completeAssignment\)/),
    ]);
    expect(
      validateAtEdge(
        'mutation { __typename completeAssignment(id: "asg:0180:1280:00000000-0000-4000-8000-000000000001") { id } }',
      ),
    ).toEqual([]);
  });
});
