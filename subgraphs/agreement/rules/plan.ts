// The implementation plan (genomförandeplan): rules 5-7. The home
// municipality decides interventions after consultation, but only from the
// agreement's catalogue (§ 6 i avtalet), and only what the receiving
// municipality already offers: it need not procure anything new.
import { isPositiveAmount } from './amounts';
import { isIsoDate } from './dates';
import type { AssignmentStatus } from './transitions';
import { violation, type Verdict } from './verdict';

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

export interface PlanItemProposal {
  category: string;
  plannedFrom: string;
  plannedTo: string;
  extentQuantity: number;
  /** Decimal string, SEK, at most two decimals. */
  estimatedCost: string;
}

export interface PlanProposalFacts {
  status: AssignmentStatus;
  items: readonly PlanItemProposal[];
  /** Catalogue categories the receiving municipality declares that it offers. */
  offered: readonly string[];
}

function planStatusVerdict(status: AssignmentStatus): Verdict {
  // A plan is drawn up once the receiving municipality has accepted; an
  // active assignment may get a revised plan.
  return status === 'ACCEPTED' || status === 'ACTIVE'
    ? []
    : [violation('ASSIGNMENT_NOT_ACCEPTED', `The assignment is ${status}, not ACCEPTED or ACTIVE.`)];
}

/** Checks a proposed plan; item messages name the item by its zero-based index. */
export function checkPlanProposal(facts: PlanProposalFacts): Verdict {
  const verdict = planStatusVerdict(facts.status);
  if (facts.items.length === 0) {
    verdict.push(violation('PLAN_EMPTY', 'The plan has no interventions.'));
  }

  facts.items.forEach((item, index) => {
    const label = `Item ${index} (${item.category})`;
    if ((NOT_COVERED as readonly string[]).includes(item.category)) {
      verdict.push(
        violation(
          'INTERVENTION_NOT_IN_CATALOGUE',
          `${label} is excluded from the agreement and stays with the home municipality.`,
        ),
      );
    } else if (!isCatalogueCategory(item.category)) {
      verdict.push(
        violation('INTERVENTION_NOT_IN_CATALOGUE', `${label} is not in the agreement's catalogue.`),
      );
    } else if (!facts.offered.includes(item.category)) {
      verdict.push(
        violation('INTERVENTION_NOT_OFFERED', `${label} is not offered by the receiving municipality.`),
      );
    }

    if (!isIsoDate(item.plannedFrom) || !isIsoDate(item.plannedTo)) {
      verdict.push(
        violation('PLAN_PERIOD_INVALID', `${label} has a planned period that is not a pair of ISO dates.`),
      );
    } else if (item.plannedFrom > item.plannedTo) {
      verdict.push(violation('PLAN_PERIOD_INVALID', `${label} is planned to end before it starts.`));
    }

    if (!Number.isFinite(item.extentQuantity) || item.extentQuantity <= 0) {
      verdict.push(violation('EXTENT_NOT_POSITIVE', `${label} has an extent that is not positive.`));
    }

    if (!isPositiveAmount(item.estimatedCost)) {
      verdict.push(
        violation(
          'ESTIMATED_COST_NOT_POSITIVE',
          `${label} has an estimated cost that is not a positive amount with at most two decimals.`,
        ),
      );
    }
  });

  return verdict;
}

/** The home municipality confirms (decides) the proposed plan after samråd. */
export function checkPlanConfirmation(status: AssignmentStatus, hasProposedPlan: boolean): Verdict {
  const verdict = planStatusVerdict(status);
  if (!hasProposedPlan) {
    verdict.push(violation('NO_PROPOSED_PLAN', 'There is no proposed plan to confirm.'));
  }
  return verdict;
}
