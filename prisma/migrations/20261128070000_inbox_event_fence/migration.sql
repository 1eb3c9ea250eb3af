-- Inbox events no longer serialise their writers. Until now every transaction that published an
-- event took a per-business advisory lock until COMMIT (so ids committed in id order), and a trigger
-- NOTIFYed at COMMIT, which takes PostgreSQL's cluster-wide notify lock until the commit's WAL flush:
-- every writer of events waited for every other one.
--
-- Instead each event records the id of the transaction that wrote it (xid, 64-bit, never wraps), and
-- readers fence: they deliver, in (xid, id) order, only events whose xid is below the oldest
-- transaction still running (pg_snapshot_xmin of their snapshot). Every older transaction has ended,
-- so no event can later commit behind a reader's cursor. Writers notify after COMMIT themselves
-- (src/db/transaction.ts), outside their transaction.
--
-- Existing rows get xid 0, which sorts before every real transaction id: an old cursor (an event id
-- N) still resumes at (xid of event N, N). The constant default fills them without rewriting the
-- table; new rows then take the writing transaction's id.
ALTER TABLE "inbox_events" ADD COLUMN "xid" xid8 NOT NULL DEFAULT '0';
ALTER TABLE "inbox_events" ALTER COLUMN "xid" SET DEFAULT pg_current_xact_id();

-- Readers scan (business_id, xid, id) > cursor; nothing else used (business_id, id) (pruning goes by
-- the primary key).
CREATE INDEX "inbox_events_business_id_xid_id_idx" ON "inbox_events"("business_id", "xid", "id");
DROP INDEX "inbox_events_business_id_id_idx";

DROP TRIGGER "inbox_events_notify" ON "inbox_events";
DROP FUNCTION "omega_notify_inbox_event"();
