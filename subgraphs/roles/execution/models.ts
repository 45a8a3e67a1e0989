import type { CostEntry, IncomingAssignment, ReceivedPlanItem } from '../../db/generated/client';

export type ReceivedAssignmentModel = IncomingAssignment;
export type CostEntryModel = CostEntry;
export type ReceivedPlanItemModel = ReceivedPlanItem;
