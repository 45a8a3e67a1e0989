// Rule 11 at the receiving city: its people raise and acknowledge a children
// alert here, in their own city, and the home city is told through the
// outbox: an alert is never lost because the home city is down.
import { enforce } from '../../agreement/enforce';
import {
  checkAcknowledgeChildrenAlert,
  checkRaiseChildrenAlert,
  childrenAlertFacts,
} from '../../agreement/rules';
import { changeScopeOf, type CityContext } from '../../context';
import { lockFor } from '../../db/advisoryLock';
import { commitAndTell, type Tell } from '../../peer/outbox';
import { receivedHere } from './received';

/** A stored alert is open until both parties have acknowledged it. */
export const OPEN_ALERT = { OR: [{ acknowledgedByHomeAt: null }, { acknowledgedByReceivingAt: null }] };

export function raiseReceivedAlert(ctx: CityContext, assignmentId: string) {
  return commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
    await lockFor(tx, `children-alert:${assignmentId}`);
    const received = await receivedHere(ctx, assignmentId, 'assignmentId', tx);
    const open = await tx.receivedChildrenAlert.findFirst({
      where: { assignmentId, ...OPEN_ALERT },
    });
    enforce(checkRaiseChildrenAlert(received.status, open !== null), 'Raising the children alert');
    const alert = await tx.receivedChildrenAlert.create({
      data: { id: `alert:${crypto.randomUUID()}`, assignmentId, raisedBy: ctx.city.code, raisedAt: ctx.now },
    });
    await tx.incomingAssignment.update({ where: { id: assignmentId }, data: { updatedAt: ctx.now } });
    tellHome(tell, received.homeMunicipality, assignmentId, alert.id, 'RAISED', ctx.now);
    return alert;
  });
}

/**
 * Acknowledges every alert this party has not: both parties may have raised
 * one at once, and each must be acknowledged by both before another can be.
 */
export function acknowledgeReceivedAlert(ctx: CityContext, assignmentId: string) {
  return commitAndTell(changeScopeOf(ctx), async (tx, tell) => {
    await lockFor(tx, `children-alert:${assignmentId}`);
    const received = await receivedHere(ctx, assignmentId, 'assignmentId', tx);
    const pending = await tx.receivedChildrenAlert.findMany({
      where: { assignmentId, acknowledgedByReceivingAt: null },
      orderBy: { raisedAt: 'desc' },
    });
    const newest =
      pending[0] ??
      (await tx.receivedChildrenAlert.findFirst({ where: { assignmentId }, orderBy: { raisedAt: 'desc' } }));
    enforce(
      checkAcknowledgeChildrenAlert(childrenAlertFacts(newest), 'receiving'),
      'Acknowledging the children alert',
    );
    const updated = [];
    for (const alert of pending) {
      updated.push(
        await tx.receivedChildrenAlert.update({
          where: { id: alert.id },
          data: { acknowledgedByReceivingAt: ctx.now },
        }),
      );
      tellHome(tell, received.homeMunicipality, assignmentId, alert.id, 'ACKNOWLEDGED', ctx.now);
    }
    await tx.incomingAssignment.update({ where: { id: assignmentId }, data: { updatedAt: ctx.now } });
    return updated[0]!;
  });
}

/** This city's act on an alert, for the home city. */
function tellHome(
  tell: Tell,
  home: string,
  assignmentId: string,
  alertId: string,
  action: 'RAISED' | 'ACKNOWLEDGED',
  at: Date,
) {
  tell({
    to: home,
    message: { kind: 'childrenAlert', assignmentId, alertId, action, by: 'receiving', at: at.toISOString() },
  });
}
