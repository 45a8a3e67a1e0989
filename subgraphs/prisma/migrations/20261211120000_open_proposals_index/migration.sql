-- CreateIndex
CREATE INDEX "incoming_assignment_home_municipality_status_idx" ON "incoming_assignment"("home_municipality", "status");
