-- The W3C trace context the event was written in (null when tracing was off): the relay sends it as
-- the Kafka message's traceparent header, so an event's trace survives the outbox.
ALTER TABLE "outbox_events" ADD COLUMN "traceparent" TEXT;
