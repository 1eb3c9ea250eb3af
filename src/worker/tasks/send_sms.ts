import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { runSendJob } from '../runSendJob.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      send_sms: { messageId: string; sender?: string; attemptsBefore?: number };
    }
  }
}

/** Sends one queued SMS (job key `send_sms:<messageId>`); a transient failure throws so the job is retried with backoff. */
export function send_sms(deps: Deps): Task<'send_sms'> {
  return (payload, helpers) => runSendJob(deps, 'sms', payload, helpers);
}
