import { describe, expect, it } from 'vitest';
import { RULE_CODES } from '../../../subgraphs/agreement/rules/verdict';
import { en } from '../../src/i18n/en';
import { sv } from '../../src/i18n/sv';

const keys = (value: object, prefix = ''): string[] =>
  Object.entries(value).flatMap(([key, child]) =>
    typeof child === 'object' && child !== null
      ? keys(child as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );

describe('the app’s languages', () => {
  it('says every rule of the agreement as a sentence in Swedish and English', () => {
    for (const rule of RULE_CODES) {
      expect(sv.rules[rule], rule).toMatch(/\.$/);
      expect(en.rules[rule], rule).toMatch(/\.$/);
    }
  });

  it('has the same texts in English as in Swedish, none empty', () => {
    expect(keys(en).sort()).toEqual(keys(sv).sort());
    for (const key of keys(sv))
      expect(key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], sv)).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();
    for (const key of keys(sv)) {
      const get = (messages: object) =>
        key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], messages) as string;
      expect(placeholders(get(en)), key).toEqual(placeholders(get(sv)));
    }
  });
});
