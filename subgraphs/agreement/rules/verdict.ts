// The shared result of every agreement rule: data in, verdict out. A rule
// returns every violation it finds, each with a stable code that resolvers
// turn into a CONFLICT error naming the rule. An empty verdict means allowed.

export const RULE_CODES = [
  // Proposing an assignment (uppdrag), §3 rules 1-4, 6, 9 and 11.
  'AGREEMENT_NOT_IN_FORCE',
  'AGREEMENT_NOT_APPROVED',
  'AGREEMENT_ENDED',
  'RECEIVING_IS_HOME',
  'TARGET_GROUP_NOT_ASSESSED',
  'MOTIVATION_NOT_ASSESSED',
  'NOT_MOTIVATED',
  'POLICE_CONSULTATION_HOME_MISSING',
  'POLICE_CONSULTATION_RECEIVING_MISSING',
  'DISCLOSURE_BASIS_MISSING',
  'CHILD_RESPONSIBILITY_NOT_ASSESSED',
  'CHILD_RESPONSIBILITY',
  'TEMPORARY_HOUSING_MISSING',
  'CASE_CLOSED',
  'ASSIGNMENT_ALREADY_OPEN',
  'SENDING_QUOTA_EXCEEDED',
  'BEYOND_AIM_REASON_MISSING',
  // The assignment's lifecycle.
  'ILLEGAL_TRANSITION',
  'ASSIGNMENT_NOT_PROPOSED',
  'ALREADY_RESPONDED',
  'RECEIVING_QUOTA_EXCEEDED',
  'ASSIGNMENT_NOT_ACCEPTED',
  'ASSIGNMENT_NOT_ACTIVE',
  'ASSIGNMENT_NOT_ONGOING',
  // The implementation plan (genomförandeplan), rules 5-7.
  'PLAN_EMPTY',
  'INTERVENTION_NOT_IN_CATALOGUE',
  'INTERVENTION_NOT_OFFERED',
  'PLAN_PERIOD_INVALID',
  'EXTENT_NOT_POSITIVE',
  'ESTIMATED_COST_NOT_POSITIVE',
  'NO_PROPOSED_PLAN',
  'PLAN_BEYOND_TERM',
  'PLAN_ALREADY_CONSULTED',
  'PLAN_CONSULTATION_INCOMPLETE',
  'CANNOT_DELIVER_REASON_MISSING',
  'PLAN_NOT_CONSULTED',
  'NO_DELIVERABLE_ITEMS',
  // Delivery and costs, rules 7-8.
  'PLAN_ITEM_NOT_AGREED',
  'AMOUNT_NOT_POSITIVE',
  'COST_DATE_OUTSIDE_PLAN',
  'IDEMPOTENCY_KEY_REUSED',
  'REIMBURSEMENT_EXCEEDS_COST',
  // Ending early at the receiving municipality's request.
  'TERMINATION_ALREADY_REQUESTED',
  // Follow-up (uppföljning), rule 10.
  'FOLLOW_UP_DATE_IN_PAST',
  'FOLLOW_UP_NOT_FOUND',
  'FOLLOW_UP_ALREADY_COMPLETED',
  // Children (barnrättsperspektiv), rule 11.
  'CHILDREN_ALERT_ALREADY_RAISED',
  'NO_CHILDREN_ALERT',
  'CHILDREN_ALERT_ALREADY_ACKNOWLEDGED',
  // Six-monthly reconciliation (avstämning), rule 8.
  'NOT_A_PARTY_TO_RECONCILIATION',
  'RECONCILIATION_PERIOD_NOT_ENDED',
  'RECONCILIATION_ALREADY_CONFIRMED',
  'RECONCILIATION_SETTLED',
  'RECONCILIATION_ALREADY_DECLINED',
  'RECONCILIATION_FIGURES_DIFFER',
  'DECLINE_REASON_MISSING',
] as const;

export type RuleCode = (typeof RULE_CODES)[number];

export interface Violation {
  rule: RuleCode;
  /** A short English sentence naming the rule's reason. */
  message: string;
}

/** Every violation found; empty means the action is allowed. */
export type Verdict = Violation[];

export function violation(rule: RuleCode, message: string): Violation {
  return { rule, message };
}

export function isAllowed(verdict: Verdict): boolean {
  return verdict.length === 0;
}

export function hasViolation(verdict: Verdict, rule: RuleCode): boolean {
  return verdict.some((v) => v.rule === rule);
}

export function isRuleCode(value: unknown): value is RuleCode {
  return typeof value === 'string' && (RULE_CODES as readonly string[]).includes(value);
}

/** Ends an exhaustive switch: a new member of the union fails type checking here. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
