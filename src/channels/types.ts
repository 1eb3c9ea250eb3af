// The neutral interfaces every provider adapter implements (Twilio, Resend, the local sandbox).
// The domain sees only these types: a send either is accepted (with the provider's id) or fails,
// and a failure says whether trying again can help ('transient') or cannot ('permanent').

export type ProviderErrorKind = 'transient' | 'permanent';

/** A consent change the provider told us about while sending (e.g. Twilio 21610: the recipient replied STOP). */
export type ConsentSignal = 'sms_opt_out' | 'email_suppressed';

/** The delivery report a sandbox provider will give later; real providers call our webhooks instead. */
export interface SandboxReport {
  /** The provider's word for the outcome: delivered, undelivered (SMS), bounced (email). */
  word: string;
  errorCode?: string;
  errorMessage?: string;
  afterMs: number;
}

export interface SendAccepted {
  ok: true;
  provider: string;
  providerMessageId: string;
  /** The provider's own word for the message's state on acceptance (Twilio: queued/accepted/sent). */
  providerStatus: string;
  /** The sender the provider used (a messaging service picks its number). */
  from: string | null;
  /** Sandbox providers only. */
  report?: SandboxReport;
}

export interface SendFailed {
  ok: false;
  kind: ProviderErrorKind;
  provider: string;
  /** The provider's error code (Twilio's numeric code, Resend's error name), or a network code. */
  code: string;
  message: string;
  httpStatus: number | null;
  consent?: ConsentSignal;
  /**
   * The request may have reached the provider and been acted on although no acceptance came back
   * (a timeout, a connection dropped after the request was written, a 5xx): the message may exist
   * there. Transient failures only; unset means the provider surely did not take it.
   */
  maybeSent?: boolean;
}

export type SendResult = SendAccepted | SendFailed;

export interface SmsSender {
  /** E.164 number. */
  from?: string | null;
  messagingServiceSid?: string | null;
}

export interface SmsSendRequest {
  /** Omega's message id: adapters use it for callbacks and idempotency. */
  messageId: string;
  /** The message's business: status callbacks carry it, so a report needs no lookup to be grouped. */
  businessId: string;
  /** Which send attempt of this message this is (1 = first). */
  attempt: number;
  to: string;
  body: string;
  mediaUrls: string[];
  sender: SmsSender;
}

/** Which of the provider's messages to list: those to one recipient, sent on or after a day. */
export interface SentSmsQuery {
  /** Omega's business of the message (the sandbox keeps its messages per business; Twilio lists the account's). */
  businessId: string;
  to: string;
  /** Midnight UTC of the first day to list: Twilio's DateSent filter works by whole UTC days. */
  sentOnOrAfter: Date;
}

/** One message as the provider lists it. */
export interface ProviderSms {
  providerMessageId: string;
  direction: 'outbound' | 'inbound';
  to: string;
  /** The number it went from (a messaging service's pick), when the provider says. */
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  numMedia: number;
  /** The provider's word for its state now (Twilio: queued, sent, delivered, ...). */
  status: string;
  /** When the provider created it, by the provider's clock (Twilio: whole seconds). */
  createdAt: Date;
  /** Sandbox providers only: the delivery report it will give. */
  report?: SandboxReport;
}

export type SentSmsList = { ok: true; messages: ProviderSms[] } | SendFailed;

export interface SmsChannel {
  readonly provider: string;
  /** The sender used when a location has none of its own (config), or null. */
  readonly defaultSender: SmsSender | null;
  send(request: SmsSendRequest): Promise<SendResult>;
  /**
   * The provider's messages to a recipient since a day, newest first: what the worker checks before
   * sending again a message whose previous attempt was interrupted (Twilio has no idempotency key).
   * A failure is classified like a send's; the caller retries rather than sending blind.
   */
  listSent(query: SentSmsQuery): Promise<SentSmsList>;
  /**
   * How long after an attempt began its message may still be missing from listSent: Twilio lists by
   * date_sent, empty while it still queues the message, and its list can lag behind. Until then an
   * empty answer proves nothing (the sandbox keeps each message before it answers: 0).
   */
  readonly listSettleMs: number;
}

export interface EmailSendRequest {
  messageId: string;
  /** Name/value pairs the provider keeps with the email and sends back in its delivery events. */
  tags: { name: string; value: string }[];
  attempt: number;
  to: string;
  /** "Name <address>" or an address. */
  from: string;
  subject: string;
  html: string | null;
  text: string | null;
  replyTo: string | null;
  /** Extra headers (a reply's In-Reply-To and References), already checked; null: none. */
  headers?: Record<string, string> | null;
}

export interface EmailChannel {
  readonly provider: string;
  /** The From used when a location has no address of its own (config), or null. */
  readonly defaultFrom: string | null;
  send(request: EmailSendRequest): Promise<SendResult>;
}

export interface Channels {
  sms: SmsChannel;
  email: EmailChannel;
}
