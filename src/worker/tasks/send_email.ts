import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { deliverMessage } from '../../domain/sending/deliverMessage.js';
import { sendJobPayload } from '../sendJobPayload.js';
import { runDelivery } from '../runDelivery.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      send_email: { messageId: string; sender?: string; attemptsBefore?: number };
    }
  }
}

/** Sends one queued email (job key `send_email:<messageId>`); a transient failure throws so the job is retried with backoff. */
export function send_email(deps: Deps): Task<'send_email'> {
  return async (payload, helpers) => {
    const { messageId, sender, attemptsBefore } = sendJobPayload('send_email', payload);
    await runDelivery(helpers, messageId, () =>
      deliverMessage(deps, {
        messageId,
        channel: 'email',
        jobAttempt: helpers.job.attempts + attemptsBefore,
        jobMaxAttempts: helpers.job.max_attempts,
        sender,
        priority: helpers.job.priority,
        attemptsBefore,
      }),
    );
  };
}
