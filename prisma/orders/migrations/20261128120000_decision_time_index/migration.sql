-- The dashboard's timeline reads the last minutes of decisions (PENDING → an outcome): one row per
-- order is indexed, not every status change.
CREATE INDEX "order_status_changes_decided_at_idx" ON "order_status_changes"("changed_at") WHERE "from_status" = 'PENDING';
