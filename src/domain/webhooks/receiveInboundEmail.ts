import type { Tx } from '../../db/tx.js';
import { findOrCreateClient } from '../clients/findOrCreateClient.js';
import { createOrGetConversation } from '../conversations/createOrGetConversation.js';
import type { Deps } from '../deps.js';
import { UnavailableError } from '../errors.js';
import { appendMessage } from '../messages/appendMessage.js';
import { parseEmailAddress, splitDisplayName } from '../contacts/parseEmailAddress.js';
import { runTransaction } from '../../db/transaction.js';
import { lockKey } from '../../db/sql/locks.js';
import { selectEmailLocation } from '../../db/sql/selectEmailLocation.js';

export interface InboundEmail {
  /** Resend's id of the received email (data.email_id): stored once. */
  emailId: string;
  /** svix-id of the webhook delivery. */
  deliveryId: string;
  from: string;
  to: string[];
  cc: string[];
  /** Addresses the email was delivered to (Resend's received_for; catches Bcc and forwarding). */
  receivedFor: string[];
  subject: string | null;
  /** The RFC 5322 Message-ID header, for threading replies. */
  messageIdHeader: string | null;
  attachments: Record<string, unknown>[];
  occurredAt: Date;
}

export type InboundEmailResult =
  | { outcome: 'stored'; businessId: string; messageId: string; conversationId: string; clientId: string; clientCreated: boolean; bodyFetched: boolean }
  | { outcome: 'duplicate'; businessId: string; messageId: string }
  | { outcome: 'unrouted' | 'no_sender' };

/**
 * An email a client sent to a location's address (Location.emailFrom): threaded to the client by
 * the sender's address (a client is created for an unknown sender) in that location's
 * conversation, as an inbound message through appendMessage. Resend's webhook carries only the
 * metadata; the text and HTML are fetched from Resend's API first (a passing failure answers 503
 * so Resend delivers the webhook again). Deduplicated by Resend's email id.
 */
export async function receiveInboundEmail(deps: Deps, email: InboundEmail): Promise<InboundEmailResult> {
  const sender = parseEmailAddress(email.from);
  if (!sender) return { outcome: 'no_sender' };
  const recipients = [...email.to, ...email.cc, ...email.receivedFor].map((a) => parseEmailAddress(a)?.email).filter((a): a is string => Boolean(a));
  const location = await findEmailLocation(deps, recipients);
  if (!location) return { outcome: 'unrouted' };
  const seen = await findStored(deps.prisma, email.emailId);
  if (seen) return { outcome: 'duplicate', ...seen };

  const fetcher = deps.webhooks?.fetchReceivedEmail ?? null;
  const content = fetcher ? await fetcher(email.emailId) : null;
  if (content?.found === null) {
    throw new UnavailableError('EMAIL_CONTENT_UNAVAILABLE', `Could not fetch received email ${email.emailId} from Resend (${content.error}); answer 503 so Resend retries the webhook.`);
  }
  const text = content?.found ? (content.text ?? htmlToText(content.html)) : null;
  const html = content?.found ? content.html : null;
  const { firstName, lastName } = splitDisplayName(sender.name);

  return runTransaction(
    deps,
    async (tx): Promise<InboundEmailResult> => {
      await lockKey(tx.sql, `omega_record:resend:${email.emailId}`);
      const again = await findStored(tx.prisma, email.emailId);
      if (again) return { outcome: 'duplicate', ...again };
      const { client, created } = await findOrCreateClient(tx, { businessId: location.businessId, email: sender.email, firstName, lastName, homeLocationId: location.id });
      const { conversation } = await createOrGetConversation(tx, { businessId: location.businessId, clientId: client.id, locationId: location.id });
      const message = await appendMessage(tx, {
        businessId: location.businessId,
        conversationId: conversation.id,
        clientId: client.id,
        locationId: location.id,
        channel: 'email',
        direction: 'inbound',
        status: 'received',
        subject: email.subject,
        body: text,
        html,
        fromAddress: sender.email,
        toAddress: location.emailFrom,
        provider: 'resend',
        providerMessageId: email.emailId,
        createdAt: email.occurredAt,
        metadata: {
          fromName: sender.name,
          messageIdHeader: email.messageIdHeader,
          to: email.to,
          cc: email.cc,
          attachments: email.attachments,
          content: content === null ? 'not fetched: RESEND_API_KEY is not set' : content.found ? 'fetched' : 'not found at Resend',
          ...(content?.found && content.replyTo?.length ? { replyTo: content.replyTo } : {}),
        } as object,
      });
      await tx.prisma.messageEvent.create({
        data: {
          businessId: location.businessId,
          messageId: message.id,
          type: 'received',
          status: 'received',
          provider: 'resend',
          providerEventId: email.deliveryId,
          payload: { source: 'webhook', event: 'email.received' },
          occurredAt: email.occurredAt,
        },
      });
      return {
        outcome: 'stored',
        businessId: location.businessId,
        messageId: message.id,
        conversationId: conversation.id,
        clientId: client.id,
        clientCreated: created,
        bodyFetched: Boolean(content?.found),
      };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

async function findStored(db: Tx['prisma'] | Deps['prisma'], emailId: string): Promise<{ businessId: string; messageId: string } | null> {
  const m = await db.message.findUnique({ where: { provider_providerMessageId: { provider: 'resend', providerMessageId: emailId } }, select: { id: true, businessId: true } });
  return m ? { businessId: m.businessId, messageId: m.id } : null;
}

/** The location whose address received the email: the first recipient (To, then Cc, then delivered-for) that is one. */
async function findEmailLocation(deps: Deps, recipients: string[]): Promise<{ id: string; businessId: string; emailFrom: string } | null> {
  if (recipients.length === 0) return null;
  return selectEmailLocation(deps.sql, recipients);
}

/** A plain-text version of an HTML body for the preview and search (the HTML itself is kept). */
function htmlToText(html: string | null): string | null {
  if (!html) return null;
  const text = html
    .replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
  return text || null;
}
