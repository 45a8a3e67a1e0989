// Rule 12 (Stockholm): a city with a central defector unit hands a case to it
// rather than to a district administration when the police assess a high
// (concrete) threat and the person is to be relocated, which is what an
// assignment to another city is.
import { violation, type Verdict } from './verdict';

export interface HandlingUnitFacts {
  /** The city has a central defector unit (avhopparverksamhet) among its units. */
  cityHasCentralUnit: boolean;
  /** The kind of unit that currently handles the case. */
  handlingUnitKind: 'CENTRAL_DEFECTOR_UNIT' | 'DISTRICT_BOARD' | 'SOCIAL_BOARD';
  threatLevel: 'LATENT' | 'CONCRETE' | null;
  /** Who assessed the threat, e.g. "Polisen, BOPS". */
  threatSource: string | null;
}

/** The police's assessment: the source names the police or its personal-security unit (BOPS). */
export const assessedByPolice = (source: string | null) =>
  Boolean(source && /polis|police|bops/i.test(source));

export function checkHandlingUnitForRelocation(facts: HandlingUnitFacts): Verdict {
  const highThreatFromPolice = facts.threatLevel === 'CONCRETE' && assessedByPolice(facts.threatSource);
  if (
    facts.cityHasCentralUnit &&
    highThreatFromPolice &&
    facts.handlingUnitKind !== 'CENTRAL_DEFECTOR_UNIT'
  ) {
    return [
      violation(
        'CENTRAL_UNIT_REQUIRED',
        'The police assess a concrete threat: the central defector unit must handle a relocation.',
      ),
    ];
  }
  return [];
}
