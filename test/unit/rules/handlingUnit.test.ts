// Rule 12: the central defector unit handles relocations under a concrete police-assessed threat.
import { describe, expect, it } from 'vitest';
import {
  assessedByPolice,
  checkHandlingUnitForRelocation,
  type HandlingUnitFacts,
} from '../../../subgraphs/agreement/rules';
import { codes, ruleCase } from './ruleCase';

const stockholmDistrictCase: HandlingUnitFacts = {
  cityHasCentralUnit: true,
  handlingUnitKind: 'DISTRICT_BOARD',
  threatLevel: 'CONCRETE',
  threatSource: 'Polisen, BOPS',
};

describe('handling unit for a relocation', () => {
  ruleCase(
    'CENTRAL_UNIT_REQUIRED',
    [
      'a district board handles a case the police assess as a concrete threat',
      () => checkHandlingUnitForRelocation(stockholmDistrictCase),
    ],
    [
      'the central defector unit handles it',
      () =>
        checkHandlingUnitForRelocation({
          ...stockholmDistrictCase,
          handlingUnitKind: 'CENTRAL_DEFECTOR_UNIT',
        }),
    ],
  );

  it('leaves the choice to the city when the threat is latent or not assessed by the police', () => {
    expect(
      codes(checkHandlingUnitForRelocation({ ...stockholmDistrictCase, threatLevel: 'LATENT' })),
    ).toEqual([]);
    expect(
      codes(checkHandlingUnitForRelocation({ ...stockholmDistrictCase, threatSource: 'Socialtjänsten' })),
    ).toEqual([]);
  });

  it('does not apply in a city without a central unit', () => {
    expect(
      codes(
        checkHandlingUnitForRelocation({
          ...stockholmDistrictCase,
          cityHasCentralUnit: false,
          handlingUnitKind: 'SOCIAL_BOARD',
        }),
      ),
    ).toEqual([]);
  });

  it('recognises the police as the source', () => {
    expect(assessedByPolice('Polismyndigheten')).toBe(true);
    expect(assessedByPolice('BOPS')).toBe(true);
    expect(assessedByPolice(null)).toBe(false);
  });
});
