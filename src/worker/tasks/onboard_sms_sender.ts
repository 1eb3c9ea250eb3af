import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { onboardingStepTask } from '../onboardingStepTask.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      onboard_sms_sender: { stepId: string };
    }
  }
}

/** Runs an onboarding's sms_sender step (job key `onboard_sms_sender:<stepId>`). */
export function onboard_sms_sender(deps: Deps): Task {
  return onboardingStepTask(deps, 'sms_sender', 'onboard_sms_sender');
}
