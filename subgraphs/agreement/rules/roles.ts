// Which side of an assignment a municipality is on. Only the two parties may
// see or act on an assignment; everyone else gets null.
import type { Parties } from '../parties';

export type PartyRole = 'home' | 'receiving';

export function partyOf(municipality: string, assignment: Parties): PartyRole | null {
  if (municipality === assignment.homeMunicipality) return 'home';
  if (municipality === assignment.receivingMunicipality) return 'receiving';
  return null;
}
