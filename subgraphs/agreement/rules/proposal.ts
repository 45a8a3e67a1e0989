// What must hold before the home municipality proposes an assignment (uppdrag)
// to a receiving municipality. Every unmet prerequisite is reported at once,
// so a case worker sees the whole list rather than one error per attempt.
import type { AgreementRecord } from '../../../schema/contract/agreements';
import { agreementCovering, agreementInForce } from './agreementTerm';
import { checkQuota } from './quotas';
import { violation, type Verdict } from './verdict';

export type TargetGroup = 'CRIMINAL_GROUP' | 'DESTRUCTIVE_ENVIRONMENT';

export interface DisclosureBasisFacts {
  recipientMunicipality: string;
  validFrom: string;
  validTo: string | null;
  withdrawnOn: string | null;
}

export interface ProposalFacts {
  today: string;
  home: string;
  receiving: string;
  agreements: readonly AgreementRecord[];
  targetGroup: TargetGroup | null;
  /** null = not assessed. */
  motivated: boolean | null;
  policeConsultations: { municipality: string; date: string }[];
  disclosureBases: DisclosureBasisFacts[];
  /** null = not assessed. */
  hasChildResponsibility: boolean | null;
  temporaryHousingArranged: boolean;
  caseClosed: boolean;
  /** The case already has a PROPOSED, ACCEPTED or ACTIVE assignment. */
  openAssignmentForCase: boolean;
  /** Assignments the home municipality already sent in the term that count against its quota. */
  sentInTerm: number;
  /** The home municipality's stated reason for sending beyond the agreement's aim; null when none. */
  beyondAimReason: string | null;
}

/**
 * Rule 4: a basis (samtycke eller laga grund) for disclosing to `municipality`
 * is in force on `on`: validFrom ≤ on ≤ validTo (open-ended when null), and not
 * withdrawn. A withdrawal stops disclosure from the day it is recorded.
 */
export function disclosureBasisInForce(
  bases: readonly DisclosureBasisFacts[],
  municipality: string,
  on: string,
): boolean {
  return bases.some(
    (basis) =>
      basis.recipientMunicipality === municipality &&
      basis.validFrom <= on &&
      (basis.validTo === null || on <= basis.validTo) &&
      (basis.withdrawnOn === null || on < basis.withdrawnOn),
  );
}

function consultedPolice(facts: ProposalFacts, municipality: string): boolean {
  return facts.policeConsultations.some((c) => c.municipality === municipality && c.date <= facts.today);
}

export function checkProposal(facts: ProposalFacts): Verdict {
  const verdict: Verdict = [];
  const { today, home, receiving } = facts;

  // Rule 1: assignments start only while an agreement binds both parties: its
  // term has begun and not ended, and both parties' boards approved it.
  const covering = agreementCovering(facts.agreements, home, receiving, today);
  const agreement = agreementInForce(facts.agreements, home, receiving, today);
  if (!covering) {
    verdict.push(
      violation(
        'AGREEMENT_NOT_IN_FORCE',
        `No agreement with both ${home} and ${receiving} as parties is in force on ${today}.`,
      ),
    );
  } else if (!agreement) {
    verdict.push(
      violation(
        'AGREEMENT_NOT_APPROVED',
        `Agreement ${covering.id} is not yet approved by both ${home} and ${receiving}.`,
      ),
    );
  }
  // The person moves to another municipality (tillfälligt bo i annan kommun).
  if (home === receiving) {
    verdict.push(
      violation('RECEIVING_IS_HOME', 'The receiving municipality must differ from the home municipality.'),
    );
  }

  // Rule 2: who may be assigned (målgrupp, motivation till förändring).
  if (facts.targetGroup === null) {
    verdict.push(
      violation(
        'TARGET_GROUP_NOT_ASSESSED',
        'It has not been assessed whether the person belongs to a criminal group or destructive environment.',
      ),
    );
  }
  if (facts.motivated === null) {
    verdict.push(
      violation('MOTIVATION_NOT_ASSESSED', "The person's motivation to change has not been assessed."),
    );
  } else if (!facts.motivated) {
    verdict.push(violation('NOT_MOTIVATED', 'The person has been assessed as not motivated to change.'));
  }

  // Rule 3: samråd med Polismyndigheten i såväl hemkommunen som den mottagande kommunen.
  if (!consultedPolice(facts, home)) {
    verdict.push(
      violation(
        'POLICE_CONSULTATION_HOME_MISSING',
        `The police have not been consulted in the home municipality ${home}.`,
      ),
    );
  }
  if (!consultedPolice(facts, receiving)) {
    verdict.push(
      violation(
        'POLICE_CONSULTATION_RECEIVING_MISSING',
        `The police have not been consulted in the receiving municipality ${receiving}.`,
      ),
    );
  }

  // Rule 4: proposing discloses the person to the receiving municipality.
  if (!disclosureBasisInForce(facts.disclosureBases, receiving, today)) {
    verdict.push(
      violation(
        'DISCLOSURE_BASIS_MISSING',
        `No consent or legal basis for disclosure to ${receiving} is in force on ${today}.`,
      ),
    );
  }

  // Rule 11: personen ska inte ha ansvar för barn.
  if (facts.hasChildResponsibility === null) {
    verdict.push(
      violation(
        'CHILD_RESPONSIBILITY_NOT_ASSESSED',
        'It has not been assessed whether the person has responsibility for children.',
      ),
    );
  } else if (facts.hasChildResponsibility) {
    verdict.push(violation('CHILD_RESPONSIBILITY', 'The person has responsibility for children.'));
  }

  // Rule 6: hemkommunen ansvarar för det tillfälliga boendet.
  if (!facts.temporaryHousingArranged) {
    verdict.push(
      violation('TEMPORARY_HOUSING_MISSING', 'The home municipality has not arranged temporary housing.'),
    );
  }

  if (facts.caseClosed) {
    verdict.push(violation('CASE_CLOSED', 'The case is closed.'));
  }
  if (facts.openAssignmentForCase) {
    verdict.push(violation('ASSIGNMENT_ALREADY_OPEN', 'The case already has an open assignment.'));
  }

  // Rule 9: each party sends as its quota says: an aim needs a reason beyond it, a limit refuses.
  if (agreement) {
    verdict.push(
      ...checkQuota({
        direction: 'sending',
        quota: agreement.sendingQuota,
        municipality: home,
        used: facts.sentInTerm,
        beyondAimReason: facts.beyondAimReason,
      }),
    );
  }

  return verdict;
}
