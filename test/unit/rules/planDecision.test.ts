// Rule 5: home and receiving consult (samråd) on a proposed plan, then the
// home municipality decides it ("Hemkommunen fattar efter samråd ... beslut
// om insatser"). The receiving municipality answers every item once, saying
// why where it cannot deliver; the decided plan binds the items it can.
import { describe, expect, it } from 'vitest';
import {
  CANNOT_DELIVER_REASONS,
  checkPlanConsultation,
  checkPlanDecision,
  CONSULTATION_ANSWERS,
  decidedItems,
  type ItemAnswer,
  type ProposedPlanFacts,
} from '../../../subgraphs/agreement/rules';
import { codes, ruleCase } from './ruleCase';

const can = (itemId: string): ItemAnswer => ({ itemId, answer: 'CAN_DELIVER', reason: null });
const cannot = (itemId: string, reason: ItemAnswer['reason'] = 'NO_CAPACITY'): ItemAnswer => ({
  itemId,
  answer: 'CANNOT_DELIVER',
  reason,
});

/** Version 2 of a revised plan, three items, not yet answered. */
const AWAITING: ProposedPlanFacts = { version: 2, itemIds: ['talks', 'krami', 'debt'], answers: [] };
const EVERY_ITEM = [can('talks'), can('krami'), can('debt')];

function consult(overrides: Partial<Parameters<typeof checkPlanConsultation>[0]> = {}) {
  return checkPlanConsultation({
    status: 'ACTIVE',
    plan: AWAITING,
    version: 2,
    answers: EVERY_ITEM,
    ...overrides,
  });
}

function decide(overrides: Partial<Parameters<typeof checkPlanDecision>[0]> = {}) {
  return checkPlanDecision({
    status: 'ACCEPTED',
    plan: { ...AWAITING, answers: [can('talks'), cannot('krami', 'NOT_OFFERED'), can('debt')] },
    version: 2,
    ...overrides,
  });
}

describe('the lists of answers', () => {
  it('has two answers and the reasons for the one that needs a reason', () => {
    expect(CONSULTATION_ANSWERS).toEqual(['CAN_DELIVER', 'CANNOT_DELIVER']);
    expect(CANNOT_DELIVER_REASONS).toEqual(['NOT_OFFERED', 'NO_CAPACITY', 'NOT_SUITABLE', 'OTHER']);
  });
});

describe('checkPlanConsultation: the receiving municipality answers', () => {
  it('allows an answer to every item of the version awaiting it', () => {
    expect(consult()).toBeAllowed();
    expect(
      consult({ status: 'ACCEPTED', answers: [can('talks'), cannot('krami'), cannot('debt', 'OTHER')] }),
    ).toBeAllowed();
  });

  ruleCase(
    'ASSIGNMENT_NOT_ACCEPTED',
    ['the assignment was terminated', () => consult({ status: 'TERMINATED' })],
    ['it is active', () => consult({ status: 'ACTIVE' })],
  );
  ruleCase(
    'NO_PROPOSED_PLAN',
    ['no plan awaits consultation', () => consult({ plan: null })],
    ['one does', () => consult()],
  );
  ruleCase(
    'NO_PROPOSED_PLAN',
    ['the answer is for version 1 while version 2 awaits', () => consult({ version: 1 })],
    ['it is for version 2', () => consult({ version: 2 })],
  );
  ruleCase(
    'PLAN_ALREADY_CONSULTED',
    ['the version was answered before', () => consult({ plan: { ...AWAITING, answers: EVERY_ITEM } })],
    ['it was not', () => consult({ plan: AWAITING })],
  );
  ruleCase(
    'PLAN_CONSULTATION_INCOMPLETE',
    ['an item is left unanswered', () => consult({ answers: [can('talks'), can('krami')] })],
    ['every item is answered', () => consult()],
  );
  ruleCase(
    'PLAN_CONSULTATION_INCOMPLETE',
    ['an item is answered twice', () => consult({ answers: [...EVERY_ITEM, cannot('debt')] })],
    [
      'each is answered once, in any order',
      () => consult({ answers: [can('debt'), can('talks'), can('krami')] }),
    ],
  );
  ruleCase(
    'PLAN_CONSULTATION_INCOMPLETE',
    [
      'an answer names an item not in the version',
      () => consult({ answers: [...EVERY_ITEM, can('housing')] }),
    ],
    ['it names only the version’s items', () => consult()],
  );
  ruleCase(
    'CANNOT_DELIVER_REASON_MISSING',
    [
      'an item the municipality cannot deliver has no reason',
      () => consult({ answers: [can('talks'), cannot('krami', null), can('debt')] }),
    ],
    [
      'it says it does not offer it',
      () => consult({ answers: [can('talks'), cannot('krami', 'NOT_OFFERED'), can('debt')] }),
    ],
  );

  it('says how many items are missing and how many unknown or repeated', () => {
    const [v] = consult({ answers: [can('talks'), can('talks'), can('housing')] });
    expect(v!.message).toBe(
      'Every item of version 2 is answered exactly once (missing 2, unknown or repeated 2).',
    );
  });

  it('reports each item without a reason, and everything else at once', () => {
    expect(
      codes(
        consult({
          status: 'PROPOSED',
          plan: { ...AWAITING, answers: EVERY_ITEM },
          answers: [cannot('talks', null), cannot('krami', null)],
        }),
      ),
    ).toEqual([
      'ASSIGNMENT_NOT_ACCEPTED',
      'PLAN_ALREADY_CONSULTED',
      'PLAN_CONSULTATION_INCOMPLETE',
      'CANNOT_DELIVER_REASON_MISSING',
      'CANNOT_DELIVER_REASON_MISSING',
    ]);
  });
});

describe('checkPlanDecision: the home municipality decides, after consultation', () => {
  it('allows deciding a version the receiving municipality has answered', () => {
    expect(decide()).toBeAllowed();
  });

  ruleCase(
    'ASSIGNMENT_NOT_ACCEPTED',
    ['the assignment was declined', () => decide({ status: 'DECLINED' })],
    ['it is active (a revised plan)', () => decide({ status: 'ACTIVE' })],
  );
  ruleCase(
    'NO_PROPOSED_PLAN',
    ['no plan has been proposed', () => decide({ plan: null })],
    ['one has, and was answered', () => decide()],
  );
  ruleCase(
    'NO_PROPOSED_PLAN',
    ['the decision names version 3 while version 2 awaits', () => decide({ version: 3 })],
    ['it names version 2', () => decide({ version: 2 })],
  );
  ruleCase(
    'PLAN_NOT_CONSULTED',
    ['the receiving municipality has not answered yet', () => decide({ plan: AWAITING })],
    ['it has', () => decide({ plan: { ...AWAITING, answers: EVERY_ITEM } })],
  );
  ruleCase(
    'NO_DELIVERABLE_ITEMS',
    [
      'the receiving municipality can deliver none of the items',
      () =>
        decide({
          plan: {
            ...AWAITING,
            answers: [cannot('talks'), cannot('krami', 'NOT_OFFERED'), cannot('debt', 'OTHER')],
          },
        }),
    ],
    [
      'it can deliver one',
      () =>
        decide({
          plan: { ...AWAITING, answers: [cannot('talks'), cannot('krami', 'NOT_OFFERED'), can('debt')] },
        }),
    ],
  );

  it('does not call an unanswered version undeliverable', () => {
    expect(decide({ plan: AWAITING })).toBreakOnly(['PLAN_NOT_CONSULTED']);
  });
});

describe('decidedItems', () => {
  it('binds the items the receiving municipality can deliver, in the order answered', () => {
    expect(decidedItems([can('debt'), cannot('krami'), can('talks')])).toEqual(['debt', 'talks']);
    expect(decidedItems([cannot('krami')])).toEqual([]);
    expect(decidedItems([])).toEqual([]);
  });
});
