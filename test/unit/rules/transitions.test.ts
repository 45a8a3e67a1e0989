// The assignment's lifecycle: which events may follow which status, the checks
// that name the rule when one may not, and the predicates database filters
// are built from. The quotas of rule 9 are in quotas.test.ts.
import { describe, expect, it } from 'vitest';
import { limit } from '../../../schema/contract/agreements';
import {
  ASSIGNMENT_EVENTS,
  ASSIGNMENT_STATUSES,
  checkApplyResponse,
  checkComplete,
  checkPlanDecision,
  checkRespond,
  checkTerminate,
  checkTransition,
  checkWithdraw,
  countsAgainstReceivingQuota,
  countsAgainstSendingQuota,
  DECLINE_REASONS,
  IllegalTransitionError,
  isOngoing,
  isOpen,
  isReachable,
  statusAfter,
  statusesWhere,
  TERMINATION_REASONS,
  type AssignmentEvent,
  type AssignmentStatus,
  type Verdict,
} from '../../../subgraphs/agreement/rules';
import { MALMO } from './fixtures';
import { codes, ruleCase } from './ruleCase';

// Every edge of the lifecycle; anything not listed must throw.
const EDGES: Partial<Record<AssignmentStatus, Partial<Record<AssignmentEvent, AssignmentStatus>>>> = {
  PROPOSED: { WITHDRAW: 'WITHDRAWN', ACCEPT: 'ACCEPTED', DECLINE: 'DECLINED' },
  ACCEPTED: { DECIDE_PLAN: 'ACTIVE', TERMINATE: 'TERMINATED' },
  ACTIVE: { DECIDE_PLAN: 'ACTIVE', COMPLETE: 'COMPLETED', TERMINATE: 'TERMINATED' },
};
const ENDED = ['DECLINED', 'WITHDRAWN', 'COMPLETED', 'TERMINATED'] as const;

/** Malmö answers a standing proposal, under a limit of one with nothing received yet. */
function respond(overrides: Partial<Parameters<typeof checkRespond>[0]> = {}): Verdict {
  return checkRespond({
    status: 'PROPOSED',
    alreadyResponded: false,
    decision: 'ACCEPT',
    agreementEnded: false,
    quota: { quota: limit(1), municipality: MALMO, used: 0, beyondAimReason: null },
    ...overrides,
  });
}

/** A version the receiving municipality answered: the home municipality may decide it. */
const CONSULTED = {
  version: 1,
  itemIds: ['item-a'],
  answers: [{ itemId: 'item-a', answer: 'CAN_DELIVER' as const, reason: null }],
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
    for (const status of ENDED) {
      for (const event of ASSIGNMENT_EVENTS) expect(() => statusAfter(status, event)).toThrow();
    }
  });

  it('names the status and the event it refuses', () => {
    expect(() => statusAfter('COMPLETED', 'DECIDE_PLAN')).toThrow(
      'An assignment that is COMPLETED cannot DECIDE_PLAN.',
    );
  });
});

describe('checkTransition', () => {
  ruleCase(
    'ILLEGAL_TRANSITION',
    ['a withdrawn proposal is to be accepted', () => checkTransition('WITHDRAWN', 'ACCEPT')],
    ['a standing one is', () => checkTransition('PROPOSED', 'ACCEPT')],
  );
  ruleCase(
    'ILLEGAL_TRANSITION',
    ['a plan is decided before the proposal was accepted', () => checkTransition('PROPOSED', 'DECIDE_PLAN')],
    ['a revised plan is decided for an active assignment', () => checkTransition('ACTIVE', 'DECIDE_PLAN')],
  );

  it('allows exactly the edges of the lifecycle', () => {
    for (const status of ASSIGNMENT_STATUSES) {
      for (const event of ASSIGNMENT_EVENTS) {
        const verdict = checkTransition(status, event);
        if (EDGES[status]?.[event]) expect(verdict, `${status} ${event}`).toBeAllowed();
        else expect(verdict, `${status} ${event}`).toBreakOnly(['ILLEGAL_TRANSITION']);
      }
    }
  });
});

describe('the checks agree with the lifecycle', () => {
  const pairs: [AssignmentEvent, (status: AssignmentStatus) => Verdict][] = [
    ['WITHDRAW', checkWithdraw],
    ['ACCEPT', (status) => respond({ status })],
    ['DECLINE', (status) => respond({ status, decision: 'DECLINE' })],
    ['DECIDE_PLAN', (status) => checkPlanDecision({ status, plan: CONSULTED, version: 1 })],
    ['COMPLETE', checkComplete],
    ['TERMINATE', checkTerminate],
  ];
  for (const [event, check] of pairs) {
    it(`${event} is allowed by its check exactly where the lifecycle has the edge`, () => {
      for (const status of ASSIGNMENT_STATUSES) {
        if (EDGES[status]?.[event]) expect(check(status), status).toBeAllowed();
        else expect(check(status), status).not.toBeAllowed();
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
    ['the home municipality withdrew the proposal', () => respond({ status: 'WITHDRAWN' })],
    ['the proposal stands', () => respond()],
  );
  ruleCase(
    'ALREADY_RESPONDED',
    ['a response is on record', () => respond({ alreadyResponded: true, decision: 'DECLINE' })],
    ['none is', () => respond({ decision: 'DECLINE' })],
  );
  ruleCase(
    'AGREEMENT_ENDED',
    ['the term ended before the answer', () => respond({ agreementEnded: true })],
    ['it still runs', () => respond({ agreementEnded: false })],
  );

  it('lets a proposal be declined after the term: declining starts nothing', () => {
    expect(respond({ agreementEnded: true, decision: 'DECLINE', quota: null })).toBeAllowed();
  });

  it('reports every reason at once', () => {
    const verdict = respond({
      status: 'ACCEPTED',
      alreadyResponded: true,
      agreementEnded: true,
      quota: { quota: limit(1), municipality: MALMO, used: 1, beyondAimReason: null },
    });
    expect(codes(verdict)).toEqual([
      'ASSIGNMENT_NOT_PROPOSED',
      'ALREADY_RESPONDED',
      'AGREEMENT_ENDED',
      'RECEIVING_QUOTA_EXCEEDED',
    ]);
  });
});

describe('checkApplyResponse', () => {
  ruleCase(
    'ASSIGNMENT_NOT_PROPOSED',
    [
      'the home municipality withdrew the proposal while the answer was on its way',
      () => checkApplyResponse('WITHDRAWN'),
    ],
    ['the proposal still stands when the answer arrives', () => checkApplyResponse('PROPOSED')],
  );
});

describe('checkComplete', () => {
  ruleCase(
    'ASSIGNMENT_NOT_ACTIVE',
    ['no plan was decided yet', () => checkComplete('ACCEPTED')],
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
  const table: [AssignmentStatus, boolean, boolean, boolean, boolean][] = [
    // status, open, ongoing, counts against sending quota, counts against receiving quota
    ['PROPOSED', true, false, true, false],
    ['DECLINED', false, false, false, false],
    ['WITHDRAWN', false, false, false, false],
    ['ACCEPTED', true, true, true, true],
    ['ACTIVE', true, true, true, true],
    ['COMPLETED', false, false, true, true],
    ['TERMINATED', false, false, true, true],
  ];

  it('covers every status', () => {
    expect(table.map(([s]) => s).sort()).toEqual([...ASSIGNMENT_STATUSES].sort());
  });

  for (const [status, open, ongoing, sending, receiving] of table) {
    it(`${status}: open ${open}, ongoing ${ongoing}, sending quota ${sending}, receiving quota ${receiving}`, () => {
      expect(isOpen(status)).toBe(open);
      expect(isOngoing(status)).toBe(ongoing);
      expect(countsAgainstSendingQuota(status)).toBe(sending);
      expect(countsAgainstReceivingQuota(status)).toBe(receiving);
    });
  }
});

describe('statusesWhere', () => {
  it('lists the statuses a predicate holds for, in the lifecycle’s order, for database filters', () => {
    expect(statusesWhere(isOpen)).toEqual(['PROPOSED', 'ACCEPTED', 'ACTIVE']);
    expect(statusesWhere(countsAgainstSendingQuota)).toEqual([
      'PROPOSED',
      'ACCEPTED',
      'ACTIVE',
      'COMPLETED',
      'TERMINATED',
    ]);
    expect(statusesWhere(countsAgainstReceivingQuota)).toEqual([
      'ACCEPTED',
      'ACTIVE',
      'COMPLETED',
      'TERMINATED',
    ]);
    expect(statusesWhere((status) => status === 'PROPOSED')).toEqual(['PROPOSED']);
    expect(statusesWhere(() => false)).toEqual([]);
  });
});

describe('isReachable', () => {
  // What may still follow each status, itself included.
  const REACHABLE: Record<AssignmentStatus, AssignmentStatus[]> = {
    PROPOSED: [...ASSIGNMENT_STATUSES],
    ACCEPTED: ['ACCEPTED', 'ACTIVE', 'COMPLETED', 'TERMINATED'],
    ACTIVE: ['ACTIVE', 'COMPLETED', 'TERMINATED'],
    DECLINED: ['DECLINED'],
    WITHDRAWN: ['WITHDRAWN'],
    COMPLETED: ['COMPLETED'],
    TERMINATED: ['TERMINATED'],
  };

  for (const from of ASSIGNMENT_STATUSES) {
    it(`from ${from} reaches ${REACHABLE[from].join(', ')} and nothing else`, () => {
      for (const to of ASSIGNMENT_STATUSES) {
        expect(isReachable(from, to), `${from} → ${to}`).toBe(REACHABLE[from].includes(to));
      }
    });
  }

  it('never goes back: an active assignment cannot be accepted again, an accepted one not proposed', () => {
    expect(isReachable('ACTIVE', 'ACCEPTED')).toBe(false);
    expect(isReachable('ACCEPTED', 'PROPOSED')).toBe(false);
  });
});

describe('the lists of reasons', () => {
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

  it('lists the reasons a receiving municipality may decline', () => {
    expect(DECLINE_REASONS).toEqual(['NO_CAPACITY', 'NOT_SUITABLE', 'SAFETY', 'OTHER']);
  });
});
