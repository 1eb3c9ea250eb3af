// What the sandbox SMS provider accepted, kept so it can answer the check after an interrupted send
// (listSent) as Twilio does. Kept before the send answers: the database (src/db/sql/insertSandboxSms.ts,
// wired by createDeps) survives a crash of the worker that sent; the in-memory one is for a channel
// without a database and forgets everything with its process.

export interface SandboxSms {
  sid: string;
  businessId: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  numMedia: number;
  /** Set by the outbox when it keeps the message (the database's clock for the database one). */
  createdAt?: Date;
}

export interface SandboxOutbox {
  /** Keeps an accepted message; resolves once it is durable. */
  add(sms: SandboxSms): Promise<void>;
  /** The business's messages to `to` created on or after `since`, newest first. */
  list(query: { businessId: string; to: string; since: Date }): Promise<Required<SandboxSms>[]>;
}

export function createMemorySandboxOutbox(): SandboxOutbox {
  const kept: Required<SandboxSms>[] = [];
  return {
    async add(sms) {
      kept.push({ ...sms, createdAt: new Date() });
    },
    async list({ businessId, to, since }) {
      return kept.filter((s) => s.businessId === businessId && s.to === to && s.createdAt >= since).reverse();
    },
  };
}
