import type { JobHelpers } from 'graphile-worker';
import type { Deps } from '../domain/deps.js';
import { deliverMessage } from '../domain/sending/deliverMessage.js';
import { assertMessageIdPayload } from './assertMessageIdPayload.js';
import { runDelivery } from './runDelivery.js';

/** A send job's payload: `{ messageId, sender?, attemptsBefore? }` (sender and attemptsBefore come with pacing; older jobs have only messageId). */
export function sendJobPayload(task: string, payload: unknown): { messageId: string; sender: string | null; attemptsBefore: number } {
  const { messageId } = assertMessageIdPayload(task, payload);
  const p = payload as { sender?: unknown; attemptsBefore?: unknown };
  const sender = typeof p.sender === 'string' && p.sender.length <= 300 ? p.sender : null;
  const attemptsBefore = typeof p.attemptsBefore === 'number' && Number.isInteger(p.attemptsBefore) && p.attemptsBefore > 0 ? p.attemptsBefore : 0;
  return { messageId, sender, attemptsBefore };
}

/** What send_sms and send_email run: one queued message through deliverMessage, its outcome through runDelivery. */
export async function runSendJob(deps: Deps, channel: 'sms' | 'email', payload: unknown, helpers: JobHelpers): Promise<void> {
  const { messageId, sender, attemptsBefore } = sendJobPayload(channel === 'sms' ? 'send_sms' : 'send_email', payload);
  await runDelivery(helpers, messageId, () =>
    deliverMessage(deps, {
      messageId,
      channel,
      jobAttempt: helpers.job.attempts + attemptsBefore,
      jobMaxAttempts: helpers.job.max_attempts,
      sender,
      priority: helpers.job.priority,
      attemptsBefore,
    }),
  );
}
