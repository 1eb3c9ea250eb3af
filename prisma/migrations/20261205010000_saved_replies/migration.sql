-- Saved replies (canned responses with {{variables}}) of a business, optionally of one location
-- (src/domain/savedReplies). The shortcut is stored lower-cased: unique per business, case-insensitively.

CREATE TABLE "saved_replies" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    -- null: every location of the business.
    "location_id" UUID,
    "name" TEXT NOT NULL,
    "shortcut" TEXT NOT NULL,
    -- sms, email or any.
    "channel" TEXT NOT NULL DEFAULT 'any',
    "subject" TEXT,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "saved_replies_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "saved_replies_channel_check" CHECK ("channel" IN ('sms', 'email', 'any'))
);

CREATE UNIQUE INDEX "saved_replies_business_id_shortcut_key" ON "saved_replies"("business_id", "shortcut");
CREATE INDEX "saved_replies_business_id_name_idx" ON "saved_replies"("business_id", "name");

ALTER TABLE "saved_replies" ADD CONSTRAINT "saved_replies_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "saved_replies" ADD CONSTRAINT "saved_replies_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
