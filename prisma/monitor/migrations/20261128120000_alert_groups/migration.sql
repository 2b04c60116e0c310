-- Alerts group the way Alertmanager groups: a condition seen again while its alert is unresolved
-- counts on that alert (one upsert on the partial unique index "alerts_open_condition_key").
ALTER TABLE "alerts" ADD COLUMN "count" INTEGER NOT NULL DEFAULT 1;

ALTER TABLE "alerts" ADD CONSTRAINT "alerts_count_positive" CHECK ("count" > 0);
