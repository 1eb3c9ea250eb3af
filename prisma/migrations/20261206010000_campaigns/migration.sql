-- Campaigns (src/domain/campaigns): one message to many clients of a business, sent through the
-- ordinary send path (queueOutbound), each message in its recipient's conversation.

CREATE TYPE "campaign_status" AS ENUM ('draft', 'scheduled', 'sending', 'paused', 'completed', 'canceled');

CREATE TABLE "campaigns" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    -- sms or email.
    "channel" TEXT NOT NULL,
    -- {"filters": {...}} or {"clientIds": [...]} (src/domain/campaigns/campaignFields.ts).
    "audience" JSONB NOT NULL,
    -- {"body", "subject", "html", "media"}.
    "content" JSONB NOT NULL,
    "template_id" UUID,
    "location_id" UUID,
    "send_at" TIMESTAMPTZ(3),
    "bypass_quiet_hours" BOOLEAN NOT NULL DEFAULT false,
    "status" "campaign_status" NOT NULL DEFAULT 'draft',
    "audience_size" INTEGER,
    -- The last error that stopped the dispatch (a send that can never go out: no sender, ...).
    "last_error" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "paused_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "canceled_at" TIMESTAMPTZ(3),
    "created_by_staff_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "campaigns_channel_check" CHECK ("channel" IN ('sms', 'email'))
);
CREATE INDEX "campaigns_business_id_status_id_idx" ON "campaigns"("business_id", "status", "id");
CREATE INDEX "campaigns_business_id_id_idx" ON "campaigns"("business_id", "id");
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "saved_replies"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_created_by_staff_id_fkey" FOREIGN KEY ("created_by_staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The audience, materialised once when the campaign starts.
CREATE TABLE "campaign_recipients" (
    "campaign_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "business_id" TEXT NOT NULL,
    -- pending (not queued yet), queued (its message exists: message_id), skipped (reason).
    "state" TEXT NOT NULL DEFAULT 'pending',
    -- With skipped: opted_out, no_address, invalid (its message could not be made, e.g. a template value), canceled.
    "reason" TEXT,
    "message_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_recipients_pkey" PRIMARY KEY ("campaign_id", "client_id"),
    CONSTRAINT "campaign_recipients_state_check" CHECK ("state" IN ('pending', 'queued', 'skipped'))
);
-- The dispatcher's next chunk: a campaign's pending recipients, in client id order.
CREATE INDEX "campaign_recipients_pending_idx" ON "campaign_recipients"("campaign_id", "client_id") WHERE "state" = 'pending';
ALTER TABLE "campaign_recipients" ADD CONSTRAINT "campaign_recipients_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "campaign_recipients" ADD CONSTRAINT "campaign_recipients_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "campaign_recipients" ADD CONSTRAINT "campaign_recipients_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A campaign's messages. Nullable without a default (adding it rewrites nothing) and no foreign key,
-- so the message insert (the hot path) pays nothing for it; the index is partial: only campaign
-- messages are in it (progress counts, pause/resume/cancel).
ALTER TABLE "messages" ADD COLUMN "campaign_id" UUID;
CREATE INDEX "messages_campaign_id_status_idx" ON "messages"("campaign_id", "status") WHERE "campaign_id" IS NOT NULL;
