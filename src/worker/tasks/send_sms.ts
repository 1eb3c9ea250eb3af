import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { deliverMessage } from '../../domain/sending/deliverMessage.js';
import { assertMessageIdPayload } from '../assertMessageIdPayload.js';
import { runDelivery } from '../runDelivery.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      send_sms: { messageId: string };
    }
  }
}

/** Sends one queued SMS (job key `send_sms:<messageId>`); a transient failure throws so the job is retried with backoff. */
export function send_sms(deps: Deps): Task<'send_sms'> {
  return async (payload, helpers) => {
    const { messageId } = assertMessageIdPayload('send_sms', payload);
    await runDelivery(helpers, messageId, () => deliverMessage(deps, { messageId, channel: 'sms', jobAttempt: helpers.job.attempts, jobMaxAttempts: helpers.job.max_attempts }));
  };
}
