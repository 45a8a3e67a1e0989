// Rule 12 (Stockholm): which unit handles an assignment, a district
// administration or the city's central defector unit, "beslutas i samråd när
// det blir aktuellt" (is decided in consultation when it becomes relevant);
// the central unit when the police assess a high threat and relocation. It is
// advice for that consultation, never a condition for proposing. The police's
// assessment is a structured fact (level, by the police or not, date).

export type UnitKind = 'CENTRAL_DEFECTOR_UNIT' | 'DISTRICT_BOARD' | 'SOCIAL_BOARD';

export interface ThreatAssessment {
  level: 'LATENT' | 'CONCRETE';
  assessedByPolice: boolean;
  assessedOn: string;
}

export interface HandlingUnitFacts {
  /** The city has a central defector unit (avhopparverksamhet) among its units. */
  cityHasCentralUnit: boolean;
  /** The kind of unit that currently handles the case. */
  handlingUnitKind: UnitKind;
  threat: ThreatAssessment | null;
  /** The person is to be relocated: an assignment to another city is open or being prepared. */
  relocation: boolean;
}

export interface HandlingUnitAdvice {
  /** The kind of unit the consultation should consider. */
  recommended: UnitKind;
  reason: 'POLICE_ASSESS_CONCRETE_THREAT_AND_RELOCATION' | 'NO_SPECIAL_CIRCUMSTANCES';
}

export function adviseHandlingUnit(facts: HandlingUnitFacts): HandlingUnitAdvice {
  const highThreatFromPolice = facts.threat?.level === 'CONCRETE' && facts.threat.assessedByPolice;
  if (facts.cityHasCentralUnit && highThreatFromPolice && facts.relocation) {
    return { recommended: 'CENTRAL_DEFECTOR_UNIT', reason: 'POLICE_ASSESS_CONCRETE_THREAT_AND_RELOCATION' };
  }
  return { recommended: facts.handlingUnitKind, reason: 'NO_SPECIAL_CIRCUMSTANCES' };
}
