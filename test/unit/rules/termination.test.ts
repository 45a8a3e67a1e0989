// Ending an assignment early is the home municipality's decision; the
// receiving municipality may ask for it once, while the assignment runs.
import { describe, expect, it } from 'vitest';
import { ASSIGNMENT_STATUSES, checkRequestTermination } from '../../../subgraphs/agreement/rules';
import { codes, ruleCase } from './ruleCase';

describe('checkRequestTermination', () => {
  ruleCase(
    'ASSIGNMENT_NOT_ONGOING',
    ['the assignment is still only proposed', () => checkRequestTermination('PROPOSED', false)],
    ['it is accepted', () => checkRequestTermination('ACCEPTED', false)],
  );
  ruleCase(
    'ASSIGNMENT_NOT_ONGOING',
    ['it has been completed', () => checkRequestTermination('COMPLETED', false)],
    ['it is active', () => checkRequestTermination('ACTIVE', false)],
  );
  ruleCase(
    'TERMINATION_ALREADY_REQUESTED',
    ['the receiving municipality has asked before', () => checkRequestTermination('ACTIVE', true)],
    ['it has not', () => checkRequestTermination('ACTIVE', false)],
  );

  it('may be asked for exactly while the assignment is accepted or active', () => {
    for (const status of ASSIGNMENT_STATUSES) {
      const verdict = checkRequestTermination(status, false);
      if (status === 'ACCEPTED' || status === 'ACTIVE') expect(verdict, status).toBeAllowed();
      else expect(verdict, status).toBreakOnly(['ASSIGNMENT_NOT_ONGOING']);
    }
  });

  it('reports both reasons at once', () => {
    expect(codes(checkRequestTermination('TERMINATED', true))).toEqual([
      'ASSIGNMENT_NOT_ONGOING',
      'TERMINATION_ALREADY_REQUESTED',
    ]);
  });
});
