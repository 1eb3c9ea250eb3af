// The background steps of an onboarding: each kind is a graphile-worker task of the same purpose.

export type StepKind = 'sms_sender' | 'email_domain' | 'client_import';

export const STEP_TASKS: Record<StepKind, string> = {
  sms_sender: 'onboard_sms_sender',
  email_domain: 'onboard_email_domain',
  client_import: 'onboard_client_import',
};

/** Provider hiccups (rate limits, 5xx, network) are retried this many times, with backoff, before the step fails. */
export const STEP_MAX_ATTEMPTS = 5;

/** A step's name says what it is for: "sms_sender:<location external id>", "email_domain:<domain>", "client_import". */
export function stepKind(name: string): StepKind | null {
  const kind = name.split(':', 1)[0];
  return kind === 'sms_sender' || kind === 'email_domain' || kind === 'client_import' ? kind : null;
}
