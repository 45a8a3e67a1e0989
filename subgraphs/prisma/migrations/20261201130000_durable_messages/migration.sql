-- Durable messages between cities. A change another city must learn is
-- written with its message in one transaction (the outbox) and delivered
-- until acknowledged; the receiver keeps every message it handled (the
-- inbox, peer_message) with its outcome, so a retry is never applied twice.
-- Times one city claims are kept as claims, apart from the receiver's own.

-- CreateTable
CREATE TABLE "outbox" (
    "sequence" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "recipient" CHAR(4) NOT NULL,
    "assignment_id" TEXT,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "originator" JSONB,
    "discloses_details" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "reply" JSONB,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("sequence")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- CreateIndex
CREATE INDEX "outbox_delivered_at_next_attempt_at_idx" ON "outbox"("delivered_at", "next_attempt_at");

-- CreateIndex
CREATE INDEX "outbox_assignment_id_sequence_idx" ON "outbox"("assignment_id", "sequence");

-- AlterTable
ALTER TABLE "peer_message" ADD COLUMN     "outcome" TEXT;

-- The receiving city's free text no longer crosses city lines (it stays with it, as a note).
ALTER TABLE "assignment" DROP COLUMN "response_reason",
ADD COLUMN     "responded_at_claimed" TIMESTAMPTZ(3);

ALTER TABLE "incoming_assignment" RENAME COLUMN "response_reason" TO "response_note";

ALTER TABLE "incoming_assignment" ADD COLUMN     "proposed_at_claimed" TIMESTAMPTZ(3),
ADD COLUMN     "ended_on_claimed" DATE;

-- CreateTable
CREATE TABLE "cost_report" (
    "id" TEXT NOT NULL,
    "assignment_id" TEXT NOT NULL,
    "plan_item_id" TEXT NOT NULL,
    "category" "intervention_category" NOT NULL,
    "date" DATE NOT NULL,
    "gross" DECIMAL(12,2) NOT NULL,
    "reimbursed" DECIMAL(12,2) NOT NULL DEFAULT 0,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cost_report_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "cost_report_assignment_id_idx" ON "cost_report"("assignment_id");

-- AddForeignKey
ALTER TABLE "cost_report" ADD CONSTRAINT "cost_report_assignment_id_fkey" FOREIGN KEY ("assignment_id") REFERENCES "assignment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "received_children_alert" (
    "id" TEXT NOT NULL,
    "assignment_id" TEXT NOT NULL,
    "raised_by" CHAR(4) NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_by_home_at" TIMESTAMPTZ(3),
    "acknowledged_by_receiving_at" TIMESTAMPTZ(3),

    CONSTRAINT "received_children_alert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "received_children_alert_assignment_id_idx" ON "received_children_alert"("assignment_id");

-- AddForeignKey
ALTER TABLE "received_children_alert" ADD CONSTRAINT "received_children_alert_assignment_id_fkey" FOREIGN KEY ("assignment_id") REFERENCES "incoming_assignment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
