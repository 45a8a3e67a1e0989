// Rule 1 (parties and term) and the reconciliation periods of rule 8.
import { describe, expect, it } from 'vitest';
import { AGREEMENTS } from '../../../subgraphs/agreement/agreements';
import {
  agreementInForce,
  daysInMonth,
  formatIsoDate,
  partyOf,
  periodOf,
  reconciliationPeriod,
  reconciliationPeriodEnded,
} from '../../../subgraphs/agreement/rules';
import { GOTEBORG, MALMO, MONTH_END_TERM, STOCKHOLM, TERM_2023, TERM_2024, UPPSALA } from './fixtures';

const BOTH_TERMS = [TERM_2023, TERM_2024];

describe('agreementInForce', () => {
  it('finds the agreement whose term covers the day, first and last day included', () => {
    expect(agreementInForce(BOTH_TERMS, STOCKHOLM, MALMO, '2023-01-01')).toBe(TERM_2023);
    expect(agreementInForce(BOTH_TERMS, STOCKHOLM, MALMO, '2023-06-15')).toBe(TERM_2023);
    expect(agreementInForce(BOTH_TERMS, STOCKHOLM, MALMO, '2023-12-31')).toBe(TERM_2023);
    expect(agreementInForce(BOTH_TERMS, STOCKHOLM, MALMO, '2024-01-01')).toBe(TERM_2024);
  });

  it('finds nothing before the first term or after the last', () => {
    expect(agreementInForce(BOTH_TERMS, STOCKHOLM, MALMO, '2022-12-31')).toBeNull();
    expect(agreementInForce(BOTH_TERMS, STOCKHOLM, MALMO, '2025-01-01')).toBeNull();
  });

  it('requires both municipalities to be parties', () => {
    // Uppsala joins only in the second term.
    expect(agreementInForce(BOTH_TERMS, UPPSALA, GOTEBORG, '2023-06-01')).toBeNull();
    expect(agreementInForce(BOTH_TERMS, GOTEBORG, UPPSALA, '2023-06-01')).toBeNull();
    expect(agreementInForce(BOTH_TERMS, UPPSALA, GOTEBORG, '2024-06-01')).toBe(TERM_2024);
    expect(agreementInForce(BOTH_TERMS, STOCKHOLM, '0126', '2024-06-01')).toBeNull();
  });

  it('reads the configured pilot agreement (Stockholm, Göteborg, Malmö, 2023)', () => {
    expect(agreementInForce(AGREEMENTS, GOTEBORG, STOCKHOLM, '2023-03-01')?.id).toBe(
      'avhoppare-storstad-2023',
    );
    expect(agreementInForce(AGREEMENTS, GOTEBORG, STOCKHOLM, '2024-01-01')).toBeNull();
  });
});

describe('reconciliationPeriod', () => {
  it('cuts the term into six-month windows counted from its start', () => {
    expect(reconciliationPeriod(TERM_2023, 1)).toEqual({ from: '2023-01-01', to: '2023-06-30' });
    expect(reconciliationPeriod(TERM_2023, 2)).toEqual({ from: '2023-07-01', to: '2023-12-31' });
    // Not cut at validTo: costs of assignments started in the term can come later.
    expect(reconciliationPeriod(TERM_2023, 3)).toEqual({ from: '2024-01-01', to: '2024-06-30' });
  });

  it('follows the period length of the agreement record', () => {
    const quarterly = { ...TERM_2023, reconciliationPeriodMonths: 3 };
    expect(reconciliationPeriod(quarterly, 4)).toEqual({ from: '2023-10-01', to: '2023-12-31' });
  });

  it('clamps a month-end start to the shorter month and does not drift afterwards', () => {
    // 2023-08-31 + 6 months has no 31st: 2024-02-29 (leap year); + 12 months is the 31st again.
    expect(reconciliationPeriod(MONTH_END_TERM, 1)).toEqual({ from: '2023-08-31', to: '2024-02-28' });
    expect(reconciliationPeriod(MONTH_END_TERM, 2)).toEqual({ from: '2024-02-29', to: '2024-08-30' });
    // + 18 months: 2025-02-28 (no leap year), so the third period ends the day before.
    expect(reconciliationPeriod(MONTH_END_TERM, 3)).toEqual({ from: '2024-08-31', to: '2025-02-27' });
  });

  it('numbers periods from 1', () => {
    expect(() => reconciliationPeriod(TERM_2023, 0)).toThrow(RangeError);
    expect(() => reconciliationPeriod(TERM_2023, -1)).toThrow(RangeError);
    expect(() => reconciliationPeriod(TERM_2023, 1.5)).toThrow(RangeError);
  });

  it('refuses an agreement without a usable period length', () => {
    expect(() => reconciliationPeriod({ ...TERM_2023, reconciliationPeriodMonths: 0 }, 1)).toThrow(
      RangeError,
    );
  });
});

describe('periodOf', () => {
  it('is null before the agreement starts', () => {
    expect(periodOf(TERM_2023, '2022-12-31')).toBeNull();
  });

  it('places the days on either side of a period boundary', () => {
    expect(periodOf(TERM_2023, '2023-01-01')).toBe(1);
    expect(periodOf(TERM_2023, '2023-06-30')).toBe(1);
    expect(periodOf(TERM_2023, '2023-07-01')).toBe(2);
    expect(periodOf(TERM_2023, '2023-12-31')).toBe(2);
    expect(periodOf(TERM_2023, '2024-01-01')).toBe(3);
  });

  it('places the days around clamped month ends', () => {
    expect(periodOf(MONTH_END_TERM, '2024-02-28')).toBe(1);
    expect(periodOf(MONTH_END_TERM, '2024-02-29')).toBe(2);
    expect(periodOf(MONTH_END_TERM, '2024-08-30')).toBe(2);
    expect(periodOf(MONTH_END_TERM, '2024-08-31')).toBe(3);
  });

  it('agrees with reconciliationPeriod for every day over three years', () => {
    for (const agreement of [
      TERM_2023,
      MONTH_END_TERM,
      { ...TERM_2023, validFrom: '2023-01-31', reconciliationPeriodMonths: 1 },
    ]) {
      for (let year = 2023; year <= 2025; year += 1) {
        for (let month = 1; month <= 12; month += 1) {
          for (let day = 1; day <= daysInMonth(year, month); day += 1) {
            const date = formatIsoDate({ year, month, day });
            const period = periodOf(agreement, date);
            if (date < agreement.validFrom) {
              expect(period).toBeNull();
              continue;
            }
            const { from, to } = reconciliationPeriod(agreement, period!);
            expect(from <= date && date <= to, `${agreement.id} ${date} in period ${period}`).toBe(true);
          }
        }
      }
    }
  });
});

describe('reconciliationPeriodEnded', () => {
  it('is true only after the last day of the period', () => {
    expect(reconciliationPeriodEnded(TERM_2023, 1, '2023-06-30')).toBe(false);
    expect(reconciliationPeriodEnded(TERM_2023, 1, '2023-07-01')).toBe(true);
  });
});

describe('partyOf', () => {
  const assignment = { homeMunicipality: STOCKHOLM, receivingMunicipality: MALMO };

  it('names the side a municipality is on, and no side for anyone else', () => {
    expect(partyOf(STOCKHOLM, assignment)).toBe('home');
    expect(partyOf(MALMO, assignment)).toBe('receiving');
    expect(partyOf(GOTEBORG, assignment)).toBeNull();
  });
});
