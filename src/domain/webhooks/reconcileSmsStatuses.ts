import type { Deps } from '../deps.js';
import { toMessageStatus } from '../sending/toMessageStatus.js';
import { updateDeliveryStatus } from '../sending/updateDeliveryStatus.js';
import { recordSmsStatusCheck, selectSmsToCheck } from '../../db/sql/smsStatusChecks.js';

export interface ReconcileOptions {
  /** Check messages whose last report (or last check) is older than this (default OMEGA_SMS_RECONCILE_AFTER_SECONDS). */
  afterSeconds?: number;
  /** Messages checked per run (default 200). */
  limit?: number;
}

export interface ReconcileResult {
  /** null: Twilio is not configured (sandbox), nothing to ask. */
  checked: number | null;
  changed: number;
  /** Twilio no longer has the message (404): never asked again. */
  missing: number;
  /** Passing failures (network, 5xx): asked again on a later run. */
  errors: number;
}

/** How many times one message is asked about: carriers that never report delivery leave it `sent` for good. */
export const MAX_STATUS_CHECKS = 5;
/** Messages older than this are left alone. */
const HORIZON_DAYS = 7;
const PARALLEL = 4;

/**
 * Twilio's status callbacks can be lost (our outage, a network failure). Messages that have stayed
 * `sending` or `sent` past the configured age are looked up in Twilio's API and the answer is
 * applied like a callback (same report id `<sid>:<status>`, so a callback that arrives later, or
 * came before, is not counted twice). Each message is checked at most MAX_STATUS_CHECKS times, at
 * least `afterSeconds` apart; every check is recorded in the message's metadata.
 */
export async function reconcileSmsStatuses(deps: Deps, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const fetchMessage = deps.webhooks?.fetchTwilioMessage;
  if (!fetchMessage) return { checked: null, changed: 0, missing: 0, errors: 0 };
  const afterSeconds = options.afterSeconds ?? deps.webhooks?.smsReconcileAfterSeconds ?? 1800;
  const now = deps.clock.now();
  const candidates = await selectSmsToCheck(deps.sql, { now, horizonDays: HORIZON_DAYS, afterSeconds, maxChecks: MAX_STATUS_CHECKS, limit: options.limit ?? 200 });

  const result: ReconcileResult = { checked: 0, changed: 0, missing: 0, errors: 0 };
  const queue = [...candidates];
  const worker = async () => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      const fetched = await fetchMessage(m.provider_message_id);
      if (fetched.found === null) {
        result.errors++;
        continue;
      }
      result.checked!++;
      let checks: number | null = null;
      if (fetched.found === false) {
        result.missing++;
        checks = MAX_STATUS_CHECKS;
      } else {
        const reported = toMessageStatus(fetched.status, 'sms', fetched.errorCode);
        if (reported) {
          const applied = await updateDeliveryStatus(deps, {
            businessId: m.business_id,
            messageId: m.id,
            provider: 'twilio',
            status: reported.status,
            consent: reported.consent ?? null,
            consentReason: reported.consentReason ?? null,
            providerStatus: fetched.status,
            errorCode: fetched.errorCode,
            errorMessage: fetched.errorMessage,
            providerEventId: `${m.provider_message_id}:${fetched.status.toLowerCase()}`,
            occurredAt: fetched.updatedAt,
            source: 'worker',
            eventType: 'reconciled',
          });
          if (applied.changed) result.changed++;
        }
      }
      await recordSmsStatusCheck(deps.sql, { id: m.id, businessId: m.business_id }, now, checks);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return result;
}
