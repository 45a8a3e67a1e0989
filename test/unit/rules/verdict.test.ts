// The verdict every rule returns: a list of violations, empty when allowed.
import { describe, expect, it } from 'vitest';
import { assertNever, hasViolation, isAllowed, violation } from '../../../subgraphs/agreement/rules';

describe('a verdict', () => {
  const refused = [
    violation('CASE_CLOSED', 'The case is closed.'),
    violation('TEMPORARY_HOUSING_MISSING', 'The home municipality has not arranged temporary housing.'),
  ];

  it('holds each violation as its rule code and message', () => {
    expect(refused[0]).toEqual({ rule: 'CASE_CLOSED', message: 'The case is closed.' });
  });

  it('allows only when it is empty', () => {
    expect(isAllowed([])).toBe(true);
    expect(isAllowed(refused)).toBe(false);
  });

  it('tells which rules it names', () => {
    expect(hasViolation(refused, 'TEMPORARY_HOUSING_MISSING')).toBe(true);
    expect(hasViolation(refused, 'CHILD_RESPONSIBILITY')).toBe(false);
    expect(hasViolation([], 'CASE_CLOSED')).toBe(false);
  });
});

describe('assertNever', () => {
  it('throws on a value an exhaustive switch did not expect', () => {
    expect(() => assertNever('REOPENED' as never)).toThrow('Unexpected value: REOPENED');
  });
});
