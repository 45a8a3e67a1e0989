import { describe, expect, it } from 'vitest';
import { costOf, peerBudget } from '../../subgraphs/peer/budget';

const LIMITS = { digestBuckets: 512, questions: 2, refusals: 2, checkpoints: 60, changes: 60 };

describe('the budget of what another city may ask and make this one keep', () => {
  it('counts a digest question by its buckets, all 256 when it names none and at least 64, and any other question as 1', () => {
    expect(costOf({ kind: 'digest' })).toBe(256);
    expect(costOf({ kind: 'digest', buckets: ['00', '3c'] })).toBe(64);
    const many = Array.from({ length: 100 }, (_, i) => i.toString(16).padStart(2, '0'));
    expect(costOf({ kind: 'digestBuckets', buckets: many })).toBe(100);
    expect(costOf({ kind: 'offers' })).toBe(1);
  });

  it('answers a city up to its minute, and each city from a budget of its own', () => {
    const budget = peerBudget(LIMITS);
    expect(budget.takeQuestion('1280', { kind: 'digest' })).toBe(true);
    expect(budget.takeQuestion('1280', { kind: 'digest' })).toBe(true);
    // Refilled at 512 a minute: far less than 256 comes back while the test runs.
    expect(budget.takeQuestion('1280', { kind: 'digest' })).toBe(false);
    expect(budget.takeQuestion('1480', { kind: 'digest' })).toBe(true);
  });

  it('keeps digest buckets and other questions apart: the consistency check never starves a person’s question', () => {
    const budget = peerBudget(LIMITS);
    expect(budget.takeQuestion('1280', { kind: 'digest' })).toBe(true);
    expect(budget.takeQuestion('1280', { kind: 'digest' })).toBe(true);
    expect(budget.takeQuestion('1280', { kind: 'offers' })).toBe(true);
    expect(budget.takeQuestion('1280', { kind: 'offers' })).toBe(true);
    // Refilled at 2 a minute: none comes back while the test runs.
    expect(budget.takeQuestion('1280', { kind: 'offers' })).toBe(false);
    expect(budget.takeQuestion('1480', { kind: 'offers' })).toBe(true);
  });

  it('keeps refusals and checkpoints within budgets of their own, apart from the questions', () => {
    const budget = peerBudget(LIMITS);
    expect(budget.takeKept('1280', 'refusals')).toBe(true);
    expect(budget.takeKept('1280', 'refusals')).toBe(true);
    expect(budget.takeKept('1280', 'refusals')).toBe(false);
    // Another city, the same city's checkpoints and its questions are untouched.
    expect(budget.takeKept('1480', 'refusals')).toBe(true);
    expect(budget.takeKept('1280', 'checkpoints')).toBe(true);
    expect(budget.takeQuestion('1280', { kind: 'offers' })).toBe(true);
    for (let kept = 1; kept < 60; kept++) expect(budget.takeKept('1280', 'checkpoints')).toBe(true);
    expect(budget.takeKept('1280', 'checkpoints')).toBe(false);
  });

  it('reports a city’s refusals once a minute, not once a message', () => {
    const budget = peerBudget(LIMITS);
    expect(budget.firstRefusal('1280', 0)).toBe(true);
    expect(budget.firstRefusal('1280', 59_000)).toBe(false);
    expect(budget.firstRefusal('1480', 59_000)).toBe(true);
    expect(budget.firstRefusal('1280', 60_000)).toBe(true);
  });
});
