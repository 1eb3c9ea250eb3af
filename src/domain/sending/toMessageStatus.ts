import type { MessageStatus } from '../../generated/prisma/enums.js';
import type { ConsentSignal } from '../../channels/types.js';

export interface ReportedStatus {
  /** null: a report worth keeping as an event that changes no status (e.g. email delivery_delayed). */
  status: MessageStatus | null;
  consent?: ConsentSignal;
  consentReason?: string;
}

// Omega's own words, Twilio's MessageStatus values and Resend's email event types (with or without
// the `email.` prefix), all mapped onto the neutral statuses of the status machine.
const WORDS: Record<string, ReportedStatus> = {
  scheduled: { status: 'scheduled' },
  queued: { status: 'queued' },
  accepted: { status: 'queued' },
  sending: { status: 'sending' },
  sent: { status: 'sent' },
  delivered: { status: 'delivered' },
  read: { status: 'read' },
  opened: { status: 'read' },
  clicked: { status: 'read' },
  undelivered: { status: 'undelivered' },
  failed: { status: 'failed' },
  canceled: { status: 'canceled' },
  cancelled: { status: 'canceled' },
  bounced: { status: 'undelivered', consent: 'email_suppressed', consentReason: 'bounced' },
  complained: { status: null, consent: 'email_suppressed', consentReason: 'complained' },
  suppressed: { status: 'failed', consent: 'email_suppressed', consentReason: 'suppressed' },
  delivery_delayed: { status: null },
};

const RESEND_EVENTS = ['scheduled', 'sent', 'delivered', 'delivery_delayed', 'bounced', 'complained', 'opened', 'clicked', 'failed', 'suppressed'];

/** The words a status report may use (REST schemas list them): ours, Twilio's, Resend's event types. */
export const REPORTED_STATUS_WORDS = [...Object.keys(WORDS), ...RESEND_EVENTS.map((e) => `email.${e}`)];

/** Twilio error 21610 on a status report means the recipient opted out (replied STOP). */
const TWILIO_OPTED_OUT = '21610';

/**
 * The neutral status (and consent signal) of a provider's status word, or undefined for a word we do
 * not know. An SMS failure with Twilio error 21610 also opts the client out.
 */
export function toMessageStatus(word: string, channel: 'sms' | 'email', errorCode?: string | null): ReportedStatus | undefined {
  const key = word
    .trim()
    .toLowerCase()
    .replace(/^email\./, '');
  const reported = WORDS[key];
  if (!reported) return undefined;
  if (channel === 'sms' && errorCode === TWILIO_OPTED_OUT) return { ...reported, consent: 'sms_opt_out', consentReason: 'stop' };
  if (channel === 'sms' && reported.consent === 'email_suppressed') return { status: reported.status };
  return reported;
}
