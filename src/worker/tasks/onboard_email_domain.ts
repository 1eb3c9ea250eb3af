import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { onboardingStepTask } from '../onboardingStepTask.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      onboard_email_domain: { stepId: string };
    }
  }
}

/** Runs an onboarding's email_domain step (job key `onboard_email_domain:<stepId>`). */
export function onboard_email_domain(deps: Deps): Task {
  return onboardingStepTask(deps, 'email_domain', 'onboard_email_domain');
}
