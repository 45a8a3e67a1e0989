// The agreement's catalogue (§ 6 i avtalet): the interventions the receiving
// municipality's cost and delivery responsibility is limited to. The seeds
// list them as examples of what is normally offered ("såsom ... eller
// liknande"); a later agreement may extend the list. Declared once: the city
// configuration, the plan rules and the schemas' enums follow it.

/** The interventions the receiving municipality's responsibility is limited to. */
export const CATALOGUE = [
  'CRISIS_SUPPORT', // krisstöd
  'MOTIVATIONAL_TALKS', // motivationssamtal
  'SIG_GUIDE_SUPPORT', // praktiskt stöd från SIG-lots
  'CONTACT_PERSON', // kontaktperson
  'HOUSING_SUPPORT', // boendestöd: support in living, not the dwelling itself
  'SUBSTANCE_ABUSE_TREATMENT', // missbruksbehandling
  'BUDGET_AND_DEBT_COUNSELLING', // budget- och skuldrådgivning
  'OUTPATIENT_TREATMENT', // öppenvårdsbehandling
  'CRIMINALITY_AS_LIFESTYLE', // påverkansprogrammet Kriminalitet som livsstil
  'PSYCHIATRY_CONTACT', // kontakt med psykiatri
  'WORK_ORIENTED', // arbetsinriktade insatser såsom KRAMI
] as const;
export type InterventionCategory = (typeof CATALOGUE)[number];

/**
 * Named exclusions: the dwelling (bostad, the home municipality's
 * responsibility, not HOUSING_SUPPORT), home care (hemtjänst) and income
 * support (försörjningsstöd).
 */
export const NOT_COVERED = ['HOUSING', 'HOME_CARE', 'INCOME_SUPPORT'] as const;
export type NotCoveredCategory = (typeof NOT_COVERED)[number];

export function isCatalogueCategory(category: string): category is InterventionCategory {
  return (CATALOGUE as readonly string[]).includes(category);
}
