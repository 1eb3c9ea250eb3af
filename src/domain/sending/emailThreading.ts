// Email replies thread: a reply in a conversation that has earlier email defaults its subject to
// "Re: <the last subject>" (one "Re:", never "Re: Re:") and carries In-Reply-To and References
// from the last inbound email's Message-ID, so the client's mail program shows it in the thread.

/** "Re: " + the subject without the "Re:"s it already starts with. */
export function replySubject(lastSubject: string): string {
  const bare = lastSubject.replace(/^(\s*re\s*:\s*)+/i, '').trim();
  return `Re: ${bare}`;
}

/** A Message-ID as a header value (`<id@host>`), or null when it is not one (no spaces, no line breaks, no brackets inside). */
export function messageIdHeaderValue(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const trimmed = raw.trim();
  const inner = trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1) : trimmed;
  return /^[^\s<>]{1,900}$/.test(inner) ? `<${inner}>` : null;
}

/** What an outbound email's metadata keeps for the worker: the headers it sends. */
export interface EmailThreadHeaders {
  inReplyTo: string;
  references: string;
}

export const EMAIL_THREAD_METADATA_KEY = 'emailThread';

/** The headers of a queued email, read back from its metadata (checked again: metadata is JSON anyone could have written). */
export function emailThreadHeaders(metadata: Record<string, unknown> | null | undefined): Record<string, string> | null {
  const thread = metadata?.[EMAIL_THREAD_METADATA_KEY];
  if (!thread || typeof thread !== 'object') return null;
  const inReplyTo = messageIdHeaderValue((thread as Record<string, unknown>)['inReplyTo'] as string | undefined);
  if (!inReplyTo) return null;
  return { 'In-Reply-To': inReplyTo, References: inReplyTo };
}
