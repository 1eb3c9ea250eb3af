import type { Sql } from '../sqlHandle.js';

export interface ClaimedStep {
  id: string;
  onboarding_id: string;
  business_id: string;
  name: string;
  /** The attempt this claim is (the step's attempt counter after the increment): the claim's token. */
  attempts: number;
  input: Record<string, unknown>;
}

/**
 * Marks a pending step running and counts the attempt; returns it, or undefined when the step is
 * not pending (already done, failed, or taken by another job). A step left running by a crashed
 * worker for 10 minutes can be claimed again.
 */
export async function claimOnboardingStep(sql: Sql, stepId: string): Promise<ClaimedStep | undefined> {
  const rows = await sql.query<ClaimedStep>(
    `UPDATE onboarding_steps
        SET status = 'running', attempts = attempts + 1, started_at = now(), finished_at = NULL, updated_at = now()
      WHERE id = $1::uuid
        AND (status = 'pending' OR (status = 'running' AND started_at < now() - interval '10 minutes'))
      RETURNING id::text, onboarding_id::text, business_id, name, attempts, input`,
    [stepId],
  );
  return rows[0];
}
