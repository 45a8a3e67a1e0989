// Delivery and costs: rules 7 and 8. Costs belong to agreed plan items, fall
// in their planned period and are positive amounts in whole öre; money
// reimbursed by the state is counted once (002_, 003_).
import { describe, expect, it } from 'vitest';
import {
  checkCost,
  checkDelivery,
  checkIdempotentRetry,
  checkReimbursement,
  DELIVERY_STATUSES,
  REIMBURSEMENT_SOURCES,
  type CostFacts,
  type CostPayload,
} from '../../../subgraphs/agreement/rules';
import { codes, ruleCase } from './ruleCase';

const ITEM = { plannedFrom: '2023-03-01', plannedTo: '2023-08-31' };

function cost(overrides: Partial<CostFacts> = {}): CostFacts {
  return { status: 'ACTIVE', item: ITEM, amount: '1200.00', date: '2023-04-15', endedOn: null, ...overrides };
}

describe('checkCost', () => {
  it('allows a cost for an agreed item within its period', () => {
    expect(checkCost(cost())).toBeAllowed();
  });

  ruleCase(
    'ASSIGNMENT_NOT_ACTIVE',
    ['no plan is confirmed yet', () => checkCost(cost({ status: 'ACCEPTED' }))],
    ['the assignment is active', () => checkCost(cost({ status: 'ACTIVE' }))],
  );
  ruleCase(
    'ASSIGNMENT_NOT_ACTIVE',
    [
      'the cost was incurred after the assignment was completed',
      () => checkCost(cost({ status: 'COMPLETED', endedOn: '2023-04-14' })),
    ],
    [
      'it was incurred on the last day and booked later',
      () => checkCost(cost({ status: 'COMPLETED', endedOn: '2023-04-15' })),
    ],
  );
  ruleCase(
    'ASSIGNMENT_NOT_ACTIVE',
    [
      'a terminated assignment has no end date on record',
      () => checkCost(cost({ status: 'TERMINATED', endedOn: null })),
    ],
    ['it ended after the cost', () => checkCost(cost({ status: 'TERMINATED', endedOn: '2023-05-01' }))],
  );
  ruleCase(
    'PLAN_ITEM_NOT_AGREED',
    ['the cost is for nothing in the agreed plan', () => checkCost(cost({ item: null }))],
    ['it is for an agreed item', () => checkCost(cost())],
  );
  ruleCase(
    'AMOUNT_NOT_POSITIVE',
    ['the amount is zero', () => checkCost(cost({ amount: '0' }))],
    ['it is one öre', () => checkCost(cost({ amount: '0.01' }))],
  );
  ruleCase(
    'AMOUNT_NOT_POSITIVE',
    ['the amount has three decimals', () => checkCost(cost({ amount: '12.345' }))],
    ['it has one', () => checkCost(cost({ amount: '12.3' }))],
  );
  ruleCase(
    'AMOUNT_NOT_POSITIVE',
    ['the amount is negative', () => checkCost(cost({ amount: '-100.00' }))],
    ['it is positive', () => checkCost(cost({ amount: '100.00' }))],
  );
  ruleCase(
    'AMOUNT_NOT_POSITIVE',
    ['the amount is not a number', () => checkCost(cost({ amount: 'NaN' }))],
    ['it is', () => checkCost(cost({ amount: '3000' }))],
  );
  ruleCase(
    'COST_DATE_OUTSIDE_PLAN',
    ['the cost is dated the day after the planned end', () => checkCost(cost({ date: '2023-09-01' }))],
    ['it is dated the planned end', () => checkCost(cost({ date: '2023-08-31' }))],
  );
  ruleCase(
    'COST_DATE_OUTSIDE_PLAN',
    ['the cost is dated before the planned start', () => checkCost(cost({ date: '2023-02-28' }))],
    ['it is dated the planned start', () => checkCost(cost({ date: '2023-03-01' }))],
  );

  it('reports every reason at once', () => {
    expect(codes(checkCost(cost({ status: 'PROPOSED', item: null, amount: '0.001' })))).toEqual([
      'ASSIGNMENT_NOT_ACTIVE',
      'PLAN_ITEM_NOT_AGREED',
      'AMOUNT_NOT_POSITIVE',
    ]);
  });
});

describe('checkDelivery', () => {
  ruleCase(
    'ASSIGNMENT_NOT_ACTIVE',
    ['the assignment was terminated', () => checkDelivery({ status: 'TERMINATED', itemAgreed: true })],
    ['it is active', () => checkDelivery({ status: 'ACTIVE', itemAgreed: true })],
  );
  ruleCase(
    'PLAN_ITEM_NOT_AGREED',
    [
      'the intervention is not in the agreed plan',
      () => checkDelivery({ status: 'ACTIVE', itemAgreed: false }),
    ],
    ['it is', () => checkDelivery({ status: 'ACTIVE', itemAgreed: true })],
  );

  it('knows the delivery statuses', () => {
    expect(DELIVERY_STATUSES).toEqual(['NOT_STARTED', 'ONGOING', 'DELIVERED', 'CANCELLED']);
  });
});

describe('checkIdempotentRetry', () => {
  const first: CostPayload = {
    planItemId: 'item:0180:1280:3f2b8c1e-5d4a-4b6f-9e21-0c7d8a9b1f34',
    date: '2023-04-15',
    amount: '1200.50',
    description: 'Motivational talks, April',
  };

  ruleCase(
    'IDEMPOTENCY_KEY_REUSED',
    ['the retry carries another amount', () => checkIdempotentRetry(first, { ...first, amount: '1200.51' })],
    [
      'it carries the same amount written differently',
      () => checkIdempotentRetry(first, { ...first, amount: '1200.5' }),
    ],
  );
  ruleCase(
    'IDEMPOTENCY_KEY_REUSED',
    ['the retry is for another day', () => checkIdempotentRetry(first, { ...first, date: '2023-04-16' })],
    ['it is an exact repeat', () => checkIdempotentRetry(first, { ...first })],
  );

  it('refuses a retry for another item or with another description', () => {
    for (const retry of [
      { ...first, planItemId: 'other' },
      { ...first, description: null },
      { ...first, amount: 'garbage' },
    ]) {
      const verdict = checkIdempotentRetry(first, retry);
      expect(verdict).toBreakOnly(['IDEMPOTENCY_KEY_REUSED']);
      expect(verdict).toHaveLength(1);
    }
  });
});

describe('checkReimbursement', () => {
  const reimburse = (reimbursed: string, overrides: { gross?: string; periodSettled?: boolean } = {}) =>
    checkReimbursement({ gross: '1200.00', reimbursed, periodSettled: false, ...overrides });

  it('allows reimbursing part or all of a cost, or nothing', () => {
    expect(reimburse('600.00')).toBeAllowed();
    expect(reimburse('1200.00')).toBeAllowed();
    expect(reimburse('0')).toBeAllowed();
  });

  ruleCase(
    'REIMBURSEMENT_EXCEEDS_COST',
    ['one öre more than the cost is reimbursed', () => reimburse('1200.01')],
    ['the whole cost is, written differently', () => reimburse('1200')],
  );
  ruleCase(
    'REIMBURSEMENT_EXCEEDS_COST',
    // Compared as amounts, not as text: '10000' sorts before '9999.99'.
    ['10000 is reimbursed of a cost of 9999.99', () => reimburse('10000', { gross: '9999.99' })],
    ['9999.99 is', () => reimburse('9999.99', { gross: '9999.99' })],
  );
  ruleCase(
    'AMOUNT_NOT_POSITIVE',
    ['the reimbursement is negative', () => reimburse('-100.00')],
    ['it is zero', () => reimburse('0.00')],
  );
  ruleCase(
    'AMOUNT_NOT_POSITIVE',
    ['it has fractions of an öre', () => reimburse('100.005')],
    ['it has whole öre', () => reimburse('100.05')],
  );
  ruleCase(
    'AMOUNT_NOT_POSITIVE',
    ['it is not an amount', () => reimburse('half')],
    ['it is', () => reimburse('500')],
  );
  ruleCase(
    'RECONCILIATION_SETTLED',
    ["the cost's reconciliation period is settled", () => reimburse('600.00', { periodSettled: true })],
    ['it is not', () => reimburse('600.00', { periodSettled: false })],
  );

  it('names both amounts when the reimbursement exceeds the cost', () => {
    expect(reimburse('1500.00')[0]!.message).toBe('1500.00 is more than the cost, 1200.00.');
  });

  it('reports every reason at once', () => {
    expect(codes(reimburse('1500.00', { periodSettled: true }))).toEqual([
      'REIMBURSEMENT_EXCEEDS_COST',
      'RECONCILIATION_SETTLED',
    ]);
    expect(codes(reimburse('-1', { periodSettled: true }))).toEqual([
      'AMOUNT_NOT_POSITIVE',
      'RECONCILIATION_SETTLED',
    ]);
  });

  it('knows where reimbursements come from', () => {
    expect(REIMBURSEMENT_SOURCES).toEqual(['POLICE_NATIONAL_OPERATIONS', 'OTHER']);
  });
});
