import { describe, expect, it } from 'vitest';
import { costOf, questionBudget } from '../../subgraphs/peer/questionBudget';

describe('the budget of questions another city may ask', () => {
  it('counts a digest question by its buckets, all 256 when it names none, and any other question as 1', () => {
    expect(costOf({ kind: 'digest' })).toBe(256);
    expect(costOf({ kind: 'digest', buckets: ['00', '3c'] })).toBe(2);
    expect(costOf({ kind: 'digestBuckets', buckets: ['00', '3c', 'ff'] })).toBe(3);
    expect(costOf({ kind: 'offers' })).toBe(1);
  });

  it('answers a city up to its minute, and each city from a budget of its own', () => {
    const budget = questionBudget(512);
    expect(budget.take('1280', { kind: 'digest' })).toBe(true);
    expect(budget.take('1280', { kind: 'digest' })).toBe(true);
    // Refilled at 512 a minute: far less than 256 comes back while the test runs.
    expect(budget.take('1280', { kind: 'digest' })).toBe(false);
    expect(budget.take('1480', { kind: 'digest' })).toBe(true);
  });

  it('never answers a question that costs more than a minute holds', () => {
    const budget = questionBudget(100);
    expect(budget.take('1280', { kind: 'digest' })).toBe(false);
    expect(budget.take('1280', { kind: 'offers' })).toBe(true);
  });
});
