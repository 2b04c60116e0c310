-- How many times npm start's supervisor had restarted the service after a crash, as its /health
-- reported it; null when the probe got no such answer (no answer, Kafka, PostgreSQL, another supervisor).
ALTER TABLE "health_checks" ADD COLUMN "restarts" INTEGER;
