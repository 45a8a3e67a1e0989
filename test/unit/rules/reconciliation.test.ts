// Rule 8: six-monthly reconciliation between two parties and the
// equalisation payment when the split deviates beyond the threshold; each
// party confirms the period's figures or declines them, saying why.
// Every expected figure below is worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import {
  checkConfirmReconciliation,
  checkDeclineReconciliation,
  reconcile,
  RECONCILIATION_STATUSES,
  reconciliationStatus,
} from '../../../subgraphs/agreement/rules';
import { GOTEBORG, MALMO, STOCKHOLM } from './fixtures';
import { codes, ruleCase } from './ruleCase';

const THRESHOLD = '0.10';

describe('reconcile', () => {
  it('equalises a split far from even', () => {
    // Stockholm bore 36700.50 for Malmö's assignment, Malmö bore 12000.00 for Stockholm's.
    // total     = 36700.50 + 12000.00          = 48700.50
    // fair      = 48700.50 / 2                 = 24350.25
    // deviation = 36700.50 − 24350.25          = +12350.25 (Stockholm), −12350.25 (Malmö)
    // relative  = |36700.50 − 12000.00| / total = 24700.50 / 48700.50 = 0.50719… → 0.5072 > 0.10
    // payment   = 24700.50 / 2                 = 12350.25, from Malmö (bore less) to Stockholm
    expect(
      reconcile({
        a: STOCKHOLM,
        b: MALMO,
        costsBorneByA: '36700.50',
        costsBorneByB: '12000.00',
        threshold: THRESHOLD,
      }),
    ).toEqual({
      total: '48700.50',
      fairShare: '24350.25',
      deviationA: '12350.25',
      deviationB: '-12350.25',
      relativeDeviation: '0.5072',
      equalisation: { amount: '12350.25', payer: MALMO, payee: STOCKHOLM },
    });
  });

  it('makes no payment when the deviation is within the threshold', () => {
    // total 10500.00 + 9500.00 = 20000.00, fair 10000.00, deviations ±500.00
    // relative 1000.00 / 20000.00 = 0.0500 ≤ 0.10: no equalisation
    expect(
      reconcile({
        a: GOTEBORG,
        b: MALMO,
        costsBorneByA: '10500',
        costsBorneByB: '9500.00',
        threshold: THRESHOLD,
      }),
    ).toEqual({
      total: '20000.00',
      fairShare: '10000.00',
      deviationA: '500.00',
      deviationB: '-500.00',
      relativeDeviation: '0.0500',
      equalisation: null,
    });
  });

  it('rounds half an öre up (away from zero) when the total is odd', () => {
    // total 3000.00 + 4500.01 = 7500.01, fair 3750.005 → 3750.01
    // deviations −750.005 → −750.01 (Stockholm), +750.005 → +750.01 (Göteborg)
    // relative 1500.01 / 7500.01 = 0.2000011… → 0.2000 > 0.10
    // payment 1500.01 / 2 = 750.005 → 750.01, from Stockholm to Göteborg
    expect(
      reconcile({
        a: STOCKHOLM,
        b: GOTEBORG,
        costsBorneByA: '3000.00',
        costsBorneByB: '4500.01',
        threshold: THRESHOLD,
      }),
    ).toEqual({
      total: '7500.01',
      fairShare: '3750.01',
      deviationA: '-750.01',
      deviationB: '750.01',
      relativeDeviation: '0.2000',
      equalisation: { amount: '750.01', payer: STOCKHOLM, payee: GOTEBORG },
    });
  });

  it('reports zeros and no payment when nothing was borne', () => {
    // total 0: the relative deviation is defined as 0.0000 rather than 0/0.
    expect(
      reconcile({ a: STOCKHOLM, b: MALMO, costsBorneByA: '0.00', costsBorneByB: '0', threshold: THRESHOLD }),
    ).toEqual({
      total: '0.00',
      fairShare: '0.00',
      deviationA: '0.00',
      deviationB: '0.00',
      relativeDeviation: '0.0000',
      equalisation: null,
    });
  });

  it('pays only strictly above the threshold, judged on the reported four decimals', () => {
    // 2000.00 / 20000.00 = 0.1000, exactly the threshold: no payment.
    expect(
      reconcile({
        a: STOCKHOLM,
        b: MALMO,
        costsBorneByA: '11000.00',
        costsBorneByB: '9000.00',
        threshold: THRESHOLD,
      }).equalisation,
    ).toBeNull();
    // 2000.01 / 20000.01 = 0.1000004… reported as 0.1000: still no payment.
    const justOver = reconcile({
      a: STOCKHOLM,
      b: MALMO,
      costsBorneByA: '11000.01',
      costsBorneByB: '9000.00',
      threshold: THRESHOLD,
    });
    expect(justOver.relativeDeviation).toBe('0.1000');
    expect(justOver.equalisation).toBeNull();
    // 2002.00 / 20002.00 = 0.10009… → 0.1001 > 0.10: payment 2002.00 / 2 = 1001.00 from Malmö.
    expect(
      reconcile({
        a: STOCKHOLM,
        b: MALMO,
        costsBorneByA: '11002.00',
        costsBorneByB: '9000.00',
        threshold: THRESHOLD,
      }).equalisation,
    ).toEqual({ amount: '1001.00', payer: MALMO, payee: STOCKHOLM });
  });

  it('names the payer whichever side bore less', () => {
    // A bore nothing, B bore 100.00: relative 1.0000, A pays B 50.00.
    expect(
      reconcile({
        a: STOCKHOLM,
        b: MALMO,
        costsBorneByA: '0',
        costsBorneByB: '100.00',
        threshold: THRESHOLD,
      }),
    ).toMatchObject({
      relativeDeviation: '1.0000',
      equalisation: { amount: '50.00', payer: STOCKHOLM, payee: MALMO },
    });
  });

  it('refuses inputs that are not a reconciliation', () => {
    const ok = { a: STOCKHOLM, b: MALMO, costsBorneByA: '1.00', costsBorneByB: '2.00', threshold: THRESHOLD };
    expect(() => reconcile({ ...ok, b: STOCKHOLM })).toThrow(RangeError);
    expect(() => reconcile({ ...ok, costsBorneByA: '-1.00' })).toThrow(RangeError);
    expect(() => reconcile({ ...ok, costsBorneByB: '2.005' })).toThrow(RangeError);
    expect(() => reconcile({ ...ok, threshold: 'ten percent' })).toThrow(RangeError);
  });
});

describe('checkConfirmReconciliation', () => {
  const parties = [STOCKHOLM, MALMO] as const;

  it('allows the first confirmation once the period has ended', () => {
    expect(
      checkConfirmReconciliation({
        party: STOCKHOLM,
        parties,
        confirmedBy: [],
        periodEnded: true,
        figuresAgree: true,
      }),
    ).toBeAllowed();
  });

  ruleCase(
    'NOT_A_PARTY_TO_RECONCILIATION',
    [
      'a third municipality confirms',
      () =>
        checkConfirmReconciliation({
          party: GOTEBORG,
          parties,
          confirmedBy: [],
          periodEnded: true,
          figuresAgree: true,
        }),
    ],
    [
      'a party confirms',
      () =>
        checkConfirmReconciliation({
          party: MALMO,
          parties,
          confirmedBy: [],
          periodEnded: true,
          figuresAgree: true,
        }),
    ],
  );
  ruleCase(
    'RECONCILIATION_PERIOD_NOT_ENDED',
    [
      'the period is still running',
      () =>
        checkConfirmReconciliation({
          party: STOCKHOLM,
          parties,
          confirmedBy: [],
          periodEnded: false,
          figuresAgree: true,
        }),
    ],
    [
      'it has ended',
      () =>
        checkConfirmReconciliation({
          party: STOCKHOLM,
          parties,
          confirmedBy: [],
          periodEnded: true,
          figuresAgree: true,
        }),
    ],
  );
  ruleCase(
    'RECONCILIATION_ALREADY_CONFIRMED',
    [
      'this party has confirmed before',
      () =>
        checkConfirmReconciliation({
          party: STOCKHOLM,
          parties,
          confirmedBy: [STOCKHOLM],
          periodEnded: true,
          figuresAgree: true,
        }),
    ],
    [
      'only the other party has',
      () =>
        checkConfirmReconciliation({
          party: STOCKHOLM,
          parties,
          confirmedBy: [MALMO],
          periodEnded: true,
          figuresAgree: true,
        }),
    ],
  );
  ruleCase(
    'RECONCILIATION_SETTLED',
    [
      'both parties have confirmed',
      () =>
        checkConfirmReconciliation({
          party: MALMO,
          parties,
          confirmedBy: [STOCKHOLM, MALMO],
          periodEnded: true,
          figuresAgree: true,
        }),
    ],
    [
      'one has, and the other confirms now',
      () =>
        checkConfirmReconciliation({
          party: MALMO,
          parties,
          confirmedBy: [STOCKHOLM],
          periodEnded: true,
          figuresAgree: true,
        }),
    ],
    // Whoever confirms a settled period has confirmed it already.
    { alongside: ['RECONCILIATION_ALREADY_CONFIRMED'] },
  );

  ruleCase(
    'RECONCILIATION_FIGURES_DIFFER',
    [
      "the receiving party's own sum differs from the reports the holder checked",
      () =>
        checkConfirmReconciliation({
          party: STOCKHOLM,
          parties,
          confirmedBy: [],
          periodEnded: true,
          figuresAgree: false,
        }),
    ],
    [
      'they agree',
      () =>
        checkConfirmReconciliation({
          party: STOCKHOLM,
          parties,
          confirmedBy: [],
          periodEnded: true,
          figuresAgree: true,
        }),
    ],
  );

  it('leaves figures not compared (no answer) to the caller, breaking no rule', () => {
    expect(
      checkConfirmReconciliation({
        party: STOCKHOLM,
        parties,
        confirmedBy: [],
        periodEnded: true,
        figuresAgree: null,
      }),
    ).toBeAllowed();
  });

  it('reports every reason at once', () => {
    expect(
      codes(
        checkConfirmReconciliation({
          party: GOTEBORG,
          parties,
          confirmedBy: [MALMO, STOCKHOLM],
          periodEnded: false,
          figuresAgree: true,
        }),
      ),
    ).toEqual(['NOT_A_PARTY_TO_RECONCILIATION', 'RECONCILIATION_PERIOD_NOT_ENDED', 'RECONCILIATION_SETTLED']);
  });
});

describe('reconciliationStatus', () => {
  const parties = [STOCKHOLM, MALMO] as const;
  const status = (confirmedBy: string[], declinedBy: string[] = []) =>
    reconciliationStatus({ parties, confirmedBy, declinedBy });

  it('has four statuses', () => {
    expect(RECONCILIATION_STATUSES).toEqual(['OPEN', 'CONFIRMED_BY_ONE', 'SETTLED', 'DISPUTED']);
  });

  it('is OPEN while neither party has confirmed or declined', () => {
    expect(status([])).toBe('OPEN');
  });

  it('is CONFIRMED_BY_ONE when either party alone has confirmed', () => {
    expect(status([STOCKHOLM])).toBe('CONFIRMED_BY_ONE');
    expect(status([MALMO])).toBe('CONFIRMED_BY_ONE');
  });

  it('is SETTLED once both have confirmed, in either order', () => {
    expect(status([STOCKHOLM, MALMO])).toBe('SETTLED');
    expect(status([MALMO, STOCKHOLM])).toBe('SETTLED');
  });

  it('is DISPUTED while a party declines, whether or not the other confirmed', () => {
    expect(status([], [MALMO])).toBe('DISPUTED');
    expect(status([STOCKHOLM], [MALMO])).toBe('DISPUTED');
    expect(status([], [STOCKHOLM, MALMO])).toBe('DISPUTED');
  });

  it('is not settled by a third municipality’s confirmation', () => {
    expect(status([STOCKHOLM, GOTEBORG])).toBe('CONFIRMED_BY_ONE');
  });
});

describe('checkDeclineReconciliation', () => {
  const parties = [STOCKHOLM, MALMO] as const;
  const decline = (overrides: Partial<Parameters<typeof checkDeclineReconciliation>[0]> = {}) =>
    checkDeclineReconciliation({
      party: MALMO,
      parties,
      periodEnded: true,
      confirmedBy: [],
      declinedBy: [],
      reason: 'The April costs for motivational talks are counted twice.',
      ...overrides,
    });

  it('allows a party to decline an ended period, saying why', () => {
    expect(decline()).toBeAllowed();
  });

  it('allows declining figures the other party has confirmed', () => {
    expect(decline({ confirmedBy: [STOCKHOLM] })).toBeAllowed();
  });

  ruleCase(
    'NOT_A_PARTY_TO_RECONCILIATION',
    ['a third municipality declines', () => decline({ party: GOTEBORG })],
    ['a party declines', () => decline({ party: STOCKHOLM })],
  );
  ruleCase(
    'RECONCILIATION_PERIOD_NOT_ENDED',
    ['the period is still running', () => decline({ periodEnded: false })],
    ['it has ended', () => decline({ periodEnded: true })],
  );
  ruleCase(
    'RECONCILIATION_SETTLED',
    ['both parties have confirmed', () => decline({ confirmedBy: [STOCKHOLM, MALMO] })],
    ['only the other party has', () => decline({ confirmedBy: [STOCKHOLM] })],
  );
  ruleCase(
    'RECONCILIATION_ALREADY_DECLINED',
    ['this party has declined before', () => decline({ declinedBy: [MALMO] })],
    ['only the other party has', () => decline({ declinedBy: [STOCKHOLM] })],
  );
  ruleCase(
    'DECLINE_REASON_MISSING',
    ['no reason is given', () => decline({ reason: '' })],
    ['one is', () => decline({ reason: 'Costs for a cancelled item.' })],
  );
  ruleCase(
    'DECLINE_REASON_MISSING',
    ['the reason is only blanks', () => decline({ reason: ' \n\t ' })],
    ['it has words', () => decline({ reason: ' Wrong period. ' })],
  );

  it('reports every reason at once', () => {
    expect(
      codes(
        decline({
          party: GOTEBORG,
          periodEnded: false,
          confirmedBy: [MALMO, STOCKHOLM],
          declinedBy: [GOTEBORG],
          reason: '',
        }),
      ),
    ).toEqual([
      'NOT_A_PARTY_TO_RECONCILIATION',
      'RECONCILIATION_PERIOD_NOT_ENDED',
      'RECONCILIATION_SETTLED',
      'RECONCILIATION_ALREADY_DECLINED',
      'DECLINE_REASON_MISSING',
    ]);
  });
});

describe('a period from open to settled', () => {
  it('goes OPEN, CONFIRMED_BY_ONE, DISPUTED, SETTLED as the parties confirm and decline', () => {
    const parties = [STOCKHOLM, MALMO] as const;
    let confirmedBy: string[] = [];
    let declinedBy: string[] = [];
    const now = () => reconciliationStatus({ parties, confirmedBy, declinedBy });
    expect(now()).toBe('OPEN');

    expect(
      checkConfirmReconciliation({
        party: STOCKHOLM,
        parties,
        confirmedBy,
        periodEnded: true,
        figuresAgree: true,
      }),
    ).toBeAllowed();
    confirmedBy = [STOCKHOLM];
    expect(now()).toBe('CONFIRMED_BY_ONE');

    const malmoDeclines = () =>
      checkDeclineReconciliation({
        party: MALMO,
        parties,
        periodEnded: true,
        confirmedBy,
        declinedBy,
        reason: 'A cost is in the wrong period.',
      });
    expect(malmoDeclines()).toBeAllowed();
    declinedBy = [MALMO];
    expect(now()).toBe('DISPUTED');
    expect(malmoDeclines()).toBreakOnly(['RECONCILIATION_ALREADY_DECLINED']);

    // Malmö confirms the corrected figures, which takes back its refusal.
    expect(
      checkConfirmReconciliation({
        party: MALMO,
        parties,
        confirmedBy,
        periodEnded: true,
        figuresAgree: true,
      }),
    ).toBeAllowed();
    confirmedBy = [STOCKHOLM, MALMO];
    declinedBy = [];
    expect(now()).toBe('SETTLED');
    expect(malmoDeclines()).toBreakOnly(['RECONCILIATION_SETTLED']);
  });
});
