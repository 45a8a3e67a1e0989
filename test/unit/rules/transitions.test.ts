// The assignment lifecycle and the quotas of rule 9.
import { describe, expect, it } from 'vitest';
import {
  ASSIGNMENT_EVENTS,
  ASSIGNMENT_STATUSES,
  checkComplete,
  checkPlanConfirmation,
  checkRespond,
  checkTerminate,
  checkWithdraw,
  countsAgainstReceivingQuota,
  countsAgainstSendingQuota,
  IllegalTransitionError,
  isOpen,
  statusAfter,
  TERMINATION_REASONS,
  type AssignmentEvent,
  type AssignmentStatus,
  type Verdict,
} from '../../../subgraphs/agreement/rules';
import { codes, ruleCase } from './ruleCase';

// Every edge of the lifecycle; anything not listed must throw.
const EDGES: Partial<Record<AssignmentStatus, Partial<Record<AssignmentEvent, AssignmentStatus>>>> = {
  PROPOSED: { WITHDRAW: 'WITHDRAWN', ACCEPT: 'ACCEPTED', DECLINE: 'DECLINED' },
  ACCEPTED: { CONFIRM_PLAN: 'ACTIVE', TERMINATE: 'TERMINATED' },
  ACTIVE: { CONFIRM_PLAN: 'ACTIVE', COMPLETE: 'COMPLETED', TERMINATE: 'TERMINATED' },
};

describe('statusAfter', () => {
  for (const status of ASSIGNMENT_STATUSES) {
    for (const event of ASSIGNMENT_EVENTS) {
      const expected = EDGES[status]?.[event];
      if (expected) {
        it(`${status} --${event}--> ${expected}`, () => {
          expect(statusAfter(status, event)).toBe(expected);
        });
      } else {
        it(`${status} cannot ${event}`, () => {
          expect(() => statusAfter(status, event)).toThrow(IllegalTransitionError);
        });
      }
    }
  }

  it('leaves the ended states final', () => {
    for (const status of ['DECLINED', 'WITHDRAWN', 'COMPLETED', 'TERMINATED'] as const) {
      for (const event of ASSIGNMENT_EVENTS) expect(() => statusAfter(status, event)).toThrow();
    }
  });
});

describe('the checks agree with the lifecycle', () => {
  const pairs: [AssignmentEvent, (status: AssignmentStatus) => Verdict][] = [
    ['WITHDRAW', checkWithdraw],
    ['ACCEPT', (s) => checkRespond(s, false, 'ACCEPT', 0, 1)],
    ['DECLINE', (s) => checkRespond(s, false, 'DECLINE', 0, 1)],
    ['CONFIRM_PLAN', (s) => checkPlanConfirmation(s, true)],
    ['COMPLETE', checkComplete],
    ['TERMINATE', checkTerminate],
  ];
  for (const [event, check] of pairs) {
    it(`${event} is allowed by its check exactly where the lifecycle has the edge`, () => {
      for (const status of ASSIGNMENT_STATUSES) {
        expect(check(status).length === 0, status).toBe(EDGES[status]?.[event] !== undefined);
      }
    });
  }
});

describe('checkWithdraw', () => {
  ruleCase(
    'ASSIGNMENT_NOT_PROPOSED',
    ['the receiving municipality has already accepted', () => checkWithdraw('ACCEPTED')],
    ['the proposal is unanswered', () => checkWithdraw('PROPOSED')],
  );
});

describe('checkRespond', () => {
  ruleCase(
    'ASSIGNMENT_NOT_PROPOSED',
    ['the home municipality withdrew the proposal', () => checkRespond('WITHDRAWN', false, 'ACCEPT', 0, 1)],
    ['the proposal stands', () => checkRespond('PROPOSED', false, 'ACCEPT', 0, 1)],
  );
  ruleCase(
    'ALREADY_RESPONDED',
    ['a response is on record', () => checkRespond('PROPOSED', true, 'DECLINE', 0, 1)],
    ['none is', () => checkRespond('PROPOSED', false, 'DECLINE', 0, 1)],
  );
  ruleCase(
    'RECEIVING_QUOTA_EXCEEDED',
    [
      'accepting beyond the one assignment received in the term',
      () => checkRespond('PROPOSED', false, 'ACCEPT', 1, 1),
    ],
    ['declining instead', () => checkRespond('PROPOSED', false, 'DECLINE', 1, 1)],
  );
  ruleCase(
    'RECEIVING_QUOTA_EXCEEDED',
    ['two of two are accepted', () => checkRespond('PROPOSED', false, 'ACCEPT', 2, 2)],
    ['one of two is', () => checkRespond('PROPOSED', false, 'ACCEPT', 1, 2)],
  );

  it('reports every reason at once', () => {
    expect(codes(checkRespond('ACCEPTED', true, 'ACCEPT', 1, 1))).toEqual([
      'ASSIGNMENT_NOT_PROPOSED',
      'ALREADY_RESPONDED',
      'RECEIVING_QUOTA_EXCEEDED',
    ]);
  });
});

describe('checkComplete', () => {
  ruleCase(
    'ASSIGNMENT_NOT_ACTIVE',
    ['no plan was confirmed yet', () => checkComplete('ACCEPTED')],
    ['the assignment is active', () => checkComplete('ACTIVE')],
  );
});

describe('checkTerminate', () => {
  ruleCase(
    'ASSIGNMENT_NOT_ONGOING',
    ['the assignment is completed', () => checkTerminate('COMPLETED')],
    ['it is accepted', () => checkTerminate('ACCEPTED')],
  );
  ruleCase(
    'ASSIGNMENT_NOT_ONGOING',
    ['it is only proposed (withdraw it instead)', () => checkTerminate('PROPOSED')],
    ['it is active', () => checkTerminate('ACTIVE')],
  );
});

describe('status predicates', () => {
  const table: [AssignmentStatus, boolean, boolean, boolean][] = [
    // status, open, counts against sending quota, counts against receiving quota
    ['PROPOSED', true, true, false],
    ['DECLINED', false, false, false],
    ['WITHDRAWN', false, false, false],
    ['ACCEPTED', true, true, true],
    ['ACTIVE', true, true, true],
    ['COMPLETED', false, true, true],
    ['TERMINATED', false, true, true],
  ];

  it('covers every status', () => {
    expect(table.map(([s]) => s).sort()).toEqual([...ASSIGNMENT_STATUSES].sort());
  });

  for (const [status, open, sending, receiving] of table) {
    it(`${status}: open ${open}, sending quota ${sending}, receiving quota ${receiving}`, () => {
      expect(isOpen(status)).toBe(open);
      expect(countsAgainstSendingQuota(status)).toBe(sending);
      expect(countsAgainstReceivingQuota(status)).toBe(receiving);
    });
  }
});

describe('TERMINATION_REASONS', () => {
  it('lists the reasons an assignment may end early', () => {
    expect(TERMINATION_REASONS).toEqual([
      'RELAPSE',
      'MOVED',
      'CONSENT_WITHDRAWN',
      'THREAT_CHANGED',
      'CHILDREN',
      'OTHER',
    ]);
  });
});
