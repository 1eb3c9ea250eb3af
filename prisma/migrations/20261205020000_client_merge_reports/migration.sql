-- Issue 16 (client edits, merges, status history, inbox reports).

-- Clients: free-text notes; a merged client points at the client it was merged into.
ALTER TABLE clients ADD COLUMN notes text;
ALTER TABLE clients ADD COLUMN merged_into_id uuid REFERENCES clients(id) ON DELETE SET NULL;
ALTER TABLE clients ADD COLUMN merged_at timestamptz(3);
CREATE INDEX clients_merged_into_id_idx ON clients (merged_into_id) WHERE merged_into_id IS NOT NULL;

-- Conversations: the report state of the current "episode" (src/db/sql/insertMessage.ts keeps it):
-- opened_at, the inbound message that opened (or reopened, after archiving) it; waiting_since,
-- the first inbound message no staff reply has answered yet; first_reply_at, the episode's first
-- staff reply (null: none yet). Conversations open today count as opened at their last inbound.
ALTER TABLE conversations ADD COLUMN opened_at timestamptz(3);
ALTER TABLE conversations ADD COLUMN waiting_since timestamptz(3);
ALTER TABLE conversations ADD COLUMN first_reply_at timestamptz(3);
UPDATE conversations SET opened_at = last_inbound_at, first_reply_at = last_outbound_at
 WHERE status <> 'archived' AND last_inbound_at IS NOT NULL;

-- Status history: one row per status a conversation took, written by a trigger in the transaction
-- of the change, so no writer can forget it (staff changes, an inbound message reopening it, a
-- snooze ending, bulk actions, merges, and whatever writes conversations.status later).
-- Who, why and when come from transaction-local settings a domain operation may set
-- (src/db/sql/setStatusChangeContext.ts: omega.actor_staff_id, omega.status_reason,
-- omega.status_changed_at, the application's clock); unset, the reason is 'inbound' when the change
-- came with a new inbound message ('created' for a new conversation), and the time is now().
-- opened_at is the conversation's episode opening at the change (resolution time = an archiving's
-- changed_at - opened_at).
CREATE TABLE conversation_status_changes (
  id              uuid                NOT NULL DEFAULT omega_uuid_v7(),
  business_id     text                NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  conversation_id uuid                NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  location_id     uuid                NOT NULL,
  from_status     conversation_status,
  to_status       conversation_status NOT NULL,
  assignee_id     uuid,
  staff_id        uuid,
  reason          text,
  opened_at       timestamptz(3),
  changed_at      timestamptz(3)      NOT NULL DEFAULT now(),
  CONSTRAINT conversation_status_changes_pkey PRIMARY KEY (id)
);
CREATE INDEX conversation_status_changes_conversation_id_changed_at_idx ON conversation_status_changes (conversation_id, changed_at);
CREATE INDEX conversation_status_changes_business_id_to_status_changed_at_idx ON conversation_status_changes (business_id, to_status, changed_at);

CREATE FUNCTION omega_record_conversation_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_status_changes (business_id, conversation_id, location_id, from_status, to_status, assignee_id, staff_id, reason, opened_at, changed_at)
  VALUES (NEW.business_id, NEW.id, NEW.location_id,
          CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status, NEW.assignee_id,
          nullif(current_setting('omega.actor_staff_id', true), '')::uuid,
          coalesce(nullif(current_setting('omega.status_reason', true), ''),
                   CASE WHEN TG_OP = 'UPDATE' AND NEW.last_inbound_at IS DISTINCT FROM OLD.last_inbound_at THEN 'inbound' END,
                   CASE WHEN TG_OP = 'INSERT' THEN 'created' END),
          NEW.opened_at, coalesce(nullif(current_setting('omega.status_changed_at', true), '')::timestamptz, now()));
  RETURN NULL;
END
$$;

CREATE TRIGGER conversations_status_history_insert AFTER INSERT ON conversations
  FOR EACH ROW EXECUTE FUNCTION omega_record_conversation_status();
CREATE TRIGGER conversations_status_history_update AFTER UPDATE OF status ON conversations
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION omega_record_conversation_status();

-- Report facts, written by insertMessage in the statement that appends the message.
-- An opening: the inbound message that opened or reopened a conversation.
CREATE TABLE report_openings (
  message_id      uuid         NOT NULL,
  business_id     text         NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  conversation_id uuid         NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  location_id     uuid         NOT NULL,
  channel         channel      NOT NULL,
  assignee_id     uuid,
  opened_at       timestamptz(3) NOT NULL,
  CONSTRAINT report_openings_pkey PRIMARY KEY (message_id)
);
CREATE INDEX report_openings_business_id_opened_at_idx ON report_openings (business_id, opened_at);
CREATE INDEX report_openings_conversation_id_idx ON report_openings (conversation_id);

-- A staff reply: an outbound SMS, email or call with an author staff member. waiting_since: the
-- first inbound message it answered (null: nothing was waiting); first: the episode's first reply.
CREATE TABLE report_replies (
  message_id      uuid         NOT NULL,
  business_id     text         NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  conversation_id uuid         NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  location_id     uuid         NOT NULL,
  channel         channel      NOT NULL,
  staff_id        uuid         NOT NULL,
  assignee_id     uuid,
  replied_at      timestamptz(3) NOT NULL,
  waiting_since   timestamptz(3),
  opened_at       timestamptz(3),
  first           boolean      NOT NULL,
  CONSTRAINT report_replies_pkey PRIMARY KEY (message_id)
);
-- Covering: the report reads replies by index only.
CREATE INDEX report_replies_business_id_replied_at_idx ON report_replies (business_id, replied_at)
  INCLUDE (staff_id, location_id, channel, first, opened_at, waiting_since);
CREATE INDEX report_replies_conversation_id_idx ON report_replies (conversation_id);

-- Message volumes per conversation, local day of the business (its time zone when the message was
-- stored), and assignee at the message: a conversation's row is only written under that
-- conversation's lock, which every append takes anyway, so it adds no contention.
CREATE TABLE report_conversation_days (
  conversation_id uuid    NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  day             date    NOT NULL,
  assignee_key    uuid    NOT NULL,
  business_id     text    NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  location_id     uuid    NOT NULL,
  sms_in          int     NOT NULL DEFAULT 0,
  sms_out         int     NOT NULL DEFAULT 0,
  email_in        int     NOT NULL DEFAULT 0,
  email_out       int     NOT NULL DEFAULT 0,
  voice_in        int     NOT NULL DEFAULT 0,
  voice_out       int     NOT NULL DEFAULT 0,
  CONSTRAINT report_conversation_days_pkey PRIMARY KEY (conversation_id, day, assignee_key)
);
CREATE INDEX report_conversation_days_business_id_day_idx ON report_conversation_days (business_id, day)
  INCLUDE (location_id, assignee_key, sms_in, sms_out, email_in, email_out, voice_in, voice_out);
