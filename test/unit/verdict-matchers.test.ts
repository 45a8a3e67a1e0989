// The verdict matchers of test/support/matchers.ts, on verdicts written out by
// hand: a matcher that passed on everything would make every rule test pass.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../subgraphs/agreement/rules';

const ALLOWED: Verdict = [];
const QUOTA: Verdict = [{ rule: 'SENDING_QUOTA_EXCEEDED', message: '0180 has already sent 1 of the 1.' }];
const TWO_ITEMS: Verdict = [
  { rule: 'INTERVENTION_NOT_IN_CATALOGUE', message: 'Item 0 (HOUSING) is excluded.' },
  { rule: 'EXTENT_NOT_POSITIVE', message: 'Item 0 (HOUSING) has an extent that is not positive.' },
  { rule: 'INTERVENTION_NOT_IN_CATALOGUE', message: 'Item 1 (HOME_CARE) is excluded.' },
];

describe('toBreakRule', () => {
  it('passes when the rule is among the violations', () => {
    expect(QUOTA).toBreakRule('SENDING_QUOTA_EXCEEDED');
    expect(TWO_ITEMS).toBreakRule('EXTENT_NOT_POSITIVE');
  });

  it('fails, naming what the verdict breaks instead', () => {
    expect(() => expect(QUOTA).toBreakRule('RECEIVING_QUOTA_EXCEEDED')).toThrow(
      'expected the verdict to break RECEIVING_QUOTA_EXCEEDED, but it breaks SENDING_QUOTA_EXCEEDED',
    );
    expect(() => expect(ALLOWED).toBreakRule('CASE_CLOSED')).toThrow(
      'expected the verdict to break CASE_CLOSED, but it breaks no rule',
    );
  });

  it('negated, fails with the violation’s message', () => {
    expect(ALLOWED).not.toBreakRule('CASE_CLOSED');
    expect(() => expect(QUOTA).not.toBreakRule('SENDING_QUOTA_EXCEEDED')).toThrow(
      'expected the verdict not to break SENDING_QUOTA_EXCEEDED, but it does: SENDING_QUOTA_EXCEEDED: 0180 has already sent 1 of the 1.',
    );
  });
});

describe('toBeAllowed', () => {
  it('passes only on an empty verdict', () => {
    expect(ALLOWED).toBeAllowed();
    expect(QUOTA).not.toBeAllowed();
  });

  it('fails with every violation', () => {
    expect(() => expect(TWO_ITEMS).toBeAllowed()).toThrow(
      'expected the verdict to allow, but it breaks INTERVENTION_NOT_IN_CATALOGUE: Item 0 (HOUSING) is excluded.; EXTENT_NOT_POSITIVE',
    );
    expect(() => expect(ALLOWED).not.toBeAllowed()).toThrow('expected the verdict to refuse, but it allows');
  });
});

describe('toBreakOnly', () => {
  it('passes on exactly the rules broken, in any order, a repeated rule once', () => {
    expect(TWO_ITEMS).toBreakOnly(['EXTENT_NOT_POSITIVE', 'INTERVENTION_NOT_IN_CATALOGUE']);
    expect(QUOTA).toBreakOnly(['SENDING_QUOTA_EXCEEDED']);
    expect(ALLOWED).toBreakOnly([]);
  });

  it('fails on a missing or an extra rule, naming both', () => {
    expect(() => expect(TWO_ITEMS).toBreakOnly(['INTERVENTION_NOT_IN_CATALOGUE'])).toThrow(
      'expected the verdict to break only INTERVENTION_NOT_IN_CATALOGUE, but it breaks EXTENT_NOT_POSITIVE, INTERVENTION_NOT_IN_CATALOGUE; also EXTENT_NOT_POSITIVE',
    );
    expect(() => expect(QUOTA).toBreakOnly(['SENDING_QUOTA_EXCEEDED', 'CASE_CLOSED'])).toThrow(
      '; missing CASE_CLOSED',
    );
    expect(() => expect(QUOTA).toBreakOnly([])).toThrow('but it breaks SENDING_QUOTA_EXCEEDED');
  });
});

describe('on anything that is not a verdict', () => {
  it('fails both the matcher and its negation', () => {
    for (const notAVerdict of [null, 'SENDING_QUOTA_EXCEEDED', [{ rule: 'CASE_CLOSED' }], [42], {}]) {
      expect(() => expect(notAVerdict).toBreakRule('CASE_CLOSED')).toThrow(TypeError);
      expect(() => expect(notAVerdict).not.toBreakRule('CASE_CLOSED')).toThrow(TypeError);
      expect(() => expect(notAVerdict).toBeAllowed()).toThrow(TypeError);
      expect(() => expect(notAVerdict).not.toBeAllowed()).toThrow(TypeError);
      expect(() => expect(notAVerdict).toBreakOnly([])).toThrow(TypeError);
    }
  });
});
