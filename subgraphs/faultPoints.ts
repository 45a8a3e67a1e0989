// Named moments where a fault-injection test stops the process (after a
// change commits and before its message leaves, after a message is applied
// and before the answer goes back). Production code only announces them on a
// diagnostics channel; nothing subscribes outside the tests' preload module,
// and announcing to a channel without subscribers costs nothing.
import { channel } from 'node:diagnostics_channel';

export const FAULT_POINT_CHANNEL = 'avhoppare:fault-point';

const points = channel(FAULT_POINT_CHANNEL);

export function faultPoint(name: string): void {
  if (points.hasSubscribers) points.publish({ name });
}
