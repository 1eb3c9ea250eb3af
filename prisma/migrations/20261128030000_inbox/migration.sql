-- The live inbox: keyset-paged conversation lists, last-message relation, full-text search.

-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "last_activity_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "last_message_id" UUID;

-- Existing rows: the activity sort key is the last message's time, else the creation time.
UPDATE "conversations" SET "last_activity_at" = coalesce("last_message_at", "created_at");
UPDATE "conversations" c SET "last_message_id" = (
  SELECT m."id" FROM "messages" m
   WHERE m."conversation_id" = c."id" AND m."channel" <> 'note'
   ORDER BY m."created_at" DESC, m."id" DESC LIMIT 1);

-- AlterTable: the search document. Prisma cannot declare generated columns; the schema maps it as
-- Unsupported("tsvector") so the client never writes it.
ALTER TABLE "messages" ADD COLUMN "search_tsv" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', coalesce("subject", '')), 'A') || setweight(to_tsvector('english', coalesce("body", '')), 'B')
) STORED;

-- DropIndex
DROP INDEX "conversations_business_id_assignee_id_last_message_at_id_idx";

-- DropIndex
DROP INDEX "conversations_business_id_pinned_last_message_at_id_idx";

-- DropIndex
DROP INDEX "conversations_business_id_status_last_message_at_id_idx";

-- CreateIndex
CREATE INDEX "conversations_business_id_pinned_last_activity_at_id_idx" ON "conversations"("business_id", "pinned" DESC, "last_activity_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "conversations_business_id_status_pinned_last_activity_at_id_idx" ON "conversations"("business_id", "status", "pinned" DESC, "last_activity_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "conversations_business_id_assignee_id_pinned_last_activity__idx" ON "conversations"("business_id", "assignee_id", "pinned" DESC, "last_activity_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "conversations_business_id_location_id_pinned_last_activity__idx" ON "conversations"("business_id", "location_id", "pinned" DESC, "last_activity_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "messages_conversation_id_channel_idx" ON "messages"("conversation_id", "channel");

-- CreateIndex
CREATE INDEX "messages_search_tsv_idx" ON "messages" USING GIN ("search_tsv");

-- CreateIndex
CREATE INDEX "messages_request_id_idx" ON "messages"("request_id");

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_last_message_id_fkey" FOREIGN KEY ("last_message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Not expressible in Prisma's schema (expression and partial indexes), kept in SQL only:
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Unread view: the inbox's most used filter, small because most conversations are read.
CREATE INDEX "conversations_unread_idx" ON "conversations"("business_id", "pinned" DESC, "last_activity_at" DESC, "id" DESC) WHERE "unread_count" > 0;

-- Trigram search over client names, phones and emails (searchConversations, clients search). The
-- text is built by one IMMUTABLE function so queries and the index use the very same expression.
CREATE OR REPLACE FUNCTION "omega_client_search_text"(first_name TEXT, last_name TEXT, phones TEXT[], emails TEXT[])
RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' ||
               coalesce(array_to_string(phones, ' '), '') || ' ' || coalesce(array_to_string(emails, ' '), ''))
$$;

CREATE INDEX "clients_search_trgm_idx" ON "clients" USING GIN (
  "omega_client_search_text"("first_name", "last_name", "phones", "emails") gin_trgm_ops
);
