-- Exactly-once SMS over a worker crash (src/domain/sending/checkInterruptedSms.ts). A message still
-- `sending` when its job runs again had an attempt interrupted mid-call: before sending it again,
-- the worker asks the provider for messages to that recipient created since that attempt began.

-- When the attempt began: set when a send claims the message, and kept when a claim finds the
-- message still `sending` (the interrupted attempt's time is the one the check needs, however many
-- claims were interrupted after it). Messages `sending` today were claimed at their updated_at.
ALTER TABLE "messages" ADD COLUMN "claimed_at" TIMESTAMPTZ(3);
UPDATE "messages" SET "claimed_at" = "updated_at"
 WHERE "status" = 'sending' AND "direction" = 'outbound' AND "channel" IN ('sms', 'email');

-- What the sandbox SMS provider accepted, kept before it answers (as Twilio's account keeps its
-- messages), so its answer to that check survives a crash of the worker that sent.
CREATE TABLE "sandbox_sms" (
    "sid" TEXT NOT NULL,
    "business_id" TEXT NOT NULL,
    "to_address" TEXT NOT NULL,
    "from_address" TEXT,
    "messaging_service_sid" TEXT,
    "body" TEXT NOT NULL,
    "num_media" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sandbox_sms_pkey" PRIMARY KEY ("sid")
);

CREATE INDEX "sandbox_sms_business_id_to_address_created_at_idx" ON "sandbox_sms"("business_id", "to_address", "created_at");

ALTER TABLE "sandbox_sms" ADD CONSTRAINT "sandbox_sms_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;
