-- CreateEnum
CREATE TYPE "target_group" AS ENUM ('CRIMINAL_GROUP', 'DESTRUCTIVE_ENVIRONMENT');

-- CreateEnum
CREATE TYPE "threat_level" AS ENUM ('LATENT', 'CONCRETE');

-- CreateEnum
CREATE TYPE "disclosure_kind" AS ENUM ('CONSENT', 'LEGAL_BASIS');

-- CreateEnum
CREATE TYPE "end_reason" AS ENUM ('RELAPSE', 'MOVED', 'CONSENT_WITHDRAWN', 'THREAT_CHANGED', 'CHILDREN', 'OTHER');

-- CreateEnum
CREATE TYPE "response_decision" AS ENUM ('ACCEPT', 'DECLINE');

-- CreateEnum
CREATE TYPE "delivery_status" AS ENUM ('NOT_STARTED', 'ONGOING', 'DELIVERED', 'CANCELLED');

-- AlterTable
ALTER TABLE "assignment" ADD COLUMN     "agreement_id" TEXT,
ADD COLUMN     "end_reason" "end_reason",
ADD COLUMN     "ended_at" TIMESTAMPTZ(3),
ADD COLUMN     "responded_at" TIMESTAMPTZ(3),
ADD COLUMN     "response_reason" TEXT,
ADD COLUMN     "withdrawal_reason" TEXT,
ADD COLUMN     "withdrawn_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "case" ADD COLUMN     "child_responsibility_assessed_at" TIMESTAMPTZ(3),
ADD COLUMN     "coordination_number" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "has_child_responsibility" BOOLEAN,
ADD COLUMN     "motivated" BOOLEAN,
ADD COLUMN     "motivation_assessed_at" TIMESTAMPTZ(3),
ADD COLUMN     "motivation_assessment" TEXT,
ADD COLUMN     "target_group" "target_group",
ADD COLUMN     "target_group_assessed_at" TIMESTAMPTZ(3),
ADD COLUMN     "temporary_housing" TEXT,
ADD COLUMN     "temporary_housing_arranged_at" TIMESTAMPTZ(3),
ADD COLUMN     "threat_assessed_at" TIMESTAMPTZ(3),
ADD COLUMN     "threat_level" "threat_level",
ADD COLUMN     "threat_source" TEXT,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "incoming_assignment" ADD COLUMN     "ended_on" DATE,
ADD COLUMN     "responded_at" TIMESTAMPTZ(3),
ADD COLUMN     "response" "response_decision",
ADD COLUMN     "response_reason" TEXT,
ADD COLUMN     "status" "assignment_status" NOT NULL DEFAULT 'PROPOSED';

-- CreateTable
CREATE TABLE "disclosure_basis" (
    "id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "recipient_municipality" CHAR(4) NOT NULL,
    "kind" "disclosure_kind" NOT NULL,
    "legal_reference" TEXT,
    "scope" TEXT NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,
    "withdrawn_at" TIMESTAMPTZ(3),
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "disclosure_basis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "police_consultation" (
    "id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "municipality" CHAR(4) NOT NULL,
    "date" DATE NOT NULL,
    "police_unit" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "police_consultation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "journal_note" (
    "id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "written_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "journal_note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "follow_up" (
    "id" TEXT NOT NULL,
    "assignment_id" TEXT NOT NULL,
    "scheduled_for" DATE NOT NULL,
    "receiving_confirmed_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "done" BOOLEAN,

    CONSTRAINT "follow_up_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "children_alert" (
    "id" TEXT NOT NULL,
    "assignment_id" TEXT NOT NULL,
    "raised_by" CHAR(4) NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_by_home_at" TIMESTAMPTZ(3),
    "acknowledged_by_receiving_at" TIMESTAMPTZ(3),

    CONSTRAINT "children_alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agreed_plan_item" (
    "id" TEXT NOT NULL,
    "assignment_id" TEXT NOT NULL,
    "plan_version" INTEGER NOT NULL,
    "category" "intervention_category" NOT NULL,
    "planned_from" DATE NOT NULL,
    "planned_to" DATE NOT NULL,
    "estimated_cost" DECIMAL(12,2) NOT NULL,
    "current" BOOLEAN NOT NULL DEFAULT true,
    "delivery_status" "delivery_status" NOT NULL DEFAULT 'NOT_STARTED',
    "delivery_updated_at" TIMESTAMPTZ(3),

    CONSTRAINT "agreed_plan_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation" (
    "id" TEXT NOT NULL,
    "agreement_id" TEXT NOT NULL,
    "municipality_a" CHAR(4) NOT NULL,
    "municipality_b" CHAR(4) NOT NULL,
    "period" INTEGER NOT NULL,
    "period_from" DATE NOT NULL,
    "period_to" DATE NOT NULL,
    "costs_borne_by_a" DECIMAL(12,2) NOT NULL,
    "costs_borne_by_b" DECIMAL(12,2) NOT NULL,
    "confirmed_by_a_at" TIMESTAMPTZ(3),
    "confirmed_by_b_at" TIMESTAMPTZ(3),
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "reconciliation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "peer_message" (
    "id" TEXT NOT NULL,
    "sender" CHAR(4) NOT NULL,
    "kind" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "peer_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "disclosure_basis_case_id_idx" ON "disclosure_basis"("case_id");

-- CreateIndex
CREATE INDEX "police_consultation_case_id_idx" ON "police_consultation"("case_id");

-- CreateIndex
CREATE INDEX "journal_note_case_id_written_at_idx" ON "journal_note"("case_id", "written_at");

-- CreateIndex
CREATE INDEX "follow_up_assignment_id_idx" ON "follow_up"("assignment_id");

-- CreateIndex
CREATE INDEX "children_alert_assignment_id_idx" ON "children_alert"("assignment_id");

-- CreateIndex
CREATE INDEX "agreed_plan_item_assignment_id_idx" ON "agreed_plan_item"("assignment_id");

-- CreateIndex
CREATE UNIQUE INDEX "reconciliation_agreement_id_municipality_a_municipality_b_p_key" ON "reconciliation"("agreement_id", "municipality_a", "municipality_b", "period");

-- AddForeignKey
ALTER TABLE "disclosure_basis" ADD CONSTRAINT "disclosure_basis_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "police_consultation" ADD CONSTRAINT "police_consultation_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "journal_note" ADD CONSTRAINT "journal_note_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_assignment_id_fkey" FOREIGN KEY ("assignment_id") REFERENCES "assignment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "children_alert" ADD CONSTRAINT "children_alert_assignment_id_fkey" FOREIGN KEY ("assignment_id") REFERENCES "assignment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agreed_plan_item" ADD CONSTRAINT "agreed_plan_item_assignment_id_fkey" FOREIGN KEY ("assignment_id") REFERENCES "incoming_assignment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
