// Opaque ids that name both parties of an assignment, so the gateway routes
// without a lookup: "<kind>:<home>:<receiving>:<uuid>". Fixed width and
// lower-case throughout, so byte order equals database text order.
import { randomUUID } from 'node:crypto';
import { isMunicipalityCode, type MunicipalityCode } from './municipality';
import type { Party } from './parties';

export const ID_KINDS = ['asg', 'item', 'cost', 'fup'] as const;
export type IdKind = (typeof ID_KINDS)[number];

export interface PartyId {
  kind: IdKind;
  home: MunicipalityCode;
  receiving: MunicipalityCode;
  uuid: string;
}

const ID_PATTERN =
  /^(asg|item|cost|fup):(\d{4}):(\d{4}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function formatId(
  kind: IdKind,
  home: MunicipalityCode,
  receiving: MunicipalityCode,
  uuid: string = randomUUID(),
): string {
  return `${kind}:${home}:${receiving}:${uuid}`;
}

/** Parses an id; null for anything that is not a well-formed id. */
export function parseId(id: unknown, expectedKind?: IdKind): PartyId | null {
  if (typeof id !== 'string') return null;
  const match = ID_PATTERN.exec(id);
  if (!match) return null;
  const [, kind, home, receiving, uuid] = match as unknown as [string, IdKind, string, string, string];
  if (expectedKind && kind !== expectedKind) return null;
  if (!isMunicipalityCode(home) || !isMunicipalityCode(receiving)) return null;
  return { kind, home, receiving, uuid };
}

/** The city that owns the record an id names on the given side, or null for a malformed id. */
export function ownerOfId(id: unknown, party: Party): MunicipalityCode | null {
  const parsed = parseId(id);
  if (!parsed) return null;
  return party === 'home' ? parsed.home : parsed.receiving;
}
