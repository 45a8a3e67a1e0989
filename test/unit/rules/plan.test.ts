// The implementation plan as the home municipality proposes it: rules 5-7 and
// the end of the term (rule 1). Only catalogue interventions the receiving
// municipality offers, with a sensible period, extent and cost. Consultation
// and decision are in planDecision.test.ts.
import { describe, expect, it } from 'vitest';
import {
  CATALOGUE,
  checkPlanProposal,
  isCatalogueCategory,
  NOT_COVERED,
  type PlanItemProposal,
  type PlanProposalFacts,
} from '../../../subgraphs/agreement/rules';
import { codes, ruleCase } from './ruleCase';

const OFFERED = ['CRISIS_SUPPORT', 'MOTIVATIONAL_TALKS', 'HOUSING_SUPPORT', 'WORK_ORIENTED'];

function item(overrides: Partial<PlanItemProposal> = {}): PlanItemProposal {
  return {
    category: 'MOTIVATIONAL_TALKS',
    plannedFrom: '2023-03-01',
    plannedTo: '2023-08-31',
    extentQuantity: 12,
    estimatedCost: '14400.00',
    ...overrides,
  };
}

function plan(items: PlanItemProposal[], overrides: Partial<PlanProposalFacts> = {}): PlanProposalFacts {
  return { status: 'ACCEPTED', items, offered: OFFERED, term: null, ...overrides };
}

describe('the catalogue', () => {
  it('has the eleven interventions of the agreement, and the exclusions are not among them', () => {
    expect(CATALOGUE).toHaveLength(11);
    for (const excluded of NOT_COVERED) expect(CATALOGUE).not.toContain(excluded);
    // Boendestöd is covered; the dwelling itself is not.
    expect(CATALOGUE).toContain('HOUSING_SUPPORT');
    expect(NOT_COVERED).toEqual(['HOUSING', 'HOME_CARE', 'INCOME_SUPPORT']);
  });

  it('recognises its own categories and nothing else', () => {
    for (const category of CATALOGUE) expect(isCatalogueCategory(category)).toBe(true);
    for (const category of [...NOT_COVERED, 'PRIVATE_SECURITY', 'crisis_support', '']) {
      expect(isCatalogueCategory(category)).toBe(false);
    }
  });
});

describe('checkPlanProposal', () => {
  it('allows a plan of offered catalogue interventions', () => {
    expect(
      checkPlanProposal(plan([item(), item({ category: 'WORK_ORIENTED', estimatedCost: '0.01' })])),
    ).toBeAllowed();
  });

  it('allows a revised plan for an active assignment', () => {
    expect(checkPlanProposal(plan([item()], { status: 'ACTIVE' }))).toBeAllowed();
  });

  ruleCase(
    'ASSIGNMENT_NOT_ACCEPTED',
    ['the proposal is not yet accepted', () => checkPlanProposal(plan([item()], { status: 'PROPOSED' }))],
    ['it is accepted', () => checkPlanProposal(plan([item()], { status: 'ACCEPTED' }))],
  );
  ruleCase(
    'PLAN_EMPTY',
    ['the plan has no items', () => checkPlanProposal(plan([]))],
    ['it has one', () => checkPlanProposal(plan([item()]))],
  );
  ruleCase(
    'INTERVENTION_NOT_IN_CATALOGUE',
    [
      'it plans housing, which stays with the home municipality',
      () => checkPlanProposal(plan([item({ category: 'HOUSING' })])),
    ],
    [
      'it plans housing support (boendestöd)',
      () => checkPlanProposal(plan([item({ category: 'HOUSING_SUPPORT' })])),
    ],
  );
  ruleCase(
    'INTERVENTION_NOT_IN_CATALOGUE',
    ['it plans something unknown', () => checkPlanProposal(plan([item({ category: 'PRIVATE_SECURITY' })]))],
    ['it plans crisis support', () => checkPlanProposal(plan([item({ category: 'CRISIS_SUPPORT' })]))],
  );
  ruleCase(
    'INTERVENTION_NOT_OFFERED',
    [
      'the receiving municipality does not offer the programme',
      () => checkPlanProposal(plan([item({ category: 'CRIMINALITY_AS_LIFESTYLE' })])),
    ],
    [
      'it does offer it',
      () =>
        checkPlanProposal(
          plan([item({ category: 'CRIMINALITY_AS_LIFESTYLE' })], {
            offered: [...OFFERED, 'CRIMINALITY_AS_LIFESTYLE'],
          }),
        ),
    ],
  );
  ruleCase(
    'PLAN_PERIOD_INVALID',
    [
      'the item ends before it starts',
      () => checkPlanProposal(plan([item({ plannedFrom: '2023-09-01', plannedTo: '2023-08-31' })])),
    ],
    [
      'it lasts a single day',
      () => checkPlanProposal(plan([item({ plannedFrom: '2023-08-31', plannedTo: '2023-08-31' })])),
    ],
  );
  ruleCase(
    'PLAN_PERIOD_INVALID',
    [
      'a date does not exist',
      () => checkPlanProposal(plan([item({ plannedFrom: '2023-02-01', plannedTo: '2023-02-30' })])),
    ],
    [
      'it does',
      () => checkPlanProposal(plan([item({ plannedFrom: '2023-02-01', plannedTo: '2023-02-28' })])),
    ],
  );
  ruleCase(
    'EXTENT_NOT_POSITIVE',
    ['the extent is zero', () => checkPlanProposal(plan([item({ extentQuantity: 0 })]))],
    ['it is half an hour', () => checkPlanProposal(plan([item({ extentQuantity: 0.5 })]))],
  );
  ruleCase(
    'ESTIMATED_COST_NOT_POSITIVE',
    ['the estimate is zero', () => checkPlanProposal(plan([item({ estimatedCost: '0.00' })]))],
    ['it is one öre', () => checkPlanProposal(plan([item({ estimatedCost: '0.01' })]))],
  );
  ruleCase(
    'ESTIMATED_COST_NOT_POSITIVE',
    [
      'the estimate has fractions of an öre',
      () => checkPlanProposal(plan([item({ estimatedCost: '100.005' })])),
    ],
    ['it has whole öre', () => checkPlanProposal(plan([item({ estimatedCost: '100.5' })]))],
  );

  it('refuses negative and malformed estimates', () => {
    for (const estimatedCost of ['-1.00', 'abc', '', '1e3', '1,50', ' 12']) {
      expect(checkPlanProposal(plan([item({ estimatedCost })])), estimatedCost).toBreakOnly([
        'ESTIMATED_COST_NOT_POSITIVE',
      ]);
    }
  });

  it('refuses non-finite extents', () => {
    for (const extentQuantity of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(checkPlanProposal(plan([item({ extentQuantity })]))).toBreakOnly(['EXTENT_NOT_POSITIVE']);
    }
  });

  it('reports every fault of every item, naming the item', () => {
    const verdict = checkPlanProposal(
      plan(
        [
          item(),
          item({ category: 'INCOME_SUPPORT', extentQuantity: 0 }),
          item({ category: 'PSYCHIATRY_CONTACT', plannedFrom: '2023-12-01', estimatedCost: '-5' }),
        ],
        { status: 'DECLINED' },
      ),
    );

    expect(codes(verdict)).toEqual([
      'ASSIGNMENT_NOT_ACCEPTED',
      'INTERVENTION_NOT_IN_CATALOGUE',
      'EXTENT_NOT_POSITIVE',
      'INTERVENTION_NOT_OFFERED',
      'PLAN_PERIOD_INVALID',
      'ESTIMATED_COST_NOT_POSITIVE',
    ]);
    expect(verdict[1]!.message).toContain('Item 1');
    expect(verdict[3]!.message).toContain('Item 2');
  });
});

describe('checkPlanProposal after the term (rule 1: nothing new starts after it)', () => {
  const TERM = { validTo: '2023-12-31' };
  const late = (plannedTo: string, today: string) =>
    checkPlanProposal(
      plan([item({ plannedFrom: '2023-11-01', plannedTo })], { status: 'ACTIVE', term: { ...TERM, today } }),
    );

  ruleCase(
    'PLAN_BEYOND_TERM',
    [
      'a revised plan after the term has an item running past its last day',
      () => late('2024-01-01', '2024-01-10'),
    ],
    ['the item ends on the term’s last day', () => late('2023-12-31', '2024-01-10')],
  );
  ruleCase(
    'PLAN_BEYOND_TERM',
    ['it is proposed the day after the term ended', () => late('2024-03-31', '2024-01-01')],
    ['it is proposed on the term’s last day, which still runs', () => late('2024-03-31', '2023-12-31')],
  );

  it('lets a plan decided during the term run past it: assignments under way run to the end of their plan', () => {
    expect(late('2024-06-30', '2023-06-01')).toBeAllowed();
  });

  it('judges each item, naming it', () => {
    const verdict = checkPlanProposal(
      plan([item({ plannedTo: '2023-12-31' }), item({ plannedTo: '2024-02-01' })], {
        term: { ...TERM, today: '2024-01-02' },
      }),
    );
    expect(verdict).toBreakOnly(['PLAN_BEYOND_TERM']);
    expect(verdict).toHaveLength(1);
    expect(verdict[0]!.message).toBe(
      "Item 1 (MOTIVATIONAL_TALKS) runs past 2023-12-31, the last day of the agreement's term, which has ended.",
    );
  });

  it('does not judge an item whose period is already invalid', () => {
    expect(
      checkPlanProposal(
        plan([item({ plannedFrom: '2024-03-01', plannedTo: '2024-02-01' })], {
          term: { ...TERM, today: '2024-01-02' },
        }),
      ),
    ).toBreakOnly(['PLAN_PERIOD_INVALID']);
  });
});
