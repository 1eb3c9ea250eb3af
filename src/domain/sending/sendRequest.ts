// What a send request is, from the caller's input to what it queued: the types queueOutbound,
// queueBatch and the adapters share (types only, so the send path imports one way).
import type { Principal } from '../auth/principal.js';
import type { ParsedTemplate } from '../savedReplies/template.js';

/** One recipient: an address, or a client (Omega id or the caller's external id), or both. */
export interface RecipientInput {
  to?: string | null;
  clientId?: string | null;
  clientExternalId?: string | null;
  /** Used only when the client is created (first contact). */
  firstName?: string | null;
  lastName?: string | null;
}

export interface QueueOutboundInput {
  /** Who asks: a session sends as its own staff member (actingStaffId). */
  principal: Principal | null;
  businessId: string;
  channel: 'sms' | 'email';
  recipients: RecipientInput[];
  content: { body: string | null; subject: string | null; html: string | null; media: { url: string; contentType?: string | null }[] };
  locationId?: string | null;
  locationExternalId?: string | null;
  /** The caller's correlation id: the same request to the same recipient makes one message, ever. */
  requestId?: string | null;
  sendAt?: Date | null;
  bypassQuietHours?: boolean;
  /** The staff member sending (a session: its own, given or not). */
  authorStaffId?: string | null;
  metadata?: Record<string, unknown> | null;
  /**
   * A saved reply to send: its body (and, for email, subject) are templates rendered for each
   * recipient with its own client, location, the sending staff member and the business. A body or
   * subject given in `content` replaces the reply's and is a template too (the composer's edited text).
   */
  templateId?: string | null;
  /** The campaign this send is part of (src/domain/campaigns): stored on each message (messages.campaign_id). */
  campaignId?: string | null;
  /**
   * Pacing priority (README "Pacing"): `conversation` (one-to-one) jobs run before `bulk` ones
   * (graphile-worker priority 0 and 1), and bulk jobs to a paced sender are spread out when queued.
   * Default: `conversation` for one recipient, `bulk` for more (campaigns pass `bulk`).
   */
  traffic?: 'conversation' | 'bulk';
}

/** A saved reply resolved once per request: its templates parsed, the values every recipient shares. */
export interface ResolvedTemplate {
  id: string;
  body: ParsedTemplate;
  subject: ParsedTemplate | null;
  businessName: string;
  staffFirstName: string | null;
}

export interface QueuedMessage {
  messageId: string;
  conversationId: string;
  clientId: string;
  to: string;
  status: string;
  scheduledAt: Date | null;
  /** false: this recipient was already sent to under the same request_id; the existing message is returned. */
  created: boolean;
}

export interface QueueResult {
  requestId: string | null;
  messages: QueuedMessage[];
  /** With a template: the body each new message got (what was stored and is sent). */
  renderedBodies?: string[];
}

export type NormalisedRecipient = RecipientInput & { to: string | null; loc: (string | number)[] };

/** One validated send request. */
export interface QueueItem {
  /** The request, its acting staff member already decided (authorStaffId). */
  input: Omit<QueueOutboundInput, 'principal'>;
  recipients: NormalisedRecipient[];
  now: Date;
  /** The saved reply of a templated send, resolved once for the request. */
  template?: ResolvedTemplate | null;
}
