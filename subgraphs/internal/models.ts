import type { Case, DisclosureBasis, JournalNote, PoliceConsultation, Unit } from '../db/generated/client';

export type CaseModel = Case;
export type UnitModel = Unit;
export type DisclosureBasisModel = DisclosureBasis;
export type PoliceConsultationModel = PoliceConsultation;
export type JournalNoteModel = JournalNote;
