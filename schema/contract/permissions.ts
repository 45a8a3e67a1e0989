// Who may do what: the permission matrix. A person's token lists their
// permissions, named for what they do (caseworker, coordinator, finance,
// auditor); every city checks the matrix before it runs a root field (the
// documentation's table is generated from it).

export const PERMISSIONS = ['caseworker', 'coordinator', 'finance', 'auditor'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Swedish titles, for the documentation and error messages. */
export const PERMISSION_TITLES: Record<Permission, string> = {
  caseworker: 'handläggare',
  coordinator: 'samordnare',
  finance: 'ekonom',
  auditor: 'granskare',
};

const everyone: readonly Permission[] = PERMISSIONS;
const casework: readonly Permission[] = ['caseworker', 'coordinator'];
const decisions: readonly Permission[] = ['coordinator'];
const money: readonly Permission[] = ['finance', 'coordinator'];
const figures: readonly Permission[] = ['coordinator', 'finance', 'auditor'];

/** Root fields of the federated roles and the internal API, and the permissions that may run them. */
export const FIELD_PERMISSIONS: Record<string, readonly Permission[]> = {
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
  'Mutation.decidePlan': casework,
  'Mutation.scheduleFollowUp': casework,
  'Mutation.confirmFollowUpParticipation': casework,
  'Mutation.completeFollowUp': casework,
  'Mutation.raiseChildrenAlert': casework,
  'Mutation.acknowledgeChildrenAlert': casework,
  'Mutation.completeAssignment': casework,
  'Mutation.terminateAssignment': casework,
  // The receiving municipality's decisions and delivery.
  'Mutation.respondToAssignment': decisions,
  'Mutation.consultPlan': casework,
  'Mutation.assignReceivingUnit': decisions,
  'Mutation.requestTermination': casework,
  'Mutation.recordDelivery': casework,
  'Mutation.recordCost': money,
  'Mutation.recordReimbursement': money,
  // Money and figures.
  'Query.reconciliation': figures,
  'Mutation.confirmReconciliation': ['finance'],
  'Mutation.declineReconciliation': ['finance'],
  'Query.networkBalance': figures,
  'Query.evaluationReport': figures,
  'Query.disclosureLogAnchor': ['coordinator', 'auditor'],
  // The internal API: the full record is for case work; auditors may read it.
  'Query.cases': ['caseworker', 'coordinator', 'auditor'],
  'Query.case': ['caseworker', 'coordinator', 'auditor'],
  'Query.units': everyone,
  'Query.disclosureLog': ['auditor'],
  'Query.disclosureLogVerification': ['auditor'],
  'Query.caseAccessLog': ['auditor'],
  'Query.caseAccessLogVerification': ['auditor'],
  'Query.logCheckpoints': ['auditor'],
  'Query.consistency': ['coordinator', 'auditor'],
  'Query.receivedAssignments': casework,
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

/** Whether any of `permissions` may run `field` ("Query.x" / "Mutation.y"); unknown fields are refused. */
export function mayRun(field: string, permissions: readonly string[]): boolean {
  const allowed = FIELD_PERMISSIONS[field];
  return Boolean(allowed?.some((permission) => permissions.includes(permission)));
}
