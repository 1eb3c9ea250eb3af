import { claimOnboardingStep, type ClaimedStep } from '../../db/sql/claimOnboardingStep.js';
import { finishOnboardingStep, type StepOutcome } from '../../db/sql/finishOnboardingStep.js';
import { refreshOnboardingStatus } from '../../db/sql/refreshOnboardingStatus.js';
import { ProviderError } from '../../provisioning/types.js';
import type { Deps } from '../deps.js';
import { DomainError } from '../errors.js';
import { importClients } from './importClients.js';
import { stepKind, type StepKind } from './onboardingSteps.js';
import { setUpEmailDomain } from './setUpEmailDomain.js';
import { setUpSmsSender } from './setUpSmsSender.js';
import { runTransaction } from '../../db/transaction.js';
import { lockOnboarding } from '../../db/sql/locks.js';

export interface RunOnboardingStepInput {
  stepId: string;
  /** The kind the job was queued for (its task); a step of another kind is refused. */
  kind: StepKind;
  /** This job attempt (1-based) and the most it gets: the last one fails the step instead of retrying. */
  attempt: number;
  maxAttempts: number;
}

export type StepRunOutcome = 'succeeded' | 'failed' | 'retrying' | 'skipped';

/** Thrown to have the job retried later (graphile-worker backs off); the step says "pending" with the error meanwhile. */
class StepRetryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StepRetryError';
  }
}

/**
 * Runs one background onboarding step: claims it (pending → running, attempt counted), does its
 * work, and records the outcome with the overall status. A provider error that may pass
 * (rate limit, 5xx, network) leaves the step pending with the error and throws StepRetryError so
 * the job is retried with backoff; anything else, or the last attempt, fails the step with its error
 * code and message (retry it with retryOnboardingStep or by onboarding again). A step that is not
 * pending (done, failed, or reset by a newer onboarding) is skipped.
 */
export async function runOnboardingStep(deps: Deps, input: RunOnboardingStepInput): Promise<StepRunOutcome> {
  const step = await claimOnboardingStep(deps.sql, input.stepId);
  if (!step) return 'skipped';
  await refreshOnboardingStatus(deps.sql, step.onboarding_id);
  let outcome: StepOutcome;
  let retry: StepRetryError | null = null;
  try {
    if (stepKind(step.name) !== input.kind) {
      throw new StepFailure('STEP_KIND_MISMATCH', `internal error: step ${step.name} was queued as ${input.kind}`);
    }
    outcome = { status: 'succeeded', result: await work(deps, input.kind, step), errorCode: null, errorMessage: null };
  } catch (err) {
    const { code, message, retryable } = describeFailure(err);
    const willRetry = retryable && input.attempt < input.maxAttempts;
    outcome = {
      status: willRetry ? 'pending' : 'failed',
      errorCode: code,
      errorMessage: willRetry ? `${message} (attempt ${input.attempt} of ${input.maxAttempts}; retrying automatically)` : message,
    };
    if (willRetry) retry = new StepRetryError(`${step.name}: ${message}`, { cause: err });
  }
  const recorded = await runTransaction(deps, async (tx) => {
    const sql = tx.sql;
    await lockOnboarding(sql, step.onboarding_id);
    const done = await finishOnboardingStep(sql, step.id, step.attempts, outcome);
    await refreshOnboardingStatus(sql, step.onboarding_id);
    return done;
  });
  if (!recorded) return 'skipped';
  if (retry) throw retry;
  return outcome.status === 'succeeded' ? 'succeeded' : 'failed';
}

function work(deps: Deps, kind: StepKind, step: ClaimedStep): Promise<Record<string, unknown>> {
  switch (kind) {
    case 'sms_sender':
      return setUpSmsSender(deps, step);
    case 'email_domain':
      return setUpEmailDomain(deps, step);
    case 'client_import':
      return importClients(deps, step);
    default: {
      const never: never = kind;
      throw new Error(`internal error: unknown step kind ${String(never)}`);
    }
  }
}

class StepFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function describeFailure(err: unknown): { code: string; message: string; retryable: boolean } {
  if (err instanceof ProviderError) return { code: err.code, message: err.message, retryable: err.retryable };
  if (err instanceof DomainError) return { code: err.code, message: err.message, retryable: err.kind === 'unavailable' };
  if (err instanceof StepFailure) return { code: err.code, message: err.message, retryable: false };
  // A bug or the database going away: worth another try, and the message helps whoever looks.
  return { code: 'INTERNAL', message: `internal error: ${err instanceof Error ? err.message : String(err)}`, retryable: true };
}
