import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { reconcileSmsStatuses } from '../../domain/webhooks/reconcileSmsStatuses.js';

/**
 * Periodic (crontab in taskList.ts): asks Twilio for the final status of SMS stuck in `sending` or
 * `sent` past OMEGA_SMS_RECONCILE_AFTER_SECONDS (their callback was lost). Passing Twilio failures
 * are left for the next run; only a database failure fails the job.
 */
export function reconcile_sms_status(deps: Deps): Task {
  return async (_payload, helpers) => {
    const r = await reconcileSmsStatuses(deps);
    if (r.checked === null) {
      helpers.logger.debug('SMS status reconciliation skipped: Twilio is not configured (sandbox)');
      return;
    }
    helpers.logger.info(`SMS status reconciliation: checked ${r.checked}, changed ${r.changed}, missing at Twilio ${r.missing}, errors ${r.errors}`);
  };
}
