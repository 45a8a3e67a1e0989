// Personal identity and coordination numbers. All numbers are constructed
// for the tests; each check digit is worked out in the comment beside it
// (Luhn over YYMMDDNNN, weights 2,1,2,1,..., digits of products summed).
import { describe, expect, it } from 'vitest';
import {
  isValidPersonalIdentityNumber,
  luhnCheckDigit,
  parsePersonalIdentityNumber,
} from '../../../subgraphs/agreement/rules';

const TODAY = '2024-05-01';

describe('luhnCheckDigit', () => {
  it('matches the hand-computed digits', () => {
    expect(luhnCheckDigit('000101000')).toBe(8); // 0+0+0+1+0+1+0+0+0 = 2 → 8
    expect(luhnCheckDigit('000102001')).toBe(5); // 1+2+2 = 5 → 5
    expect(luhnCheckDigit('000161001')).toBe(3); // 1+(12→3)+1+2 = 7 → 3
    expect(luhnCheckDigit('000229000')).toBe(5); // 2+4+9 = 15 → 5
  });
});

describe('parsePersonalIdentityNumber', () => {
  it('accepts the twelve-digit form with or without a hyphen', () => {
    const expected = { normalized: '19000101-0008', coordinationNumber: false };
    expect(parsePersonalIdentityNumber('19000101-0008', TODAY)).toEqual(expected);
    expect(parsePersonalIdentityNumber('190001010008', TODAY)).toEqual(expected);
    expect(parsePersonalIdentityNumber('19000102-0015', TODAY)).toEqual({
      normalized: '19000102-0015',
      coordinationNumber: false,
    });
  });

  it('reads the century of the ten-digit form from the separator', () => {
    // Without '+': the person turns at most 99 this year, so 00 is 2000.
    expect(parsePersonalIdentityNumber('000101-0008', TODAY)?.normalized).toBe('20000101-0008');
    expect(parsePersonalIdentityNumber('0001010008', TODAY)?.normalized).toBe('20000101-0008');
    // With '+': 100 or older, so 00 is 1900.
    expect(parsePersonalIdentityNumber('000101+0008', TODAY)?.normalized).toBe('19000101-0008');
  });

  it('takes the latest fitting century without "+" and never one in the future', () => {
    // 25 cannot be 2025 in 2024: it is 1925 (turns 99 this year).
    // 250101000: 4+5+0+1+0+1 = 11 → 9
    expect(parsePersonalIdentityNumber('250101-0009', TODAY)?.normalized).toBe('19250101-0009');
    // 24 is 2024 without '+', and 1924 with it (turns 100 this year).
    // 240501000: 4+4+0+5+0+1 = 14 → 6
    expect(parsePersonalIdentityNumber('240501-0006', TODAY)?.normalized).toBe('20240501-0006');
    expect(parsePersonalIdentityNumber('240501+0006', TODAY)?.normalized).toBe('19240501-0006');
  });

  it('refuses a wrong check digit', () => {
    expect(parsePersonalIdentityNumber('19000101-0009', TODAY)).toBeNull();
    expect(parsePersonalIdentityNumber('000102-0016', TODAY)).toBeNull();
  });

  it('recognises a coordination number by its day plus 60', () => {
    // Born 1900-01-01, day 01 + 60 = 61; check digit 3 as computed above.
    expect(parsePersonalIdentityNumber('19000161-0013', TODAY)).toEqual({
      normalized: '19000161-0013',
      coordinationNumber: true,
    });
    expect(parsePersonalIdentityNumber('000161+0013', TODAY)).toEqual({
      normalized: '19000161-0013',
      coordinationNumber: true,
    });
  });

  it('refuses a coordination number whose real day does not exist', () => {
    // Day 92 − 60 = 32. 000192001: 1+9+2+2 = 14 → 6
    expect(luhnCheckDigit('000192001')).toBe(6);
    expect(parsePersonalIdentityNumber('19000192-0016', TODAY)).toBeNull();
  });

  it('knows leap years', () => {
    // 2000 is a leap year; 1900 (divisible by 100, not 400) is not.
    expect(parsePersonalIdentityNumber('20000229-0005', TODAY)?.normalized).toBe('20000229-0005');
    expect(parsePersonalIdentityNumber('000229-0005', TODAY)?.normalized).toBe('20000229-0005');
    expect(parsePersonalIdentityNumber('000229+0005', TODAY)).toBeNull();
    expect(parsePersonalIdentityNumber('19000229-0005', TODAY)).toBeNull();
    // 2001 is not a leap year. 010229000: 0+1+0+2+4+9 = 16 → 4
    expect(parsePersonalIdentityNumber('20010229-0004', TODAY)).toBeNull();
  });

  it('refuses a birth date after today', () => {
    // 240502000: 4+4+0+5+0+2 = 15 → 5
    expect(parsePersonalIdentityNumber('20240502-0005', TODAY)).toBeNull();
    expect(parsePersonalIdentityNumber('240502-0005', TODAY)).toBeNull();
    expect(parsePersonalIdentityNumber('20240502-0005', '2024-05-02')?.normalized).toBe('20240502-0005');
  });

  it('refuses other shapes', () => {
    for (const input of [
      '',
      '19000101-000',
      '19000101+0008',
      '1900-01-01-0008',
      'abcdef-ghij',
      '000101 0008',
      '000101--0008',
    ]) {
      expect(parsePersonalIdentityNumber(input, TODAY), input).toBeNull();
    }
  });

  it('needs a real today', () => {
    expect(() => parsePersonalIdentityNumber('19000101-0008', '2024-13-01')).toThrow(RangeError);
  });
});

describe('isValidPersonalIdentityNumber', () => {
  it('says whether the number parses', () => {
    expect(isValidPersonalIdentityNumber('19000102-0015', TODAY)).toBe(true);
    expect(isValidPersonalIdentityNumber('19000102-0016', TODAY)).toBe(false);
  });
});
