import type { AgreedPlanItem, CostEntry, IncomingAssignment } from '../../db/generated/client';

export type ReceivedAssignmentModel = IncomingAssignment;
export type CostEntryModel = CostEntry;
export type AgreedPlanItemModel = AgreedPlanItem;
