// Rule 1 (parties, term and approval) and the reconciliation periods of rule 8.
import { describe, expect, it } from 'vitest';
import { AGREEMENTS, approvedBy, type AgreementRecord } from '../../../schema/contract/agreements';
import {
  agreementCovering,
  agreementEnded,
  agreementInForce,
  approvedByBoth,
  periodOf,
  reconciliationPeriod,
  reconciliationPeriodEnded,
} from '../../../subgraphs/agreement/rules';
import { partyOf } from '../../../schema/contract/parties';
import { daysInMonth, formatIsoDate } from '../../../schema/contract/dates';
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

describe('rule 1: approval by each party’s board or delegate', () => {
  /** The 2023 term, approved by the given parties on the given days. */
  const approved = (approvals: Record<string, string>): AgreementRecord => ({
    ...TERM_2023,
    approvals: Object.entries(approvals).flatMap(([municipality, on]) => approvedBy([municipality], on)),
  });

  describe('agreementCovering', () => {
    it('finds the term and the parties whether or not anyone approved it', () => {
      const unapproved = approved({});
      expect(agreementCovering([unapproved], STOCKHOLM, MALMO, '2023-01-01')).toBe(unapproved);
      expect(agreementCovering([unapproved], STOCKHOLM, MALMO, '2023-12-31')).toBe(unapproved);
      expect(agreementCovering([unapproved], STOCKHOLM, MALMO, '2024-01-01')).toBeNull();
      expect(agreementCovering([unapproved], STOCKHOLM, UPPSALA, '2023-06-01')).toBeNull();
    });
  });

  describe('approvedByBoth', () => {
    it('holds once both parties approved, on or before the day', () => {
      const agreement = approved({ [STOCKHOLM]: '2022-12-15', [MALMO]: '2023-02-10' });
      expect(approvedByBoth(agreement, STOCKHOLM, MALMO, '2023-02-09')).toBe(false);
      expect(approvedByBoth(agreement, STOCKHOLM, MALMO, '2023-02-10')).toBe(true);
      expect(approvedByBoth(agreement, MALMO, STOCKHOLM, '2023-02-10')).toBe(true);
    });

    it('does not hold while one party has not approved at all', () => {
      const agreement = approved({ [STOCKHOLM]: '2022-12-15', [GOTEBORG]: '2022-12-15' });
      expect(approvedByBoth(agreement, STOCKHOLM, MALMO, '2023-06-01')).toBe(false);
      expect(approvedByBoth(agreement, STOCKHOLM, GOTEBORG, '2023-06-01')).toBe(true);
    });

    it('needs no approval from a party outside the pair', () => {
      expect(
        approvedByBoth(
          approved({ [GOTEBORG]: '2022-12-15', [MALMO]: '2022-12-15' }),
          GOTEBORG,
          MALMO,
          '2023-01-01',
        ),
      ).toBe(true);
    });
  });

  describe('agreementInForce', () => {
    it('is the covering agreement only from the day the second party approves it', () => {
      const agreement = approved({ [STOCKHOLM]: '2022-12-15', [MALMO]: '2023-03-02' });
      expect(agreementInForce([agreement], STOCKHOLM, MALMO, '2023-03-01')).toBeNull();
      expect(agreementInForce([agreement], STOCKHOLM, MALMO, '2023-03-02')).toBe(agreement);
    });

    it('is nothing while a party has not approved, though the term covers the day', () => {
      expect(
        agreementInForce([approved({ [STOCKHOLM]: '2022-12-15' })], STOCKHOLM, MALMO, '2023-06-01'),
      ).toBeNull();
    });
  });

  it('records the pilot’s approvals as assumptions: the seeds are the proposals to approve', () => {
    const [pilot] = AGREEMENTS;
    expect(pilot!.approvals.map((a) => a.municipality).sort()).toEqual([...pilot!.parties].sort());
    for (const approval of pilot!.approvals) {
      expect(approval.assumed).toBe(true);
      expect(approval.approvedOn <= pilot!.validFrom).toBe(true);
    }
  });
});

describe('agreementEnded', () => {
  it('is true from the day after the last day of the term', () => {
    expect(agreementEnded(TERM_2023, '2023-06-15')).toBe(false);
    expect(agreementEnded(TERM_2023, '2023-12-31')).toBe(false);
    expect(agreementEnded(TERM_2023, '2024-01-01')).toBe(true);
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
