// Matchers that let rule tests read like the agreement:
//
//   expect(checkProposal(facts)).toBreakRule('SENDING_QUOTA_EXCEEDED');
//   expect(checkRespond(facts)).toBeAllowed();
//   expect(checkCost(facts)).toBreakOnly(['ASSIGNMENT_NOT_ACTIVE', 'AMOUNT_NOT_POSITIVE']);
//
// Registered for the unit project by vitest.config.ts (setupFiles). They read
// the verdict's plain array themselves rather than calling the rules' own
// helpers (hasViolation, isAllowed), so a test of those helpers is not a test
// of itself.
import { expect } from 'vitest';
import type { RuleCode, Verdict } from '../../subgraphs/agreement/rules';

declare module 'vitest' {
  interface Assertion<T> {
    /** The verdict names `rule` among its violations; other rules may be broken too. */
    toBreakRule(rule: RuleCode): T;
    /** The verdict is empty: the action is allowed. */
    toBeAllowed(): T;
    /**
     * The verdict breaks these rules and no others, in any order (a rule broken
     * by several items counts once). An empty list means allowed.
     */
    toBreakOnly(rules: readonly RuleCode[]): T;
  }
}

/** The verdict's rule codes, or a thrown TypeError for anything that is not a verdict. */
function rulesOf(received: unknown): string[] {
  const isVerdict =
    Array.isArray(received) &&
    received.every(
      (v: unknown) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as { rule?: unknown }).rule === 'string' &&
        typeof (v as { message?: unknown }).message === 'string',
    );
  // Thrown rather than failed, so neither the matcher nor its .not can pass on it.
  if (!isVerdict) throw new TypeError(`Expected a verdict (an array of violations), got ${String(received)}`);
  return (received as Verdict).map((v) => v.rule);
}

function listed(rules: readonly string[]): string {
  return rules.length === 0 ? 'no rule' : [...new Set(rules)].join(', ');
}

function messages(verdict: Verdict): string {
  return verdict.map((v) => `${v.rule}: ${v.message}`).join('; ');
}

expect.extend({
  toBreakRule(received: unknown, rule: RuleCode) {
    const rules = rulesOf(received);
    const pass = rules.includes(rule);
    return {
      pass,
      message: () =>
        pass
          ? `expected the verdict not to break ${rule}, but it does: ${messages(received as Verdict)}`
          : `expected the verdict to break ${rule}, but it breaks ${listed(rules)}`,
    };
  },

  toBeAllowed(received: unknown) {
    const rules = rulesOf(received);
    const pass = rules.length === 0;
    return {
      pass,
      message: () =>
        pass
          ? 'expected the verdict to refuse, but it allows'
          : `expected the verdict to allow, but it breaks ${messages(received as Verdict)}`,
    };
  },

  toBreakOnly(received: unknown, expected: readonly RuleCode[]) {
    const actual = [...new Set(rulesOf(received))].sort();
    const wanted = [...new Set<string>(expected)].sort();
    const pass = actual.length === wanted.length && actual.every((rule, i) => rule === wanted[i]);
    const missing = wanted.filter((rule) => !actual.includes(rule));
    const unexpected = actual.filter((rule) => !wanted.includes(rule));
    return {
      pass,
      actual,
      expected: wanted,
      message: () =>
        pass
          ? `expected the verdict to break other rules than ${listed(wanted)}, but it breaks exactly those`
          : `expected the verdict to break only ${listed(wanted)}, but it breaks ${listed(actual)}` +
            (missing.length > 0 ? `; missing ${missing.join(', ')}` : '') +
            (unexpected.length > 0 ? `; also ${unexpected.join(', ')}` : ''),
    };
  },
});
