import type { Sql } from '../sqlHandle.js';

export interface StepOutcome {
  status: 'pending' | 'succeeded' | 'failed';
  result?: Record<string, unknown>;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/**
 * Records the outcome of claim `attempts` of a step; does nothing (returns false) when the step was
 * reset or claimed again meanwhile (a repeat onboarding changed it), so a stale run never
 * overwrites a newer one. `pending` means "will be retried automatically" and keeps the error.
 */
export async function finishOnboardingStep(sql: Sql, stepId: string, attempts: number, outcome: StepOutcome): Promise<boolean> {
  const rows = await sql.query<{ id: string }>(
    `UPDATE onboarding_steps
        SET status = $3::step_status,
            result = coalesce($4::jsonb, result),
            error_code = $5::text,
            error_message = $6::text,
            finished_at = CASE WHEN $3::text = 'pending' THEN NULL ELSE now() END,
            updated_at = now()
      WHERE id = $1::uuid AND status = 'running' AND attempts = $2::int
      RETURNING id::text`,
    [stepId, attempts, outcome.status, outcome.result ? JSON.stringify(outcome.result) : null, outcome.errorCode ?? null, outcome.errorMessage ?? null],
  );
  return rows.length > 0;
}
