import type { Assignment, ChildrenAlert, FollowUp, PlanItem, PlanVersion } from '../../db/generated/client';

export type AssignmentModel = Assignment;
export type PlanItemModel = PlanItem;
export type PlanSummaryModel = PlanVersion & { items: PlanItem[] };
export type FollowUpModel = FollowUp;
export type ChildrenAlertModel = ChildrenAlert;
