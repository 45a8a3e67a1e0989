// Follow-up, rule 10: the home municipality schedules it, both take part.
import { describe, expect, it } from 'vitest';
import {
  checkCompleteFollowUp,
  checkConfirmParticipation,
  checkScheduleFollowUp,
} from '../../../subgraphs/agreement/rules';
import { ruleCase } from './ruleCase';

const TODAY = '2023-05-10';

describe('checkScheduleFollowUp', () => {
  it('allows a follow-up today or later on an ongoing assignment', () => {
    expect(checkScheduleFollowUp('ACTIVE', TODAY, TODAY)).toBeAllowed();
    expect(checkScheduleFollowUp('ACCEPTED', '2023-06-01', TODAY)).toBeAllowed();
  });

  ruleCase(
    'ASSIGNMENT_NOT_ONGOING',
    ['the assignment is completed', () => checkScheduleFollowUp('COMPLETED', '2023-06-01', TODAY)],
    ['it is active', () => checkScheduleFollowUp('ACTIVE', '2023-06-01', TODAY)],
  );
  ruleCase(
    'ASSIGNMENT_NOT_ONGOING',
    ['it is only proposed', () => checkScheduleFollowUp('PROPOSED', '2023-06-01', TODAY)],
    ['it is accepted', () => checkScheduleFollowUp('ACCEPTED', '2023-06-01', TODAY)],
  );
  ruleCase(
    'FOLLOW_UP_DATE_IN_PAST',
    ['the date was yesterday', () => checkScheduleFollowUp('ACTIVE', '2023-05-09', TODAY)],
    ['the date is today', () => checkScheduleFollowUp('ACTIVE', TODAY, TODAY)],
  );
});

describe.each([
  ['checkConfirmParticipation', checkConfirmParticipation],
  ['checkCompleteFollowUp', checkCompleteFollowUp],
])('%s', (_name, check) => {
  ruleCase(
    'FOLLOW_UP_NOT_FOUND',
    ['there is no such follow-up', () => check(null)],
    ['it exists', () => check({ completedAt: null })],
  );
  ruleCase(
    'FOLLOW_UP_ALREADY_COMPLETED',
    ['it was completed', () => check({ completedAt: '2023-05-09T14:00:00+02:00' })],
    ['it is still open', () => check({ completedAt: null })],
  );
});
