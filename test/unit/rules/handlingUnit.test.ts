// Rule 12: which Stockholm unit handles an assignment is decided in
// consultation when it becomes relevant; the central defector unit when the
// police assess a high threat and the person is relocated. Advice for that
// consultation, from structured facts, never a condition for proposing.
import { describe, expect, it } from 'vitest';
import { adviseHandlingUnit, RULE_CODES, type HandlingUnitFacts } from '../../../subgraphs/agreement/rules';

/** A Stockholm district board's case the police assess as a concrete threat, to be relocated. */
const stockholmDistrictCase: HandlingUnitFacts = {
  cityHasCentralUnit: true,
  handlingUnitKind: 'DISTRICT_BOARD',
  threat: { level: 'CONCRETE', assessedByPolice: true, assessedOn: '2023-02-01' },
  relocation: true,
};

const CENTRAL = {
  recommended: 'CENTRAL_DEFECTOR_UNIT',
  reason: 'POLICE_ASSESS_CONCRETE_THREAT_AND_RELOCATION',
};

describe('adviseHandlingUnit', () => {
  it('advises the central defector unit for a relocation under a concrete threat the police assessed', () => {
    expect(adviseHandlingUnit(stockholmDistrictCase)).toEqual(CENTRAL);
  });

  it('gives the same advice when the central unit already handles the case', () => {
    expect(
      adviseHandlingUnit({ ...stockholmDistrictCase, handlingUnitKind: 'CENTRAL_DEFECTOR_UNIT' }),
    ).toEqual(CENTRAL);
  });

  it('leaves the case where it is when the threat is latent or not assessed by the police', () => {
    const stays = { recommended: 'DISTRICT_BOARD', reason: 'NO_SPECIAL_CIRCUMSTANCES' };
    expect(
      adviseHandlingUnit({
        ...stockholmDistrictCase,
        threat: { level: 'LATENT', assessedByPolice: true, assessedOn: '2023-02-01' },
      }),
    ).toEqual(stays);
    expect(
      adviseHandlingUnit({
        ...stockholmDistrictCase,
        threat: { level: 'CONCRETE', assessedByPolice: false, assessedOn: '2023-02-01' },
      }),
    ).toEqual(stays);
    expect(adviseHandlingUnit({ ...stockholmDistrictCase, threat: null })).toEqual(stays);
  });

  it('leaves the case where it is when the person is not relocated', () => {
    expect(adviseHandlingUnit({ ...stockholmDistrictCase, relocation: false })).toEqual({
      recommended: 'DISTRICT_BOARD',
      reason: 'NO_SPECIAL_CIRCUMSTANCES',
    });
  });

  it('does not apply in a city without a central unit', () => {
    expect(
      adviseHandlingUnit({
        ...stockholmDistrictCase,
        cityHasCentralUnit: false,
        handlingUnitKind: 'SOCIAL_BOARD',
      }),
    ).toEqual({ recommended: 'SOCIAL_BOARD', reason: 'NO_SPECIAL_CIRCUMSTANCES' });
  });

  it('is advice, not a rule: no rule code refuses a proposal over the handling unit', () => {
    expect(RULE_CODES.filter((code) => /UNIT/.test(code))).toEqual([]);
  });
});
