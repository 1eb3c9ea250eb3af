import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { onboardingStepTask } from '../onboardingStepTask.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      onboard_client_import: { stepId: string };
    }
  }
}

/** Runs an onboarding's client_import step (job key `onboard_client_import:<stepId>`). */
export function onboard_client_import(deps: Deps): Task {
  return onboardingStepTask(deps, 'client_import', 'onboard_client_import');
}
