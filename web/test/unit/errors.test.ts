import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { problemsOf, problemsOfResponse } from '../../src/domain/errors';

const error = (message: string, extensions: Record<string, unknown>) =>
  new GraphQLError(message, { extensions });

describe('what the gateway’s errors mean for a page', () => {
  it('names each city that did not answer once', () => {
    const problems = problemsOf(
      new CombinedError({
        graphQLErrors: [
          error('Municipality 1280 is unavailable', { code: 'SUBGRAPH_UNAVAILABLE', municipality: '1280' }),
          error('Municipality 1280 is unavailable', { code: 'SUBGRAPH_UNAVAILABLE', municipality: '1280' }),
        ],
      }),
    );
    expect(problems).toEqual({ unavailable: ['1280'], rules: [] });
  });

  it('lists every broken rule of a refusal', () => {
    const problems = problemsOf(
      new CombinedError({
        graphQLErrors: [
          error('Refused', {
            code: 'CONFLICT',
            rules: ['POLICE_CONSULTATION_HOME_MISSING', 'POLICE_CONSULTATION_RECEIVING_MISSING'],
          }),
        ],
      }),
    );
    expect(problems.rules).toEqual([
      'POLICE_CONSULTATION_HOME_MISSING',
      'POLICE_CONSULTATION_RECEIVING_MISSING',
    ]);
    expect(problems.other).toBeUndefined();
  });

  it('does not treat withheld details as a failure', () => {
    const problems = problemsOf(
      new CombinedError({ graphQLErrors: [error('Withheld', { code: 'DISCLOSURE_BASIS_LAPSED' })] }),
    );
    expect(problems).toEqual({ unavailable: [], rules: [] });
  });

  it('keeps any other error with its code', () => {
    const problems = problemsOf(new CombinedError({ graphQLErrors: [error('No', { code: 'FORBIDDEN' })] }));
    expect(problems.other).toEqual({ code: 'FORBIDDEN', message: 'No' });
  });
});

describe('a report’s refusal over plain HTTP', () => {
  it('reads the errors of the body as a GraphQL answer’s', () => {
    const body = {
      errors: [{ message: 'down', extensions: { code: 'SUBGRAPH_UNAVAILABLE', municipality: '1280' } }],
    };
    expect(problemsOfResponse(502, body)).toEqual({ unavailable: ['1280'], rules: [], other: undefined });
  });

  it('lets the status stand for the refusal when the body says nothing', () => {
    expect(problemsOfResponse(401, null).other).toEqual({ code: 'UNAUTHENTICATED', message: 'HTTP 401' });
    expect(problemsOfResponse(500, 'oops').other).toEqual({ code: 'NETWORK', message: 'HTTP 500' });
  });
});
