// One global keyset for assignment lists: updatedAt descending, then id
// descending. Every city orders by it independently, so the gateway can merge
// city pages and resume each city after the same cursor (offsets would not be
// stable across cities).

export interface AssignmentKey {
  /** ISO 8601 instant with milliseconds, as Date.toISOString() writes it. */
  updatedAt: string;
  id: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(key: AssignmentKey): string {
  return Buffer.from(JSON.stringify([key.updatedAt, key.id]), 'utf8').toString('base64url');
}

/** Decodes a cursor; null when it is not one this system wrote. */
export function decodeCursor(cursor: string): AssignmentKey | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      ISO_INSTANT.test(value[0]) &&
      // Only real instants: 2024-02-30 or hour 25 would shift or break the keyset.
      new Date(value[0]).toISOString() === value[0] &&
      typeof value[1] === 'string' &&
      value[1].length > 0
    ) {
      return { updatedAt: value[0], id: value[1] };
    }
  } catch {
    // fall through: malformed base64 or JSON is just an invalid cursor
  }
  return null;
}

/** Negative when `a` comes first in the list (newer, or same instant and larger id). */
export function compareKeys(a: AssignmentKey, b: AssignmentKey): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? -1 : 1;
  if (a.id !== b.id) return a.id > b.id ? -1 : 1;
  return 0;
}
