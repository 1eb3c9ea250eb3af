import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { runSendJob } from '../runSendJob.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      send_email: { messageId: string; sender?: string; attemptsBefore?: number };
    }
  }
}

/** Sends one queued email (job key `send_email:<messageId>`); a transient failure throws so the job is retried with backoff. */
export function send_email(deps: Deps): Task<'send_email'> {
  return (payload, helpers) => runSendJob(deps, 'email', payload, helpers);
}
