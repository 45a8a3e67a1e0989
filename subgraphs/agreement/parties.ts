// Only the two parties to an assignment may see or act on it: the home
// municipality and the receiving municipality. Everyone else sees nothing.
import type { MunicipalityCode } from '../../schema/contract/municipality';

export interface Parties {
  homeMunicipality: MunicipalityCode;
  receivingMunicipality: MunicipalityCode;
}

export function isParty(municipality: MunicipalityCode, assignment: Parties): boolean {
  return municipality === assignment.homeMunicipality || municipality === assignment.receivingMunicipality;
}
