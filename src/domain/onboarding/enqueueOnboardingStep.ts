import { addJob } from '../../db/sql/addJob.js';
import type { Sql } from '../../db/sqlHandle.js';
import { STEP_MAX_ATTEMPTS, STEP_TASKS, type StepKind } from './onboardingSteps.js';

/** The step's job, in the caller's transaction; job key `<task>:<step id>`, so a repeat replaces a waiting job. */
export async function enqueueOnboardingStep(sql: Sql, kind: StepKind, stepId: string): Promise<void> {
  const task = STEP_TASKS[kind];
  await addJob(sql, task, { stepId }, { jobKey: `${task}:${stepId}`, maxAttempts: STEP_MAX_ATTEMPTS });
}
