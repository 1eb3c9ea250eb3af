import { randomBytes, randomUUID } from 'node:crypto';
import type { SendResult } from '../types.js';
import type { SandboxBehaviour } from './sandboxRecipients.js';

/** What a sandbox provider answers for one recipient: the behaviour table, else accepted and delivered. */
export function sandboxSend(
  provider: string,
  behaviour: SandboxBehaviour | undefined,
  attempt: number,
  from: string | null,
  reportAfterMs: number,
  idPrefix: 'SM' | 'email',
): SendResult {
  if (behaviour?.outcome === 'reject' && !(behaviour.onlyFirstAttempt && attempt > 1)) {
    return {
      ok: false,
      kind: behaviour.kind,
      provider,
      code: behaviour.code,
      message: behaviour.message,
      httpStatus: behaviour.httpStatus,
      ...(behaviour.consent ? { consent: behaviour.consent } : {}),
    };
  }
  const providerMessageId = idPrefix === 'SM' ? `SM${randomBytes(16).toString('hex')}` : randomUUID();
  const report = behaviour?.outcome === 'undelivered'
    ? { word: idPrefix === 'SM' ? 'undelivered' : 'bounced', errorCode: behaviour.code, errorMessage: behaviour.message, afterMs: reportAfterMs }
    : { word: 'delivered', afterMs: reportAfterMs };
  return { ok: true, provider, providerMessageId, providerStatus: 'queued', from, report };
}
