-- Search indexes (issue 3): searchMessages and searchConversations read only the matches they rank.
-- Prisma's schema cannot express the expression index or the storage parameters, so they are kept in
-- SQL; schema.prisma mirrors the (conversation_id, search_tsv) index.

-- GIN operator classes for scalar columns (uuid, integer), so one GIN index intersects a
-- conversation, or a range of days, with the words of a query.
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- The UTC day number of a time (days since 1970-01-01 UTC). Every step is IMMUTABLE (the time zone
-- is fixed), so the function can key an index and the planner inlines it in queries and index alike.
CREATE OR REPLACE FUNCTION "omega_utc_day"(ts TIMESTAMPTZ)
RETURNS INTEGER LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT floor(extract(epoch FROM ts AT TIME ZONE 'UTC') / 86400)::integer
$$;

-- Both indexes below keep their pending list (GIN's buffer of recent inserts, which every search
-- reads in full until it is merged) at 256 kB instead of 4 MB: messages are inserted all the time,
-- and a full 4 MB list adds tens of milliseconds to each search. Inserts merge it more often.

-- searchMessages (one conversation): the conversation's matches straight from the index, instead of
-- a bitmap of every match in the table ANDed with the conversation's messages.
CREATE INDEX "messages_conversation_id_search_tsv_idx" ON "messages" USING GIN ("conversation_id", "search_tsv")
  WITH (gin_pending_list_limit = 256);

-- searchConversations (one business): the most recent matches, looked for in windows of recent UTC
-- days (src/db/sql/searchMessages.ts), so a common word reads a few days of matches, not years. The
-- business is not a key: the large business's key lists nearly every message, and intersecting it
-- cost more than filtering out the window's matches of other businesses. For a small business the
-- planner starts from the business's own messages (messages_business_id_status_created_at_idx).
CREATE INDEX "messages_utc_day_search_tsv_idx" ON "messages" USING GIN ("omega_utc_day"("created_at"), "search_tsv")
  WITH (gin_pending_list_limit = 256);

-- Both indexes above answer a search_tsv-only condition too; the single-column one only cost writes.
DROP INDEX "messages_search_tsv_idx";
