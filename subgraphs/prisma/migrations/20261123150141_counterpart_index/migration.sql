-- CreateIndex
CREATE INDEX "incoming_assignment_home_municipality_idx" ON "incoming_assignment"("home_municipality");
