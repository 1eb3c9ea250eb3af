-- Ingest near the limit of its own schema (issue 17).
--
-- 1. Send jobs without a NOTIFY in the request's commit.
-- graphile_worker.add_jobs (0.17.3) calls pg_notify('jobs:insert', <random payload>) in the
-- caller's transaction. A notifying COMMIT holds PostgreSQL's cluster-wide notify lock until its WAL
-- flush, so every send request's commit waited for the previous one's flush: add_job halved ingest.
-- omega_add_jobs_quiet is add_jobs without that line: the same rows (tasks, queues, the key of a
-- job already running cleared, insert or replace by job_key while unlocked), in the caller's
-- transaction, so a message and its job still commit together. The workers are woken after COMMIT
-- by one coalesced NOTIFY per process and burst (src/events/createJobWaker.ts); a wake-up lost in a
-- crash only delays the job to the workers' next poll (pollInterval: 2 s).
-- It writes graphile-worker's PRIVATE tables (_private_tasks, _private_job_queues, _private_jobs)
-- as graphile-worker 0.17.3 defines them (its migration 000018); test/db/addJobsQuiet.test.ts
-- fails when add_jobs' definition or these tables change, and compares both functions' rows.
CREATE OR REPLACE FUNCTION "omega_add_jobs_quiet"(specs json) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  n integer;
BEGIN
  INSERT INTO graphile_worker._private_tasks AS tasks (identifier)
  SELECT DISTINCT s.identifier FROM json_to_recordset(specs) AS s(identifier text)
  ON CONFLICT DO NOTHING;

  INSERT INTO graphile_worker._private_job_queues AS job_queues (queue_name)
  SELECT DISTINCT s.queue_name FROM json_to_recordset(specs) AS s(queue_name text)
   WHERE s.queue_name IS NOT NULL
  ON CONFLICT DO NOTHING;

  -- A job with the same key that is already running (locked) keeps running: its key is cleared
  -- and a new job is added, as add_jobs does.
  UPDATE graphile_worker._private_jobs AS jobs
     SET key = NULL, attempts = jobs.max_attempts, updated_at = now()
    FROM json_to_recordset(specs) AS s(job_key text)
   WHERE s.job_key IS NOT NULL AND jobs.key = s.job_key AND jobs.is_available IS NOT TRUE;

  INSERT INTO graphile_worker._private_jobs AS jobs (job_queue_id, task_id, payload, run_at, max_attempts, key, priority, flags)
  SELECT job_queues.id, tasks.id, coalesce(s.payload, '{}'::json), coalesce(s.run_at, now()), coalesce(s.max_attempts, 25::smallint),
         s.job_key, coalesce(s.priority, 0::smallint), NULL
    FROM json_to_recordset(specs) AS s(identifier text, payload json, queue_name text, run_at timestamptz, max_attempts smallint,
                                       job_key text, priority smallint)
    JOIN graphile_worker._private_tasks AS tasks ON tasks.identifier = s.identifier
    LEFT JOIN graphile_worker._private_job_queues AS job_queues ON job_queues.queue_name = s.queue_name
  ON CONFLICT (key) DO UPDATE SET
    job_queue_id = excluded.job_queue_id,
    task_id = excluded.task_id,
    payload = CASE WHEN json_typeof(jobs.payload) = 'array' AND json_typeof(excluded.payload) = 'array'
                   THEN (jobs.payload::jsonb || excluded.payload::jsonb)::json ELSE excluded.payload END,
    max_attempts = excluded.max_attempts,
    run_at = excluded.run_at,
    priority = excluded.priority,
    revision = jobs.revision + 1,
    flags = excluded.flags,
    attempts = 0,
    last_error = NULL,
    updated_at = now()
  WHERE jobs.locked_at IS NULL;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

-- 2. Indexes the write path paid for (every message insert maintained 12 indexes on messages).
-- Measured on the inbox data set (2,022,462 messages; README "Data model").
--
-- request_id: two indexes, (request_id) and (business_id, request_id), for one read
-- (getMessagesByRequestId, with or without a business, and retryMessages' request_id filter),
-- while 58 % of the messages (inbound, recorded, notes) have no request id. One partial index serves
-- every read: `request_id = $1` implies `request_id IS NOT NULL`, and the business is a filter on
-- the one request's rows (at most 500). Before: Index Scan using messages_request_id_idx, 0.2 ms;
-- after: the same scan on the partial index.
DROP INDEX "messages_request_id_idx";
DROP INDEX "messages_business_id_request_id_idx";
CREATE INDEX "messages_request_id_idx" ON "messages"("request_id") WHERE "request_id" IS NOT NULL;

-- (status, updated_at) served one read, selectSmsToCheck (outbound Twilio SMS still sending/sent,
-- least recently changed first), yet every message was entered in it. Its plan on the data set
-- was a BitmapAnd of this index (129,425 rows for the two statuses) and
-- (business_id, status, created_at): 3.1 s. A partial index on exactly those rows, in the order
-- read: 2.5 % of the messages, no entry for a new inbound or queued message.
DROP INDEX "messages_status_updated_at_idx";
CREATE INDEX "messages_sms_to_check_idx" ON "messages"("updated_at")
  WHERE "status" IN ('sending', 'sent') AND "channel" = 'sms' AND "direction" = 'outbound';

-- The two GIN indexes of search took every insert through their pending list (fastupdate, with
-- gin_pending_list_limit 256 kB): each insert locks the index's metapage to append (all writers of
-- messages queue on that one page: LWLock:BufferContent in bench/live's samples), and the insert
-- that finds the list full merges all of it into the index itself, a stall of tens of ms for one
-- unlucky request. Without fastupdate each insert adds its entries to the tree directly: a steady
-- cost per message instead of a shared lock and a periodic stall. The pending lists are merged now.
ALTER INDEX "messages_conversation_id_search_tsv_idx" SET (fastupdate = off);
ALTER INDEX "messages_utc_day_search_tsv_idx" SET (fastupdate = off);
SELECT gin_clean_pending_list('"messages_conversation_id_search_tsv_idx"'::regclass);
SELECT gin_clean_pending_list('"messages_utc_day_search_tsv_idx"'::regclass);
