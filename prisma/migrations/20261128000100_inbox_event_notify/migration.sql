-- Every inbox event wakes the subscribers of its business on every gateway process: the row's
-- insert NOTIFYs channel omega_inbox_events with the business id (delivered at COMMIT, identical
-- payloads in one transaction folded into one). Listeners then read the log from their cursor, so
-- the notification carries no data and cannot exceed NOTIFY's payload limit.
CREATE OR REPLACE FUNCTION "omega_notify_inbox_event"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('omega_inbox_events', NEW."business_id");
  RETURN NULL;
END
$$;

CREATE TRIGGER "inbox_events_notify"
AFTER INSERT ON "inbox_events"
FOR EACH ROW EXECUTE FUNCTION "omega_notify_inbox_event"();
