import type { Sql } from '../sqlHandle.js';

/**
 * Updates a step while claim `attempts` of it is still running (progress, or dropping bulk input
 * that is no longer needed); a step reset meanwhile by a newer onboarding is left untouched.
 */
export async function updateRunningStep(sql: Sql, stepId: string, attempts: number, change: { result?: Record<string, unknown>; dropInputKey?: string }): Promise<void> {
  await sql.query(
    `UPDATE onboarding_steps
        SET result = coalesce($3::jsonb, result),
            input = CASE WHEN $4::text IS NULL THEN input ELSE input - $4::text END,
            updated_at = now()
      WHERE id = $1::uuid AND attempts = $2::int AND status = 'running'`,
    [stepId, attempts, change.result ? JSON.stringify(change.result) : null, change.dropInputKey ?? null],
  );
}
