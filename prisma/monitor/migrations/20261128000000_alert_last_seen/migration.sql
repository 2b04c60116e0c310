-- When a condition was last seen: a duplicate that is suppressed moves it on, so a condition that
-- has gone quiet (no dead letter of that group and topic for a while) can be resolved.
ALTER TABLE "alerts" ADD COLUMN "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "alerts_alert_type_last_seen_at_idx" ON "alerts"("alert_type", "last_seen_at");
