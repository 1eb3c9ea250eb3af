import type { JobHelpers } from 'graphile-worker';
import type { DeliveryOutcome } from '../domain/sending/deliverMessage.js';

/** Runs a send and logs its outcome with the job's scope; a transient failure becomes a throw (graphile-worker retries it). */
export async function runDelivery(helpers: JobHelpers, messageId: string, deliver: () => Promise<DeliveryOutcome>): Promise<void> {
  const log = helpers.logger.scope({ label: 'send' });
  const scope = `message ${messageId}, job ${helpers.job.id} attempt ${helpers.job.attempts}`;
  const outcome = await deliver();
  switch (outcome.outcome) {
    case 'sent':
      if (outcome.afterInterruptedSend) log.warn(`${scope}: sent again after an interrupted attempt (the first may also have gone out)`);
      else log.debug(`${scope}: sent (${outcome.provider} ${outcome.providerMessageId})`);
      return;
    case 'failed':
      log.info(`${scope}: failed for good: ${outcome.code} ${outcome.message}`);
      return;
    case 'skipped':
      log.debug(`${scope}: skipped: ${outcome.reason}`);
      return;
    case 'retry':
      throw new Error(`transient provider failure ${outcome.code}: ${outcome.message} (${scope})`);
    default: {
      const never: never = outcome;
      throw new Error(`internal error: unknown delivery outcome ${JSON.stringify(never)}`);
    }
  }
}
