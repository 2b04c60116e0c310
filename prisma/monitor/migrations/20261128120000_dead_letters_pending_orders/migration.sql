-- Dead letters kept where operators can list and replay them; orders waiting for inventory's
-- verdict, so one left PENDING too long raises an alert.
ALTER TYPE "alert_type" ADD VALUE 'ORDER_PENDING_TOO_LONG';

CREATE TABLE "dead_letters" (
    "id" SERIAL NOT NULL,
    "consumer_group" VARCHAR(200) NOT NULL,
    "topic" VARCHAR(200) NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" VARCHAR(30) NOT NULL,
    "message_key" TEXT,
    "message_value" TEXT,
    "error" VARCHAR(1000) NOT NULL,
    "attempts" INTEGER NOT NULL,
    "dead_lettered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "replay_count" INTEGER NOT NULL DEFAULT 0,
    "last_replayed_at" TIMESTAMPTZ(3),

    CONSTRAINT "dead_letters_pkey" PRIMARY KEY ("id")
);

-- A consumer that crashed between publishing a dead letter and committing its offset publishes it again: kept once.
CREATE UNIQUE INDEX "dead_letters_consumer_group_topic_partition_offset_key" ON "dead_letters"("consumer_group", "topic", "partition", "offset");
CREATE INDEX "dead_letters_topic_id_idx" ON "dead_letters"("topic", "id");

CREATE TABLE "pending_orders" (
    "order_id" INTEGER NOT NULL,
    "pending_since" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pending_orders_pkey" PRIMARY KEY ("order_id")
);

CREATE INDEX "pending_orders_pending_since_idx" ON "pending_orders"("pending_since");
