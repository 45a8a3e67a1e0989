import { describe, expect, it } from 'vitest';
import { formatDateTime, formatKronor, parseKronor, stockholmToday } from '../../src/domain/format';

const NBSP = '\u00a0';

describe('Swedish formats', () => {
  it('writes kronor with a space between thousands, a decimal comma and two decimals', () => {
    expect(formatKronor('12500.00')).toBe(`12${NBSP}500,00${NBSP}kr`);
    expect(formatKronor('1234567.5')).toBe(`1${NBSP}234${NBSP}567,50${NBSP}kr`);
    expect(formatKronor('0.05')).toBe(`0,05${NBSP}kr`);
    expect(formatKronor('-980.00')).toBe(`−980,00${NBSP}kr`);
  });

  it('never rounds an amount through a float', () => {
    expect(formatKronor('90071992547409931.99')).toBe(
      `90${NBSP}071${NBSP}992${NBSP}547${NBSP}409${NBSP}931,99${NBSP}kr`,
    );
  });

  it('reads what people type as kronor', () => {
    expect(parseKronor('12 500,00')).toBe('12500.00');
    expect(parseKronor('12500')).toBe('12500.00');
    expect(parseKronor('12 500 kr')).toBe('12500.00');
    expect(parseKronor(`1${NBSP}234,5`)).toBe('1234.50');
    expect(parseKronor('1234.56')).toBe('1234.56');
    expect(parseKronor('007')).toBe('7.00');
  });

  it('refuses what is not an amount in kronor and öre', () => {
    for (const input of ['', 'tolv', '12,345', '-5', '1.2.3', '12 500,00 €'])
      expect(parseKronor(input)).toBeNull();
  });

  it('shows instants in Stockholm time', () => {
    expect(formatDateTime('2023-03-01T09:30:00.000Z')).toBe('2023-03-01 10:30');
    expect(formatDateTime('2023-07-01T09:30:00.000Z')).toBe('2023-07-01 11:30');
  });

  it('takes today from Stockholm’s calendar', () => {
    expect(stockholmToday(new Date('2023-12-31T23:30:00.000Z'))).toBe('2024-01-01');
  });
});
