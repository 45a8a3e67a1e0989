// The two parties to an assignment: the home municipality (hemkommun), which
// stays responsible for the person, and the receiving municipality (mottagande
// kommun), where the person lives for a while. Only they may see or act on it.
import type { MunicipalityCode } from './municipality';

export const PARTIES = ['home', 'receiving'] as const;
export type Party = (typeof PARTIES)[number];

export interface Parties {
  homeMunicipality: MunicipalityCode;
  receivingMunicipality: MunicipalityCode;
}

/** Which side of an assignment a municipality is on; null for everyone else. */
export function partyOf(municipality: MunicipalityCode, assignment: Parties): Party | null {
  if (municipality === assignment.homeMunicipality) return 'home';
  if (municipality === assignment.receivingMunicipality) return 'receiving';
  return null;
}

export function isParty(municipality: MunicipalityCode, assignment: Parties): boolean {
  return partyOf(municipality, assignment) !== null;
}
