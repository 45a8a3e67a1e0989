// What the signed-in person may do with an assignment, from its status,
// their party (home or receiving) and their permissions. The permission
// matrix is the cities' own (schema/contract/permissions.ts); the cities
// still decide, this only keeps forms that would be refused off the page.
import { FIELD_PERMISSIONS } from '../../../schema/contract/permissions';

export interface Person {
  municipality: string;
  permissions: readonly string[];
}

export type Party = 'home' | 'receiving';

export type AssignmentStatus =
  'PROPOSED' | 'DECLINED' | 'WITHDRAWN' | 'ACCEPTED' | 'ACTIVE' | 'COMPLETED' | 'TERMINATED';

/** The part of an assignment the decisions below read. */
export interface AssignmentFacts {
  homeMunicipality: string;
  receivingMunicipality: string;
  status: AssignmentStatus;
  overdue: boolean;
  planSummary?: { status: 'PROPOSED' | 'DECIDED' | 'SUPERSEDED'; consultedAt?: string | null } | null;
  childrenAlert?: { acknowledgedByHome: boolean; acknowledgedByReceiving: boolean } | null;
  followUps?: readonly { receivingConfirmed: boolean; completed: boolean }[] | null;
  terminationRequest?: unknown;
  disclosure?: { basisInForce: boolean } | null;
}

export type Action =
  | 'withdraw'
  | 'respond'
  | 'proposePlan'
  | 'consultPlan'
  | 'decidePlan'
  | 'recordDelivery'
  | 'recordCost'
  | 'scheduleFollowUp'
  | 'confirmFollowUp'
  | 'completeFollowUp'
  | 'raiseChildrenAlert'
  | 'acknowledgeChildrenAlert'
  | 'complete'
  | 'terminate'
  | 'requestTermination';

/** The mutation behind each action: its permissions are the cities' matrix. */
const MUTATION_OF: Record<Action, string> = {
  withdraw: 'withdrawAssignment',
  respond: 'respondToAssignment',
  proposePlan: 'proposePlan',
  consultPlan: 'consultPlan',
  decidePlan: 'decidePlan',
  recordDelivery: 'recordDelivery',
  recordCost: 'recordCost',
  scheduleFollowUp: 'scheduleFollowUp',
  confirmFollowUp: 'confirmFollowUpParticipation',
  completeFollowUp: 'completeFollowUp',
  raiseChildrenAlert: 'raiseChildrenAlert',
  acknowledgeChildrenAlert: 'acknowledgeChildrenAlert',
  complete: 'completeAssignment',
  terminate: 'terminateAssignment',
  requestTermination: 'requestTermination',
};

export function partyOf(assignment: AssignmentFacts, person: Person): Party | null {
  if (assignment.homeMunicipality === person.municipality) return 'home';
  if (assignment.receivingMunicipality === person.municipality) return 'receiving';
  return null;
}

export function mayRun(action: Action, person: Person): boolean {
  const allowed = FIELD_PERMISSIONS[`Mutation.${MUTATION_OF[action]}`] ?? [];
  return person.permissions.some((p) => (allowed as readonly string[]).includes(p));
}

/** Every action the person's party may take at the assignment's status and their permissions allow. */
export function availableActions(assignment: AssignmentFacts, person: Person): Action[] {
  const party = partyOf(assignment, person);
  if (!party) return [];
  const byStatus = party === 'home' ? homeActions(assignment) : receivingActions(assignment);
  return byStatus.filter((action) => mayRun(action, person));
}

const ongoing = (status: AssignmentStatus) => status === 'ACCEPTED' || status === 'ACTIVE';

function homeActions(a: AssignmentFacts): Action[] {
  if (a.status === 'PROPOSED') return ['withdraw'];
  if (!ongoing(a.status)) return [];
  const actions: Action[] = ['proposePlan'];
  if (a.planSummary?.status === 'PROPOSED' && a.planSummary.consultedAt) actions.push('decidePlan');
  actions.push('scheduleFollowUp');
  if (a.followUps?.some((f) => !f.completed)) actions.push('completeFollowUp');
  actions.push(...childrenActions(a, 'home'));
  if (a.status === 'ACTIVE') actions.push('complete');
  actions.push('terminate');
  return actions;
}

function receivingActions(a: AssignmentFacts): Action[] {
  if (a.status === 'PROPOSED') return ['respond'];
  if (!ongoing(a.status)) return [];
  const actions: Action[] = [];
  if (a.planSummary?.status === 'PROPOSED' && !a.planSummary.consultedAt) actions.push('consultPlan');
  if (a.status === 'ACTIVE') actions.push('recordDelivery', 'recordCost');
  if (a.followUps?.some((f) => !f.completed && !f.receivingConfirmed)) actions.push('confirmFollowUp');
  actions.push(...childrenActions(a, 'receiving'));
  if (!a.terminationRequest) actions.push('requestTermination');
  return actions;
}

function childrenActions(a: AssignmentFacts, party: Party): Action[] {
  const alert = a.childrenAlert;
  if (!alert) return ['raiseChildrenAlert'];
  const acknowledged = party === 'home' ? alert.acknowledgedByHome : alert.acknowledgedByReceiving;
  return acknowledged ? [] : ['acknowledgeChildrenAlert'];
}

export type Attention = 'overdue' | 'answer' | 'consult' | 'decide' | 'children';

/** Why the assignment needs this person's municipality now, most pressing first; none when it waits on nobody here. */
export function attentionOf(assignment: AssignmentFacts, person: Person): Attention[] {
  const party = partyOf(assignment, person);
  if (!party) return [];
  const reasons: Attention[] = [];
  const alert = assignment.childrenAlert;
  if (alert && !(party === 'home' ? alert.acknowledgedByHome : alert.acknowledgedByReceiving))
    reasons.push('children');
  if (assignment.status === 'PROPOSED' && party === 'receiving')
    reasons.push(assignment.overdue ? 'overdue' : 'answer');
  if (assignment.status === 'PROPOSED' && party === 'home' && assignment.overdue) reasons.push('overdue');
  const plan = assignment.planSummary;
  if (ongoing(assignment.status) && plan?.status === 'PROPOSED') {
    if (party === 'receiving' && !plan.consultedAt) reasons.push('consult');
    if (party === 'home' && plan.consultedAt) reasons.push('decide');
  }
  return reasons;
}
