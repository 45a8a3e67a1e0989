import { describe, expect, it } from 'vitest';
import {
  actionsOf,
  byCounterpart,
  counterpartOf,
  formatShare,
  paymentOf,
  toOre,
  barLengths,
  type ReconciliationLike,
} from '../../src/domain/reconciliation';

const NBSP = '\u00a0';

const reconciliation = (facts: Partial<ReconciliationLike> = {}): ReconciliationLike => ({
  between: ['0180', '1480'],
  period: 1,
  confirmedBy: [],
  declinedBy: [],
  settled: false,
  equalisation: null,
  counterpartyAgrees: true,
  ...facts,
});

describe('a reconciliation seen by a party', () => {
  it('says who pays whom, from the caller’s side, with the amount as sent', () => {
    const due = reconciliation({
      equalisation: { amount: { amount: '1234.50' }, payer: '0180', payee: '1480' },
    });
    expect(paymentOf(due, '0180')).toEqual({
      kind: 'due',
      payer: '0180',
      payee: '1480',
      amount: '1234.50',
      mine: 'pay',
    });
    expect(paymentOf(due, '1480')).toMatchObject({ mine: 'receive' });
    expect(paymentOf(reconciliation(), '0180')).toEqual({ kind: 'none' });
  });

  it('names the counterpart', () => {
    expect(counterpartOf(reconciliation(), '0180')).toBe('1480');
    expect(counterpartOf(reconciliation(), '1480')).toBe('0180');
  });

  it('lets only a party’s finance officers act, and nobody once settled', () => {
    const open = reconciliation();
    expect(actionsOf(open, '0180', ['finance'])).toEqual({ confirm: true, decline: true });
    expect(actionsOf(open, '0180', ['coordinator', 'auditor'])).toEqual({ confirm: false, decline: false });
    expect(actionsOf(open, '1280', ['finance'])).toEqual({ confirm: false, decline: false });
    const settled = reconciliation({ confirmedBy: ['0180', '1480'], settled: true });
    expect(actionsOf(settled, '1480', ['finance'])).toEqual({ confirm: false, decline: false });
  });

  it('after confirming there is nothing left to do; after declining one may still confirm', () => {
    const confirmed = reconciliation({ confirmedBy: ['0180'] });
    expect(actionsOf(confirmed, '0180', ['finance'])).toEqual({ confirm: false, decline: false });
    expect(actionsOf(confirmed, '1480', ['finance'])).toEqual({ confirm: true, decline: true });
    const declined = reconciliation({ declinedBy: [{ municipality: '1480' }] });
    expect(actionsOf(declined, '1480', ['finance'])).toEqual({ confirm: true, decline: false });
  });

  it('offers no confirmation while the two sides’ figures differ or are not compared, only declining', () => {
    const differing = reconciliation({ counterpartyAgrees: false });
    expect(actionsOf(differing, '0180', ['finance'])).toEqual({ confirm: false, decline: true });
    expect(actionsOf(differing, '1480', ['finance'])).toEqual({ confirm: false, decline: true });
    const unanswered = reconciliation({ counterpartyAgrees: null });
    expect(actionsOf(unanswered, '0180', ['finance'])).toEqual({ confirm: false, decline: true });
    const agreeing = reconciliation({ counterpartyAgrees: true });
    expect(actionsOf(agreeing, '1480', ['finance'])).toEqual({ confirm: true, decline: true });
  });

  it('groups periods by counterpart, in order', () => {
    const rows = [
      reconciliation({ between: ['0180', '1480'], period: 2 }),
      reconciliation({ between: ['0180', '1280'], period: 1 }),
      reconciliation({ between: ['0180', '1480'], period: 1 }),
    ];
    const groups = byCounterpart(rows, '0180');
    expect(groups.map(([c, list]) => [c, list.map((r) => r.period)])).toEqual([
      ['1280', [1]],
      ['1480', [1, 2]],
    ]);
  });
});

describe('shares as Swedish percentages', () => {
  it('moves the decimal point in the string, never through a float', () => {
    expect(formatShare('0.5072')).toBe(`50,72${NBSP}%`);
    expect(formatShare('0.1')).toBe(`10${NBSP}%`);
    expect(formatShare('0.05')).toBe(`5${NBSP}%`);
    expect(formatShare('1.0000')).toBe(`100,00${NBSP}%`);
    expect(formatShare('0.0000')).toBe(`0,00${NBSP}%`);
    expect(formatShare('0.14285714285714285714')).toBe(`14,285714285714285714${NBSP}%`);
  });
});

describe('bars for the reconciliation chart', () => {
  it('reads amounts as whole öre', () => {
    expect(toOre('1234.50')).toBe(123450n);
    expect(toOre('-0.05')).toBe(-5n);
    expect(toOre('90071992547409931.99')).toBe(9007199254740993199n);
  });

  it('measures each bar against the largest amount, in tenths of a per cent', () => {
    expect(barLengths(['1000.00', '250.00'])).toEqual([1000, 250]);
    expect(barLengths(['0.00', '0.00'])).toEqual([0, 0]);
    expect(barLengths(['-500.00', '1000.00'])).toEqual([500, 1000]);
  });
});
