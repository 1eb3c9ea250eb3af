import type { JobHelpers } from 'graphile-worker';
import type { DeliveryOutcome } from '../domain/sending/deliverMessage.js';

/** Runs a send and logs its outcome with the job's scope; a transient failure becomes a throw (graphile-worker retries it). */
export async function runDelivery(helpers: JobHelpers, messageId: string, deliver: () => Promise<DeliveryOutcome>): Promise<void> {
  const log = helpers.logger.scope({ label: 'send' });
  const scope = `message ${messageId}, job ${helpers.job.id} attempt ${helpers.job.attempts}`;
  const outcome = await deliver();
  switch (outcome.outcome) {
    case 'sent':
      if (outcome.interrupted === 'adopted') log.info(`${scope}: the interrupted attempt had reached ${outcome.provider} (${outcome.providerMessageId}); recorded, not sent again`);
      else if (outcome.interrupted === 'resent') log.info(`${scope}: sent after an interrupted attempt that had not reached the provider (email: under the same idempotency key)`);
      else log.debug(`${scope}: sent (${outcome.provider} ${outcome.providerMessageId})`);
      return;
    case 'failed':
      log.info(`${scope}: failed for good: ${outcome.code} ${outcome.message}`);
      return;
    case 'deferred':
      log.debug(`${scope}: ${outcome.reason === 'paced' ? "no slot in the sender's budget yet" : 'the provider asked to slow down'}; the job comes back in ${Math.round(outcome.retryInMs)} ms`);
      return;
    case 'skipped':
      log.debug(`${scope}: skipped: ${outcome.reason}`);
      return;
    case 'retry':
      if (outcome.interrupted === 'unconfirmed')
        throw new Error(`could not check whether the interrupted attempt was sent (${outcome.code}: ${outcome.message}); nothing sent, will check again (${scope})`);
      throw new Error(`transient provider failure ${outcome.code}: ${outcome.message} (${scope})`);
    default: {
      const never: never = outcome;
      throw new Error(`internal error: unknown delivery outcome ${JSON.stringify(never)}`);
    }
  }
}
