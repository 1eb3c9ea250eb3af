import type { Tx } from '../../db/tx.js';
import { applySmsKeyword } from '../clients/applySmsKeyword.js';
import { findOrCreateClient } from '../clients/findOrCreateClient.js';
import { normalizePhone } from '../contacts/normalizePhone.js';
import { createOrGetConversation } from '../conversations/createOrGetConversation.js';
import type { Deps } from '../deps.js';
import { appendMessage } from '../messages/appendMessage.js';
import { findSmsLocation } from './findSmsLocation.js';
import { smsKeyword, type SmsKeyword } from './smsKeyword.js';
import { runTransaction } from '../../db/transaction.js';
import { isUniqueViolation } from '../../db/isUniqueViolation.js';
import { lockKey } from '../../db/sql/locks.js';

export interface InboundSms {
  /** Twilio's MessageSid (SM... / MM...): an SMS is stored once per sid. */
  messageSid: string;
  from: string;
  to: string;
  body: string | null;
  messagingServiceSid: string | null;
  media: { url: string; contentType: string | null }[];
  /** STOP / START / HELP when Twilio's Advanced Opt-Out recognised a keyword. */
  optOutType: string | null;
  /** Whatever else the provider told us (segments, sender city...), kept on the message. */
  details: Record<string, string>;
  /** The webhook's fields as received, kept as the message's `received` event. */
  payload: Record<string, unknown>;
}

export type InboundSmsResult =
  | {
      outcome: 'stored';
      businessId: string;
      messageId: string;
      conversationId: string;
      clientId: string;
      clientCreated: boolean;
      keyword: SmsKeyword | null;
      smsOptOut: boolean;
      consentChanged: boolean;
    }
  | { outcome: 'duplicate'; businessId: string; messageId: string }
  | { outcome: 'unrouted' };

/**
 * An SMS or MMS a client sent to one of the business's numbers: routed to its location by the
 * receiving number (or messaging service), attached to the sender's client (created for an unknown
 * number) and conversation (created, or reopened by appendMessage), stored with its media, and
 * published to the inbox, in one transaction. A repeated webhook for the same MessageSid stores
 * nothing. STOP/START keywords change the client's SMS consent in the same transaction, which shows
 * as a client.updated event in the conversation; HELP is recorded on the message.
 */
export async function receiveInboundSms(deps: Deps, sms: InboundSms): Promise<InboundSmsResult> {
  const from = normalizePhone(sms.from, deps.phoneRegion) ?? sms.from.trim();
  const to = normalizePhone(sms.to, deps.phoneRegion) ?? sms.to.trim();
  const keyword = smsKeyword(sms.body, sms.optOutType);
  const at = deps.clock.now();
  try {
    return await runTransaction(deps, (tx) => store(tx, sms, { from, to, keyword, at }), { timeout: 30_000, maxWait: 10_000 });
  } catch (err) {
    // Two deliveries of one MessageSid racing past the lock's read (another path storing the same
    // sid without the lock): the unique (provider, provider_message_id) index keeps one.
    if (!isUniqueViolation(err)) throw err;
    const found = await deps.prisma.message.findUnique({ where: { provider_providerMessageId: { provider: 'twilio', providerMessageId: sms.messageSid } }, select: { id: true, businessId: true } });
    if (!found) throw err;
    return { outcome: 'duplicate', businessId: found.businessId, messageId: found.id };
  }
}

async function store(tx: Tx, sms: InboundSms, c: { from: string; to: string; keyword: SmsKeyword | null; at: Date }): Promise<InboundSmsResult> {
  // The same lock key as recordMessage, so a REST record of the same Twilio sid waits for us.
  await lockKey(tx.sql, `omega_record:twilio:${sms.messageSid}`);
  const seen = await tx.prisma.message.findUnique({ where: { provider_providerMessageId: { provider: 'twilio', providerMessageId: sms.messageSid } }, select: { id: true, businessId: true } });
  if (seen) return { outcome: 'duplicate', businessId: seen.businessId, messageId: seen.id };

  const route = await findSmsLocation(tx, { to: c.to, messagingServiceSid: sms.messagingServiceSid, from: c.from });
  if (!route) return { outcome: 'unrouted' };
  const { businessId, locationId } = route;
  const { client, created } = await findOrCreateClient(tx, { businessId, phone: c.from, homeLocationId: locationId });
  const { conversation } = await createOrGetConversation(tx, { businessId, clientId: client.id, locationId });
  const message = await appendMessage(tx, {
    businessId,
    conversationId: conversation.id,
    clientId: client.id,
    locationId,
    channel: 'sms',
    direction: 'inbound',
    status: 'received',
    body: sms.body,
    media: sms.media,
    fromAddress: c.from,
    toAddress: c.to,
    provider: 'twilio',
    providerMessageId: sms.messageSid,
    createdAt: c.at,
    metadata: { ...sms.details, routedBy: route.via, ...(c.keyword ? { keyword: c.keyword.toUpperCase() } : {}) },
  });
  await tx.prisma.messageEvent.create({
    data: {
      businessId,
      messageId: message.id,
      type: 'received',
      status: 'received',
      provider: 'twilio',
      providerEventId: `${sms.messageSid}:received`,
      payload: { source: 'webhook', keyword: c.keyword, params: sms.payload } as object,
      occurredAt: c.at,
    },
  });
  const consent = await applySmsKeyword(tx, { businessId, clientId: client.id, conversationId: conversation.id, messageId: message.id, keyword: c.keyword, at: c.at });
  return {
    outcome: 'stored',
    businessId,
    messageId: message.id,
    conversationId: conversation.id,
    clientId: client.id,
    clientCreated: created,
    keyword: c.keyword,
    smsOptOut: consent.smsOptOut ?? client.smsOptOut,
    consentChanged: consent.changed,
  };
}
