import { Resend } from 'resend';

/** The content of a received email; Resend's email.received webhook carries only its metadata. */
export type FetchedReceivedEmail =
  { found: true; text: string | null; html: string | null; headers: Record<string, string> | null; replyTo: string[] | null } | { found: false } | { found: null; error: string };

export type FetchReceivedEmail = (emailId: string) => Promise<FetchedReceivedEmail>;

export interface FetchReceivedEmailOptions {
  apiKey: string;
  timeoutMs?: number;
  /** Another API origin (a proxy or a local fake); unset in production. */
  apiBaseUrl?: string;
}

/**
 * GET /emails/receiving/{id} through the Resend SDK. Never throws: not found is `found: false`,
 * anything passing (rate limit, 5xx, network) is `found: null` so the webhook can ask for a retry.
 */
export function createReceivedEmailFetcher(options: FetchReceivedEmailOptions): FetchReceivedEmail {
  const resend = new Resend(options.apiKey, options.apiBaseUrl ? { baseUrl: options.apiBaseUrl.replace(/\/+$/, '') } : undefined);
  const timeoutMs = options.timeoutMs ?? 15_000;
  return async (emailId) => {
    try {
      const { data, error } = await resend.emails.receiving.get(emailId, {}, { signal: AbortSignal.timeout(timeoutMs) });
      if (error || !data) {
        const status = (error as { statusCode?: number | null } | null)?.statusCode ?? null;
        if (status === 404) return { found: false };
        return { found: null, error: error?.message ?? 'Resend answered without the email' };
      }
      return { found: true, text: data.text ?? null, html: data.html ?? null, headers: data.headers ?? null, replyTo: data.reply_to ?? null };
    } catch (err) {
      return { found: null, error: err instanceof Error ? err.message : String(err) };
    }
  };
}
