import i18next from 'i18next';
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

  it('counts waiting changes in the singular and the plural', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: 'sv', resources: { sv: { translation: sv }, en: { translation: en } } });
    const pending = (count: number) =>
      i18n.t('assignment.pending', { count, municipality: 'Göteborg (1480)', date: '2026-12-01 19:12' });
    expect(pending(1)).toBe('1 ändring väntar på att nå Göteborg (1480) (sedan 2026-12-01 19:12).');
    expect(pending(2)).toMatch(/^2 ändringar väntar/);
    await i18n.changeLanguage('en');
    expect(pending(1)).toMatch(/^1 change is waiting/);
  });
});
