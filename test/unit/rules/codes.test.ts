// The list of rule codes is the contract with resolvers and clients: stable,
// unique, each one given by a rule, and each one shown refused and allowed by
// a ruleCase in this folder. The folder is read as text, so the checks below
// also make sure that every ruleCase counted runs: not commented out, not
// skipped, and with its code written out where the scan can read it.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRuleCode, RULE_CODES } from '../../../subgraphs/agreement/rules';

const here = fileURLToPath(new URL('.', import.meta.url));
const rulesDir = fileURLToPath(new URL('../../../subgraphs/agreement/rules/', import.meta.url));

/** A file's text without comments, so a commented-out test does not count. */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

const testFiles = readdirSync(here)
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => ({ name, text: code(`${here}/${name}`) }));

function codesWithRuleCases(): Set<string> {
  const found = new Set<string>();
  for (const { text } of testFiles) {
    for (const match of text.matchAll(/\bruleCase\(\s*'([A-Z_]+)'/g)) found.add(match[1]!);
  }
  return found;
}

describe('rule codes', () => {
  it('are unique upper-snake-case names', () => {
    expect(new Set(RULE_CODES).size).toBe(RULE_CODES.length);
    for (const code of RULE_CODES) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  });

  it('each have a refused and an allowed test', () => {
    const found = codesWithRuleCases();
    const untested = RULE_CODES.filter((code) => !found.has(code));
    expect(untested, 'rule codes without a ruleCase in test/unit/rules').toEqual([]);
    expect(
      [...found].filter((code) => !isRuleCode(code)),
      'ruleCases for codes no rule has',
    ).toEqual([]);
  });

  it('are counted only from ruleCases the scan can read and that run', () => {
    for (const { name, text } of testFiles) {
      const calls = text.match(/\bruleCase\(/g)?.length ?? 0;
      const literal = text.match(/\bruleCase\(\s*'[A-Z_]+'/g)?.length ?? 0;
      expect(literal, `${name}: every ruleCase names its code as a string literal`).toBe(calls);
      expect(text, `${name}: no skipped, focused or to-do tests`).not.toMatch(
        /\b(describe|it|test|suite)\.(skip|only|todo|skipIf|runIf|fails)\b/,
      );
    }
  });

  it('are each given by some rule', () => {
    const sources = readdirSync(rulesDir)
      .filter((name) => name.endsWith('.ts') && name !== 'verdict.ts')
      .map((name) => code(`${rulesDir}/${name}`))
      .join('\n');
    const unused = RULE_CODES.filter((code) => !sources.includes(`'${code}'`));
    expect(unused, 'rule codes no rule gives').toEqual([]);
  });

  it('are recognised by isRuleCode, and nothing else is', () => {
    for (const code of RULE_CODES) expect(isRuleCode(code)).toBe(true);
    expect(isRuleCode('NOT_A_RULE')).toBe(false);
    expect(isRuleCode('CENTRAL_UNIT_REQUIRED')).toBe(false);
    expect(isRuleCode(42)).toBe(false);
    expect(isRuleCode(null)).toBe(false);
  });
});
