import type { Task } from 'graphile-worker';
import type { Deps } from '../domain/deps.js';
import { runOnboardingStep } from '../domain/onboarding/runOnboardingStep.js';
import type { StepKind } from '../domain/onboarding/onboardingSteps.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The body shared by the onboard_* tasks: asserts the payload ({ stepId }) and runs the step. A
 * malformed payload is logged and dropped (retrying cannot fix it); a step that should be retried
 * throws, so graphile-worker retries the job with backoff.
 */
export function onboardingStepTask(deps: Deps, kind: StepKind, identifier: string): Task {
  return async (payload, helpers) => {
    const stepId = (payload as { stepId?: unknown } | null)?.stepId;
    if (typeof stepId !== 'string' || !UUID.test(stepId)) {
      helpers.logger.error(`${identifier}: payload must be { stepId: <uuid> }, got ${JSON.stringify(payload)}; dropping the job`);
      return;
    }
    const outcome = await runOnboardingStep(deps, { stepId, kind, attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
    helpers.logger.info(`${identifier}: step ${stepId} ${outcome}`);
  };
}
