-- The agreement as the seeds write it. The home municipality decides the plan
-- after the receiving one's consultation answer (rule 5); the receiving city
-- keeps the proposed items it answers on and assigns its own handling unit
-- (rule 12); the police's threat assessment is a structured fact (rule 12);
-- reimbursed costs are counted once (rule 8); aims, deadlines, requests to
-- end and disputed reconciliations are recorded.

-- CreateEnum
CREATE TYPE "decline_reason" AS ENUM ('NO_CAPACITY', 'NOT_SUITABLE', 'SAFETY', 'OTHER');

-- CreateEnum
CREATE TYPE "consultation_answer" AS ENUM ('CAN_DELIVER', 'CANNOT_DELIVER');

-- CreateEnum
CREATE TYPE "cannot_deliver_reason" AS ENUM ('NOT_OFFERED', 'NO_CAPACITY', 'NOT_SUITABLE', 'OTHER');

-- CreateEnum
CREATE TYPE "received_item_status" AS ENUM ('PROPOSED', 'AGREED', 'NOT_AGREED', 'SUPERSEDED');

-- CreateEnum
CREATE TYPE "reimbursement_source" AS ENUM ('POLICE_NATIONAL_OPERATIONS', 'OTHER');

-- A confirmed plan was the home municipality's decision all along.
ALTER TYPE "plan_status" RENAME VALUE 'CONFIRMED' TO 'DECIDED';

ALTER TABLE "plan_version" RENAME COLUMN "confirmed_at" TO "decided_at";

ALTER TABLE "plan_version" ADD COLUMN     "consulted_at" TIMESTAMPTZ(3);

-- The receiving city names its own unit; the home city no longer types it in.
ALTER TABLE "plan_item" DROP COLUMN "responsible_unit",
ADD COLUMN     "cannot_deliver_reason" "cannot_deliver_reason",
ADD COLUMN     "consultation" "consultation_answer",
ADD COLUMN     "decided" BOOLEAN NOT NULL DEFAULT false;

UPDATE "plan_item" SET "decided" = true
  WHERE "plan_version_id" IN (SELECT "id" FROM "plan_version" WHERE "status" = 'DECIDED');

-- AlterTable
ALTER TABLE "assignment" ADD COLUMN     "answer_due_on" DATE,
ADD COLUMN     "beyond_aim_reason" TEXT,
ADD COLUMN     "decline_reason" "decline_reason",
ADD COLUMN     "termination_request_reason" "end_reason",
ADD COLUMN     "termination_requested_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "case" ADD COLUMN     "threat_assessed_by_police" BOOLEAN,
ADD COLUMN     "threat_assessed_on" DATE;

-- AlterTable
ALTER TABLE "cost_entry" ADD COLUMN     "reimbursed" DECIMAL(12,2) NOT NULL DEFAULT 0,
ADD COLUMN     "reimbursement_source" "reimbursement_source";

-- The home city's copy of a reported cost says where its reimbursement came from, too.
ALTER TABLE "cost_report" ADD COLUMN     "reimbursement_source" "reimbursement_source";

-- AlterTable
ALTER TABLE "incoming_assignment" ADD COLUMN     "answer_due_on" DATE,
ADD COLUMN     "beyond_aim_reason" TEXT,
ADD COLUMN     "decline_reason" "decline_reason",
ADD COLUMN     "handling_unit_id" TEXT,
ADD COLUMN     "termination_reason" "end_reason",
ADD COLUMN     "termination_request_reason" "end_reason",
ADD COLUMN     "termination_requested_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "reconciliation" ADD COLUMN     "declined_by_a_at" TIMESTAMPTZ(3),
ADD COLUMN     "declined_by_a_reason" TEXT,
ADD COLUMN     "declined_by_b_at" TIMESTAMPTZ(3),
ADD COLUMN     "declined_by_b_reason" TEXT,
ADD COLUMN     "gross_borne_by_a" DECIMAL(12,2) NOT NULL DEFAULT 0,
ADD COLUMN     "gross_borne_by_b" DECIMAL(12,2) NOT NULL DEFAULT 0;

UPDATE "reconciliation" SET "gross_borne_by_a" = "costs_borne_by_a", "gross_borne_by_b" = "costs_borne_by_b";

-- The agreed items become the items received for consultation, kept with their status.
ALTER TABLE "agreed_plan_item" RENAME TO "received_plan_item";
ALTER TABLE "received_plan_item" RENAME CONSTRAINT "agreed_plan_item_pkey" TO "received_plan_item_pkey";
ALTER TABLE "received_plan_item" RENAME CONSTRAINT "agreed_plan_item_assignment_id_fkey" TO "received_plan_item_assignment_id_fkey";
ALTER INDEX "agreed_plan_item_assignment_id_idx" RENAME TO "received_plan_item_assignment_id_idx";

ALTER TABLE "received_plan_item" ADD COLUMN     "status" "received_item_status" NOT NULL DEFAULT 'PROPOSED',
ADD COLUMN     "extent_quantity" INTEGER,
ADD COLUMN     "extent_unit" "extent_unit",
ADD COLUMN     "consultation" "consultation_answer",
ADD COLUMN     "cannot_deliver_reason" "cannot_deliver_reason";

UPDATE "received_plan_item" SET "status" = CASE WHEN "current" THEN 'AGREED'::"received_item_status" ELSE 'SUPERSEDED'::"received_item_status" END,
  "consultation" = 'CAN_DELIVER';

ALTER TABLE "received_plan_item" DROP COLUMN "current";
