/** Tag names and values a provider keeps: ASCII letters, digits, `_` and `-`, at most 256 characters (Resend's rule). */
const TAG_VALUE = /^[A-Za-z0-9_-]{1,256}$/;
const MESSAGE_ID = 'omega_message_id';
const BUSINESS_ID = 'omega_business_id';

/**
 * Omega's ids on an outgoing email, which Resend sends back in every delivery event (data.tags):
 * the event then names its message even before Resend's id is stored, and with its business needs
 * no lookup (applyResendEvent). A business id a tag cannot carry is left out.
 */
export function emailTags(messageId: string, businessId: string): { name: string; value: string }[] {
  return [{ name: MESSAGE_ID, value: messageId }, ...(TAG_VALUE.test(businessId) ? [{ name: BUSINESS_ID, value: businessId }] : [])];
}

/** The ids emailTags put on an email, from an event's tags (an object, as Resend's webhooks send them, or a list of name/value pairs). */
export function readEmailTags(tags: unknown): { messageId: string | null; businessId: string | null } {
  const pairs: [unknown, unknown][] = Array.isArray(tags)
    ? tags.map((t) => [(t as { name?: unknown })?.name, (t as { value?: unknown })?.value])
    : tags && typeof tags === 'object'
      ? Object.entries(tags)
      : [];
  const value = (name: string) => {
    const found = pairs.find(([n]) => n === name)?.[1];
    return typeof found === 'string' && TAG_VALUE.test(found) ? found : null;
  };
  return { messageId: value(MESSAGE_ID), businessId: value(BUSINESS_ID) };
}
