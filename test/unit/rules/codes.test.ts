// The list of rule codes is the contract with resolvers and clients: stable,
// unique, and each one shown refused and allowed by a test in this folder.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRuleCode, RULE_CODES } from '../../../subgraphs/agreement/rules';

const here = fileURLToPath(new URL('.', import.meta.url));

function codesWithRuleCases(): Set<string> {
  const found = new Set<string>();
  for (const file of readdirSync(here).filter((name) => name.endsWith('.test.ts'))) {
    const text = readFileSync(`${here}/${file}`, 'utf8');
    for (const match of text.matchAll(/ruleCase\(\s*'([A-Z_]+)'/g)) found.add(match[1]!);
  }
  return found;
}

describe('rule codes', () => {
  it('are unique upper-snake-case names', () => {
    expect(new Set(RULE_CODES).size).toBe(RULE_CODES.length);
    for (const code of RULE_CODES) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  });

  it('each have a refused and an allowed test', () => {
    expect([...codesWithRuleCases()].sort()).toEqual([...RULE_CODES].sort());
  });

  it('are recognised by isRuleCode, and nothing else is', () => {
    for (const code of RULE_CODES) expect(isRuleCode(code)).toBe(true);
    expect(isRuleCode('NOT_A_RULE')).toBe(false);
    expect(isRuleCode(42)).toBe(false);
  });
});
