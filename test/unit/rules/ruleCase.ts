// Every rule code gets a pair of tests: one situation where the rule refuses
// (the code is in the verdict) and the same situation put right, where it is
// allowed (the code is absent). codes.test.ts checks that every code has one.
import { expect, it } from 'vitest';
import type { RuleCode, Verdict } from '../../../subgraphs/agreement/rules';

export type Situation = readonly [description: string, run: () => Verdict];

export function ruleCase(code: RuleCode, refused: Situation, allowed: Situation): void {
  it(`${code}: refused when ${refused[0]}`, () => {
    expect(codes(refused[1]())).toContain(code);
  });
  it(`${code}: allowed when ${allowed[0]}`, () => {
    expect(codes(allowed[1]())).not.toContain(code);
  });
}

export function codes(verdict: Verdict): string[] {
  return verdict.map((v) => v.rule);
}
