import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxReport, SendResult } from '../types.js';
import type { SandboxBehaviour } from './sandboxRecipients.js';

/** What a sandbox provider answers for one recipient: the behaviour table, else accepted and delivered. */
export function sandboxSend(provider: string, behaviour: SandboxBehaviour | undefined, attempt: number, from: string | null, reportAfterMs: number, idPrefix: 'SM' | 'email'): SendResult {
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
  return { ok: true, provider, providerMessageId, providerStatus: 'queued', from, report: sandboxReport(behaviour, reportAfterMs, idPrefix) };
}

/** The delivery report a sandbox provider gives for an accepted message to a recipient of this behaviour. */
export function sandboxReport(behaviour: SandboxBehaviour | undefined, reportAfterMs: number, idPrefix: 'SM' | 'email'): SandboxReport {
  return behaviour?.outcome === 'undelivered'
    ? { word: idPrefix === 'SM' ? 'undelivered' : 'bounced', errorCode: behaviour.code, errorMessage: behaviour.message, afterMs: reportAfterMs }
    : { word: 'delivered', afterMs: reportAfterMs };
}
