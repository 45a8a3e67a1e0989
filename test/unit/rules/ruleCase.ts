// Every rule code gets a pair of tests: one situation where the rule refuses
// and the same situation put right, where the action is allowed. The refused
// situation breaks that rule alone, unless `alongside` names the rules it
// cannot help breaking with it, so each pair shows one rule at work.
// codes.test.ts checks that every code has such a pair.
import { expect, it } from 'vitest';
import type { RuleCode, Verdict } from '../../../subgraphs/agreement/rules';

export type Situation = readonly [description: string, run: () => Verdict];

export function ruleCase(
  code: RuleCode,
  refused: Situation,
  allowed: Situation,
  options: { alongside?: readonly RuleCode[] } = {},
): void {
  it(`${code}: refused when ${refused[0]}`, () => {
    expect(refused[1]()).toBreakOnly([code, ...(options.alongside ?? [])]);
  });
  it(`${code}: allowed when ${allowed[0]}`, () => {
    expect(allowed[1]()).toBeAllowed();
  });
}

/** The verdict's rule codes in order, for tests of the order and number of violations. */
export function codes(verdict: Verdict): string[] {
  return verdict.map((v) => v.rule);
}
