import { createTwilioClient, type TwilioAccess } from './createTwilioClient.js';

/** What Twilio's Messages API says about one message now (GET /Messages/{sid}.json). */
export type FetchedTwilioMessage =
  | { found: true; sid: string; status: string; errorCode: string | null; errorMessage: string | null; updatedAt: Date | null }
  | { found: false; sid: string }
  | { found: null; sid: string; error: string };

export type FetchTwilioMessage = (sid: string) => Promise<FetchedTwilioMessage>;

export interface FetchTwilioMessageOptions extends TwilioAccess {
  timeoutMs?: number;
}

/**
 * Reads a message's current status from Twilio (the delivery reconciliation job asks for messages
 * whose final status callback never came). Never throws: a 404 is `found: false` (the message is
 * gone from the account), a network or server failure is `found: null` (try again later).
 */
export function createTwilioMessageFetcher(options: FetchTwilioMessageOptions): FetchTwilioMessage {
  const client = createTwilioClient(options, { timeoutMs: options.timeoutMs ?? 15_000 });
  return async (sid) => {
    try {
      const m = await client.messages(sid).fetch();
      return {
        found: true,
        sid: m.sid,
        status: m.status,
        errorCode: m.errorCode != null ? String(m.errorCode) : null,
        errorMessage: m.errorMessage ?? null,
        updatedAt: m.dateUpdated ?? null,
      };
    } catch (err) {
      const e = err as { status?: unknown; message?: unknown };
      if (e.status === 404) return { found: false, sid };
      return { found: null, sid, error: typeof e.message === 'string' ? e.message : String(err) };
    }
  };
}
