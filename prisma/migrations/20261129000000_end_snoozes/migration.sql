-- Snoozes with an end time now end by themselves: updateConversationStatus schedules an end_snooze
-- job at that time (src/worker/tasks/end_snooze.ts). Snoozes set before that have no job and would
-- stay snoozed forever: schedule theirs here (a past end time runs at once). On a new database the
-- graphile_worker schema does not exist yet when this runs, and there are no conversations either.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'graphile_worker' AND p.proname = 'add_job') THEN
    PERFORM graphile_worker.add_job(
              'end_snooze',
              json_build_object('businessId', c.business_id, 'conversationId', c.id),
              run_at => c.snoozed_until,
              job_key => 'end_snooze:' || c.id::text)
       FROM conversations c
      WHERE c.status = 'snoozed' AND c.snoozed_until IS NOT NULL;
  END IF;
END
$$;
