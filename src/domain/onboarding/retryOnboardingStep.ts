import type { OnboardingStep } from '../../generated/prisma/client.js';
import { refreshOnboardingStatus } from '../../db/sql/refreshOnboardingStatus.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { PrismaQuery } from '../prismaQuery.js';
import { enqueueOnboardingStep } from './enqueueOnboardingStep.js';
import { stepKind } from './onboardingSteps.js';
import { STEP_PUBLIC_FIELDS } from './stepFields.js';
import { runTransaction } from '../../db/transaction.js';
import { lockOnboarding } from '../../db/sql/locks.js';

export interface RetryOnboardingStepInput {
  businessId: string;
  /** The step's name, e.g. "sms_sender:downtown", "email_domain:yourspa.com", "client_import". */
  step: string;
}

/**
 * Queues a failed step again, with the same input (onboard again instead to change it). The step
 * goes back to pending with its error cleared; its attempt count keeps the history. Only failed
 * steps: STEP_NOT_FAILED (409) otherwise.
 */
export async function retryOnboardingStep(deps: Deps, input: RetryOnboardingStepInput, query: PrismaQuery = {}): Promise<Omit<OnboardingStep, 'input'>> {
  return runTransaction(deps, async (tx) => {
    const sql = tx.sql;
    const onboarding = await tx.prisma.onboarding.findUnique({ where: { businessId: input.businessId }, select: { id: true } });
    if (!onboarding) throw new NotFoundError('ONBOARDING_NOT_FOUND', `Business ${JSON.stringify(input.businessId)} has no onboarding.`);
    await lockOnboarding(sql, onboarding.id);
    const step = await tx.prisma.onboardingStep.findUnique({
      where: { onboardingId_name: { onboardingId: onboarding.id, name: input.step } },
      select: { id: true, status: true },
    });
    const kind = stepKind(input.step);
    if (!step || !kind) throw new NotFoundError('ONBOARDING_STEP_NOT_FOUND', `Business ${JSON.stringify(input.businessId)} has no onboarding step ${JSON.stringify(input.step)}.`);
    if (step.status !== 'failed') {
      throw new ConflictError('STEP_NOT_FAILED', `Step ${input.step} is ${step.status}; only a failed step can be retried.`);
    }
    await tx.prisma.onboardingStep.update({
      where: { id: step.id },
      data: { status: 'pending', errorCode: null, errorMessage: null, startedAt: null, finishedAt: null },
    });
    await enqueueOnboardingStep(sql, kind, step.id);
    await refreshOnboardingStatus(sql, onboarding.id);
    const shape = query.select || query.include ? query : { select: STEP_PUBLIC_FIELDS };
    return tx.prisma.onboardingStep.findUniqueOrThrow({ ...(shape as object), where: { id: step.id } }) as Promise<Omit<OnboardingStep, 'input'>>;
  });
}
