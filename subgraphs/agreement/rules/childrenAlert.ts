// Rule 11 (barnrättsperspektiv): the person must not have responsibility for
// children. If children come into the picture anyway, both municipalities are
// alerted at once to settle responsibility under the Social Services Act
// (SoL). Either party may raise the alert; each acknowledges it once.
import type { Party } from '../../../schema/contract/parties';
import { isOpen, type AssignmentStatus } from './transitions';
import { violation, type Verdict } from './verdict';

export interface ChildrenAlertFacts {
  acknowledgedByHome: boolean;
  acknowledgedByReceiving: boolean;
}

/** Who has acknowledged an alert as either city stores it (the time each party did, or null). */
export const childrenAlertFacts = (
  stored: { acknowledgedByHomeAt: Date | null; acknowledgedByReceivingAt: Date | null } | null,
): ChildrenAlertFacts | null =>
  stored && {
    acknowledgedByHome: stored.acknowledgedByHomeAt !== null,
    acknowledgedByReceiving: stored.acknowledgedByReceivingAt !== null,
  };

export function checkRaiseChildrenAlert(status: AssignmentStatus, openAlert: boolean): Verdict {
  const verdict: Verdict = [];
  // Already at the proposal stage: the receiving side must learn of it before it answers.
  if (!isOpen(status)) {
    verdict.push(
      violation('ASSIGNMENT_NOT_ONGOING', `The assignment is ${status}, not PROPOSED, ACCEPTED or ACTIVE.`),
    );
  }
  if (openAlert) {
    verdict.push(
      violation('CHILDREN_ALERT_ALREADY_RAISED', 'A children alert is already open on the assignment.'),
    );
  }
  return verdict;
}

/**
 * An alert the other party raised, as it arrives here: it gets through
 * whatever the assignment's status, one open at a time from each party. The
 * party's own city refuses a second while one is open, and its
 * acknowledgements reach this city before any later alert, so only a city
 * that ignores the rule sends another.
 */
export function checkReceivedChildrenAlert(openFromSameParty: boolean): Verdict {
  return openFromSameParty
    ? [
        violation(
          'CHILDREN_ALERT_ALREADY_RAISED',
          'A children alert this party raised is still open on the assignment.',
        ),
      ]
    : [];
}

export function checkAcknowledgeChildrenAlert(alert: ChildrenAlertFacts | null, party: Party): Verdict {
  if (alert === null)
    return [violation('NO_CHILDREN_ALERT', 'There is no open children alert to acknowledge.')];
  const acknowledged = party === 'home' ? alert.acknowledgedByHome : alert.acknowledgedByReceiving;
  return acknowledged
    ? [
        violation(
          'CHILDREN_ALERT_ALREADY_ACKNOWLEDGED',
          `The ${party} municipality has already acknowledged the children alert.`,
        ),
      ]
    : [];
}
