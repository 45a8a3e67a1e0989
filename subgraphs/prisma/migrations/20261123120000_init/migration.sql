-- CreateEnum
CREATE TYPE "unit_kind" AS ENUM ('CENTRAL_DEFECTOR_UNIT', 'DISTRICT_BOARD', 'SOCIAL_BOARD');

-- CreateEnum
CREATE TYPE "assignment_status" AS ENUM ('PROPOSED', 'DECLINED', 'WITHDRAWN', 'ACCEPTED', 'ACTIVE', 'COMPLETED', 'TERMINATED');

-- CreateEnum
CREATE TYPE "plan_status" AS ENUM ('PROPOSED', 'CONFIRMED', 'SUPERSEDED');

-- CreateEnum
CREATE TYPE "intervention_category" AS ENUM ('CRISIS_SUPPORT', 'MOTIVATIONAL_TALKS', 'SIG_GUIDE_SUPPORT', 'CONTACT_PERSON', 'HOUSING_SUPPORT', 'SUBSTANCE_ABUSE_TREATMENT', 'BUDGET_AND_DEBT_COUNSELLING', 'OUTPATIENT_TREATMENT', 'CRIMINALITY_AS_LIFESTYLE', 'PSYCHIATRY_CONTACT', 'WORK_ORIENTED');

-- CreateEnum
CREATE TYPE "extent_unit" AS ENUM ('HOURS_PER_WEEK', 'SESSIONS_PER_WEEK', 'SESSIONS_PER_MONTH', 'DAYS_IN_TOTAL');

-- CreateTable
CREATE TABLE "unit" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "unit_kind" NOT NULL,
    "successor_id" TEXT,
    "merged_at" TIMESTAMPTZ(3),

    CONSTRAINT "unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case" (
    "id" TEXT NOT NULL,
    "person_name" TEXT NOT NULL,
    "personal_identity_number" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assignment" (
    "id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "home_municipality" CHAR(4) NOT NULL,
    "receiving_municipality" CHAR(4) NOT NULL,
    "status" "assignment_status" NOT NULL,
    "proposed_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_version" (
    "id" TEXT NOT NULL,
    "assignment_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "plan_status" NOT NULL,
    "proposed_at" TIMESTAMPTZ(3) NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),

    CONSTRAINT "plan_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_item" (
    "id" TEXT NOT NULL,
    "plan_version_id" TEXT NOT NULL,
    "category" "intervention_category" NOT NULL,
    "planned_from" DATE NOT NULL,
    "planned_to" DATE NOT NULL,
    "extent_quantity" INTEGER NOT NULL,
    "extent_unit" "extent_unit" NOT NULL,
    "estimated_cost" DECIMAL(12,2) NOT NULL,
    "responsible_unit" TEXT NOT NULL,

    CONSTRAINT "plan_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incoming_assignment" (
    "id" TEXT NOT NULL,
    "home_municipality" CHAR(4) NOT NULL,
    "receiving_municipality" CHAR(4) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incoming_assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cost_entry" (
    "id" TEXT NOT NULL,
    "assignment_id" TEXT NOT NULL,
    "plan_item_id" TEXT NOT NULL,
    "category" "intervention_category" NOT NULL,
    "date" DATE NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "description" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cost_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "case_unit_id_idx" ON "case"("unit_id");

-- CreateIndex
CREATE INDEX "assignment_updated_at_id_idx" ON "assignment"("updated_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "assignment_receiving_municipality_updated_at_id_idx" ON "assignment"("receiving_municipality", "updated_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "assignment_case_id_idx" ON "assignment"("case_id");

-- CreateIndex
CREATE UNIQUE INDEX "plan_version_assignment_id_version_key" ON "plan_version"("assignment_id", "version");

-- CreateIndex
CREATE INDEX "plan_item_plan_version_id_idx" ON "plan_item"("plan_version_id");

-- CreateIndex
CREATE INDEX "cost_entry_assignment_id_date_idx" ON "cost_entry"("assignment_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "cost_entry_assignment_id_idempotency_key_key" ON "cost_entry"("assignment_id", "idempotency_key");

-- AddForeignKey
ALTER TABLE "unit" ADD CONSTRAINT "unit_successor_id_fkey" FOREIGN KEY ("successor_id") REFERENCES "unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case" ADD CONSTRAINT "case_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignment" ADD CONSTRAINT "assignment_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_version" ADD CONSTRAINT "plan_version_assignment_id_fkey" FOREIGN KEY ("assignment_id") REFERENCES "assignment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_item" ADD CONSTRAINT "plan_item_plan_version_id_fkey" FOREIGN KEY ("plan_version_id") REFERENCES "plan_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cost_entry" ADD CONSTRAINT "cost_entry_assignment_id_fkey" FOREIGN KEY ("assignment_id") REFERENCES "incoming_assignment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
