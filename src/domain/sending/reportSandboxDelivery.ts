import type { SandboxReport } from '../../channels/types.js';
import type { Deps } from '../deps.js';
import { toMessageStatus } from './toMessageStatus.js';
import { updateDeliveryStatus, type DeliveryStatusResult } from './updateDeliveryStatus.js';

/**
 * The sandbox provider's delivery report, made a moment after the send (job
 * sandbox_delivery_report): the outcome the sandbox decided at send time (kept in the `sent` event)
 * goes through updateDeliveryStatus, exactly like a Twilio or Resend callback would.
 */
export async function reportSandboxDelivery(deps: Deps, input: { messageId: string }): Promise<DeliveryStatusResult | null> {
  const sent = await deps.prisma.messageEvent.findFirst({
    where: { messageId: input.messageId, type: 'sent' },
    orderBy: { createdAt: 'desc' },
    select: { payload: true, message: { select: { channel: true, provider: true, providerMessageId: true } } },
  });
  const report = (sent?.payload as { report?: SandboxReport } | undefined)?.report;
  const message = sent?.message;
  if (!report || !message || message.provider !== 'sandbox' || (message.channel !== 'sms' && message.channel !== 'email')) return null;
  const reported = toMessageStatus(report.word, message.channel, report.errorCode);
  if (!reported) return null;
  return updateDeliveryStatus(deps, {
    messageId: input.messageId,
    status: reported.status,
    consent: reported.consent ?? null,
    consentReason: reported.consentReason ?? null,
    source: 'sandbox',
    provider: 'sandbox',
    providerStatus: report.word,
    providerEventId: `${message.providerMessageId}:${report.word}`,
    errorCode: report.errorCode ?? null,
    errorMessage: report.errorMessage ?? null,
  });
}
