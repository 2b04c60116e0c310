-- Idempotency keys of mutations (lib/db/idempotency.ts): one row per caller and key, claimed in the
-- transaction that does the work; the request's hash and what it produced, for retries.
CREATE TABLE "idempotency_keys" (
    "caller" VARCHAR(200) NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "fingerprint" CHAR(64) NOT NULL,
    "result_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("caller","key")
);
