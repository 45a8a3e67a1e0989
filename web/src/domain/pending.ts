// While a change is on its way between two cities, the assignment page asks
// again: the costs a home city shows, for one, are the ones the receiving city
// has reported to it, so a cost just recorded appears once its message
// arrives. Soon at first (a delivery takes milliseconds), then less and less
// often, since a city may be down for hours.

interface Pending {
  count: number;
}

/** Whether either party still waits for the other to acknowledge a change. */
export function changesOnTheirWay(assignment: {
  pendingAtReceiving?: Pending | null;
  pendingAtHome?: Pending | null;
}): boolean {
  return (assignment.pendingAtReceiving?.count ?? 0) > 0 || (assignment.pendingAtHome?.count ?? 0) > 0;
}

const FIRST_MS = 1_000;
const LONGEST_MS = 30_000;

/** How long to wait before asking again, after `round` answers that still showed a change on its way. */
export function pendingReloadDelayMs(round: number): number {
  return Math.min(FIRST_MS * 2 ** round, LONGEST_MS);
}
