import type {
  Assignment,
  ChildrenAlert,
  CostReport,
  FollowUp,
  PlanItem,
  PlanVersion,
  ReceivedChildrenAlert,
} from '../../db/generated/client';

export type AssignmentModel = Assignment;
/** @public Codegen maps PlanItem to it (codegen.ts). */
export type PlanItemModel = PlanItem;
export type PlanSummaryModel = PlanVersion & { items: PlanItem[] };
export type FollowUpModel = FollowUp;
/** Either city's copy of an alert: the home city's or the receiving city's. */
export type ChildrenAlertModel = ChildrenAlert | ReceivedChildrenAlert;
/** The receiving city's costs as it reported them to the home city (no notes). */
export type CostReportModel = CostReport;
