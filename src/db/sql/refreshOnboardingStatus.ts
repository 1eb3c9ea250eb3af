import type { Sql } from '../sqlHandle.js';

/**
 * Recomputes an onboarding's overall status from its steps, in the caller's transaction:
 * pending (nothing started), running (some step pending or running), failed (all done, one failed),
 * succeeded (all done, none failed, or no steps). completed_at is set when it reaches failed or
 * succeeded. The onboarding row is locked first, so two steps finishing at once are counted in
 * turn (each recount then sees the other's committed step).
 */
export async function refreshOnboardingStatus(sql: Sql, onboardingId: string): Promise<void> {
  await sql.query('SELECT id FROM onboardings WHERE id = $1::uuid FOR UPDATE', [onboardingId]);
  await sql.query(
    `UPDATE onboardings o
        SET status = s.status,
            completed_at = CASE WHEN s.status IN ('succeeded', 'failed') THEN coalesce(o.completed_at, now()) ELSE NULL END,
            updated_at = now()
       FROM (
         SELECT (CASE
                   WHEN count(*) FILTER (WHERE status IN ('pending', 'running')) = 0
                     THEN CASE WHEN count(*) FILTER (WHERE status = 'failed') > 0 THEN 'failed' ELSE 'succeeded' END
                   WHEN count(*) FILTER (WHERE status <> 'pending') = 0 THEN 'pending'
                   ELSE 'running'
                 END)::step_status AS status
           FROM onboarding_steps WHERE onboarding_id = $1::uuid
       ) s
      WHERE o.id = $1::uuid AND (o.status IS DISTINCT FROM s.status OR (s.status IN ('succeeded', 'failed')) <> (o.completed_at IS NOT NULL))`,
    [onboardingId],
  );
}
