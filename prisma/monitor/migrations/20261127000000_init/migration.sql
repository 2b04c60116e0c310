-- CreateEnum
CREATE TYPE "health_status" AS ENUM ('HEALTHY', 'UNHEALTHY', 'DOWN');

-- CreateEnum
CREATE TYPE "alert_severity" AS ENUM ('INFO', 'WARNING', 'CRITICAL');

-- CreateEnum
CREATE TYPE "alert_state" AS ENUM ('OPEN', 'ACKNOWLEDGED', 'RESOLVED');

-- CreateTable
CREATE TABLE "health_checks" (
    "id" SERIAL NOT NULL,
    "service" VARCHAR(100) NOT NULL,
    "status" "health_status" NOT NULL,
    "response_time_ms" INTEGER,
    "error" VARCHAR(1000),
    "checked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "health_checks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" SERIAL NOT NULL,
    "alert_type" VARCHAR(50) NOT NULL,
    "severity" "alert_severity" NOT NULL,
    "state" "alert_state" NOT NULL DEFAULT 'OPEN',
    "source" VARCHAR(100) NOT NULL,
    "message" VARCHAR(1000) NOT NULL,
    "entity_type" VARCHAR(50),
    "entity_id" VARCHAR(100),
    "condition_key" VARCHAR(200) NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_events" (
    "id" UUID NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "topic" VARCHAR(200) NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "processed_events" (
    "event_id" UUID NOT NULL,
    "topic" VARCHAR(200) NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "health_checks_service_checked_at_idx" ON "health_checks"("service", "checked_at");

-- CreateIndex
CREATE INDEX "alerts_state_raised_at_idx" ON "alerts"("state", "raised_at");

-- CreateIndex
CREATE INDEX "alerts_condition_key_idx" ON "alerts"("condition_key");

-- A persisting condition raises one alert, not one per event: at most one unresolved alert per condition.
CREATE UNIQUE INDEX "alerts_open_condition_key" ON "alerts"("condition_key") WHERE "state" <> 'RESOLVED';

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_sequence_key" ON "outbox_events"("sequence");

-- The relay only ever scans unpublished rows.
CREATE INDEX "outbox_events_unpublished_idx" ON "outbox_events"("sequence") WHERE "published_at" IS NULL;

-- Wake the outbox relay when the inserting transaction commits (NOTIFY is delivered on commit).
CREATE FUNCTION "notify_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(TG_TABLE_SCHEMA || '_outbox', '');
  RETURN NULL;
END $$;

CREATE TRIGGER "outbox_events_notify" AFTER INSERT ON "outbox_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_outbox"();
