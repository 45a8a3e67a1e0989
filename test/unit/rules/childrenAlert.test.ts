// Rule 11: if children come into the picture, both cities are alerted at
// once, and each acknowledges the alert.
import { describe, expect, it } from 'vitest';
import {
  checkAcknowledgeChildrenAlert,
  checkRaiseChildrenAlert,
  checkReceivedChildrenAlert,
  childrenAlertFacts,
} from '../../../subgraphs/agreement/rules';
import { ruleCase } from './ruleCase';

describe('checkRaiseChildrenAlert', () => {
  ruleCase(
    'ASSIGNMENT_NOT_ONGOING',
    ['the assignment has ended', () => checkRaiseChildrenAlert('TERMINATED', false)],
    ['it is only proposed', () => checkRaiseChildrenAlert('PROPOSED', false)],
  );
  ruleCase(
    'ASSIGNMENT_NOT_ONGOING',
    ['the proposal was declined', () => checkRaiseChildrenAlert('DECLINED', false)],
    ['the assignment is active', () => checkRaiseChildrenAlert('ACTIVE', false)],
  );
  ruleCase(
    'CHILDREN_ALERT_ALREADY_RAISED',
    ['an alert is open', () => checkRaiseChildrenAlert('ACTIVE', true)],
    ['none is', () => checkRaiseChildrenAlert('ACCEPTED', false)],
  );
});

describe('checkReceivedChildrenAlert', () => {
  ruleCase(
    'CHILDREN_ALERT_ALREADY_RAISED',
    ['one the same party raised is still open', () => checkReceivedChildrenAlert(true)],
    ['none of its alerts is open', () => checkReceivedChildrenAlert(false)],
  );
});

describe('checkAcknowledgeChildrenAlert', () => {
  const raised = { acknowledgedByHome: false, acknowledgedByReceiving: false };

  ruleCase(
    'NO_CHILDREN_ALERT',
    ['no alert is open', () => checkAcknowledgeChildrenAlert(null, 'home')],
    ['one is', () => checkAcknowledgeChildrenAlert(raised, 'home')],
  );
  ruleCase(
    'CHILDREN_ALERT_ALREADY_ACKNOWLEDGED',
    [
      'the home municipality acknowledged it before',
      () => checkAcknowledgeChildrenAlert({ ...raised, acknowledgedByHome: true }, 'home'),
    ],
    [
      'only the other side did',
      () => checkAcknowledgeChildrenAlert({ ...raised, acknowledgedByReceiving: true }, 'home'),
    ],
  );
  ruleCase(
    'CHILDREN_ALERT_ALREADY_ACKNOWLEDGED',
    [
      'the receiving municipality acknowledged it before',
      () => checkAcknowledgeChildrenAlert({ ...raised, acknowledgedByReceiving: true }, 'receiving'),
    ],
    [
      'only the home municipality did',
      () => checkAcknowledgeChildrenAlert({ ...raised, acknowledgedByHome: true }, 'receiving'),
    ],
  );
});

describe('childrenAlertFacts', () => {
  it('reads who acknowledged a stored alert from the times each party did', () => {
    expect(childrenAlertFacts(null)).toBeNull();
    expect(
      childrenAlertFacts({
        acknowledgedByHomeAt: new Date('2026-03-02T09:00:00Z'),
        acknowledgedByReceivingAt: null,
      }),
    ).toEqual({ acknowledgedByHome: true, acknowledgedByReceiving: false });
  });
});
