-- Alert types as an enum, like severities and states: the database refuses a type the API does not know.
CREATE TYPE "alert_type" AS ENUM ('LOW_STOCK', 'OUT_OF_STOCK', 'SERVICE_DOWN', 'ORDER_REJECTED', 'PROCESSING_ERROR');

ALTER TABLE "alerts" ALTER COLUMN "alert_type" TYPE "alert_type" USING "alert_type"::"alert_type";
