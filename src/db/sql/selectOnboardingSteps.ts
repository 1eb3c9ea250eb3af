import type { Sql } from '../sqlHandle.js';

export interface OnboardingStepSummary {
  id: string;
  name: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  /** The step's input without its bulk rows (client import keeps a digest beside them). */
  input: Record<string, unknown>;
  result: Record<string, unknown>;
}

/** The steps of an onboarding, without loading bulk inputs (thousands of client rows). */
export async function selectOnboardingSteps(sql: Sql, onboardingId: string): Promise<OnboardingStepSummary[]> {
  return sql.query<OnboardingStepSummary>(
    `SELECT id::text, name, status::text AS status, input - 'rows' AS input, result
       FROM onboarding_steps WHERE onboarding_id = $1::uuid ORDER BY created_at, name`,
    [onboardingId],
  );
}
