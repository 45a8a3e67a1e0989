// Who may do what: the role matrix. People's tokens carry roles; every city
// checks the matrix before it runs a root field (the README shows it as a table).

export const ROLES = ['caseworker', 'coordinator', 'finance', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Swedish titles, for the README and error messages. */
export const ROLE_TITLES: Record<Role, string> = {
  caseworker: 'handläggare',
  coordinator: 'samordnare',
  finance: 'ekonom',
  auditor: 'granskare',
};

const everyone: readonly Role[] = ROLES;
const casework: readonly Role[] = ['caseworker', 'coordinator'];
const decisions: readonly Role[] = ['coordinator'];
const money: readonly Role[] = ['finance', 'coordinator'];
const figures: readonly Role[] = ['coordinator', 'finance', 'auditor'];

/** Root fields of the federated roles and the internal API, and the roles allowed to run them. */
export const PERMISSIONS: Record<string, readonly Role[]> = {
  // Reading assignments and reference data.
  'Query.assignments': everyone,
  'Query.assignmentCounterparts': everyone,
  'Query.assignment': everyone,
  'Query.interventionOffer': everyone,
  'Query.municipalities': everyone,
  'Query.agreements': everyone,
  'Query.agreement': everyone,
  // The home municipality's casework.
  'Mutation.proposeAssignment': casework,
  'Mutation.withdrawAssignment': casework,
  'Mutation.proposePlan': casework,
  'Mutation.scheduleFollowUp': casework,
  'Mutation.confirmFollowUpParticipation': casework,
  'Mutation.completeFollowUp': casework,
  'Mutation.raiseChildrenAlert': casework,
  'Mutation.acknowledgeChildrenAlert': casework,
  'Mutation.completeAssignment': casework,
  'Mutation.terminateAssignment': casework,
  // The receiving municipality's decisions and delivery.
  'Mutation.respondToAssignment': decisions,
  'Mutation.confirmPlan': casework,
  'Mutation.recordDelivery': casework,
  'Mutation.recordCost': money,
  // Money and figures.
  'Query.reconciliation': figures,
  'Mutation.confirmReconciliation': ['finance'],
  'Query.networkBalance': figures,
  'Query.evaluationReport': figures,
  'Query.disclosureLogAnchor': ['coordinator', 'auditor'],
  // The internal API: the full record is for case work; auditors may read it.
  'Query.cases': ['caseworker', 'coordinator', 'auditor'],
  'Query.case': ['caseworker', 'coordinator', 'auditor'],
  'Query.units': everyone,
  'Query.disclosureLog': ['auditor'],
  'Query.disclosureLogVerification': ['auditor'],
  'Mutation.openCase': casework,
  'Mutation.updatePerson': casework,
  'Mutation.assessTargetGroup': casework,
  'Mutation.assessThreat': casework,
  'Mutation.assessMotivation': casework,
  'Mutation.recordChildResponsibility': casework,
  'Mutation.recordTemporaryHousing': casework,
  'Mutation.recordDisclosureBasis': casework,
  'Mutation.withdrawDisclosureBasis': casework,
  'Mutation.recordPoliceConsultation': casework,
  'Mutation.assignHandlingUnit': decisions,
  'Mutation.addJournalNote': casework,
  'Mutation.mergeUnits': decisions,
  'Mutation.closeCase': casework,
};

/** Whether any of `roles` may run `field` ("Query.x" / "Mutation.y"); unknown fields are refused. */
export function mayRun(field: string, roles: readonly string[]): boolean {
  const allowed = PERMISSIONS[field];
  return Boolean(allowed?.some((role) => roles.includes(role)));
}
