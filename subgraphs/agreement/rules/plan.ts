// The implementation plan (genomförandeplan): rules 5-7. The home
// municipality decides interventions after consultation, but only from the
// agreement's catalogue (§ 6 i avtalet), and only what the receiving
// municipality already offers: it need not procure anything new.
import { isPositiveAmount } from './amounts';
import { isCatalogueCategory, NOT_COVERED } from './catalogue';
import { isIsoDate } from '../../../schema/contract/dates';
import type { AssignmentStatus } from './transitions';
import { violation, type Verdict } from './verdict';

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
  /** Rule 1: after the term, no new plan items run past its last day. */
  term: { validTo: string; today: string } | null;
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
    } else if (facts.term && facts.term.validTo < facts.term.today && item.plannedTo > facts.term.validTo) {
      verdict.push(
        violation(
          'PLAN_BEYOND_TERM',
          `${label} runs past ${facts.term.validTo}, the last day of the agreement's term, which has ended.`,
        ),
      );
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

export const CONSULTATION_ANSWERS = ['CAN_DELIVER', 'CANNOT_DELIVER'] as const;
export type ConsultationAnswer = (typeof CONSULTATION_ANSWERS)[number];
export const CANNOT_DELIVER_REASONS = ['NOT_OFFERED', 'NO_CAPACITY', 'NOT_SUITABLE', 'OTHER'] as const;
export type CannotDeliverReason = (typeof CANNOT_DELIVER_REASONS)[number];

export interface ItemAnswer {
  itemId: string;
  answer: ConsultationAnswer;
  reason: CannotDeliverReason | null;
}

/** The version of the plan awaiting consultation or decision, as the deciding or answering city holds it. */
export interface ProposedPlanFacts {
  version: number;
  itemIds: readonly string[];
  /** The consultation answers already recorded for this version (empty before samråd). */
  answers: readonly ItemAnswer[];
}

/**
 * Rule 5, samråd: the receiving municipality answers the consultation on the
 * proposed version, every item once: it can deliver it, or cannot and says why.
 */
export function checkPlanConsultation(facts: {
  status: AssignmentStatus;
  plan: ProposedPlanFacts | null;
  version: number;
  answers: readonly ItemAnswer[];
}): Verdict {
  const verdict = planStatusVerdict(facts.status);
  const { plan } = facts;
  if (!plan || plan.version !== facts.version) {
    verdict.push(
      violation(
        'NO_PROPOSED_PLAN',
        `Version ${facts.version} of the plan is not the one awaiting consultation.`,
      ),
    );
    return verdict;
  }
  if (plan.answers.length > 0) {
    verdict.push(violation('PLAN_ALREADY_CONSULTED', `Version ${plan.version} was already answered.`));
  }
  const answered = facts.answers.map((a) => a.itemId);
  const missing = plan.itemIds.filter((id) => !answered.includes(id));
  const unknown = answered.filter((id, i) => !plan.itemIds.includes(id) || answered.indexOf(id) !== i);
  if (missing.length > 0 || unknown.length > 0) {
    verdict.push(
      violation(
        'PLAN_CONSULTATION_INCOMPLETE',
        `Every item of version ${plan.version} is answered exactly once (missing ${missing.length}, unknown or repeated ${unknown.length}).`,
      ),
    );
  }
  for (const answer of facts.answers) {
    if (answer.answer === 'CANNOT_DELIVER' && answer.reason === null) {
      verdict.push(
        violation('CANNOT_DELIVER_REASON_MISSING', 'An item the municipality cannot deliver needs a reason.'),
      );
    }
  }
  return verdict;
}

/**
 * Rule 5: "Hemkommunen fattar efter samråd ... beslut om insatser". The home
 * municipality decides the proposed version once the receiving one has
 * answered; the decided plan holds the items it can deliver, and it makes the
 * assignment ACTIVE.
 */
export function checkPlanDecision(facts: {
  status: AssignmentStatus;
  plan: ProposedPlanFacts | null;
  version: number;
}): Verdict {
  const verdict = planStatusVerdict(facts.status);
  const { plan } = facts;
  if (!plan || plan.version !== facts.version) {
    verdict.push(
      violation('NO_PROPOSED_PLAN', `Version ${facts.version} of the plan is not awaiting a decision.`),
    );
    return verdict;
  }
  if (plan.answers.length === 0) {
    verdict.push(
      violation('PLAN_NOT_CONSULTED', 'The receiving municipality has not yet answered the consultation.'),
    );
  } else if (!plan.answers.some((a) => a.answer === 'CAN_DELIVER')) {
    verdict.push(
      violation('NO_DELIVERABLE_ITEMS', 'The receiving municipality can deliver none of the items.'),
    );
  }
  return verdict;
}

/** The items a decision makes binding: those the receiving municipality said it can deliver. */
export function decidedItems(answers: readonly ItemAnswer[]): string[] {
  return answers.filter((a) => a.answer === 'CAN_DELIVER').map((a) => a.itemId);
}
