import type { MessageStatus } from '../../generated/prisma/enums.js';
import { findOrCreateClient } from '../clients/findOrCreateClient.js';
import { normalizeEmail } from '../contacts/normalizeEmail.js';
import { normalizePhone } from '../contacts/normalizePhone.js';
import { addNote } from '../conversations/addNote.js';
import { createOrGetConversation } from '../conversations/createOrGetConversation.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { assertOptionalUuid } from '../ids.js';
import type { SmsSegments } from './countSmsSegments.js';
import type { RecipientInput } from './sendRequest.js';
import { queueEmail } from './queueEmail.js';
import { queueSms } from './queueSms.js';
import { recordEmail } from './recordEmail.js';
import { recordSms } from './recordSms.js';
import { recordMessage } from './recordMessage.js';
import { runTransaction } from '../../db/transaction.js';
import { phoneRegionFor } from '../businesses/phoneRegionFor.js';

export interface ProcessMessageInput {
  /** Who asks: handed to the operation chosen, which decides the acting staff member. */
  principal: Principal | null;
  businessId: string;
  channel: 'sms' | 'email' | 'voice' | 'note';
  /** Default: outbound (internal for notes). */
  direction?: 'inbound' | 'outbound' | 'internal' | null;
  /** Default: send for outbound SMS and email, record for everything else. */
  mode?: 'send' | 'record' | null;
  to?: string | null;
  from?: string | null;
  recipients?: RecipientInput[] | null;
  clientId?: string | null;
  clientExternalId?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  conversationId?: string | null;
  locationId?: string | null;
  locationExternalId?: string | null;
  body?: string | null;
  subject?: string | null;
  html?: string | null;
  mediaUrls?: string[] | null;
  status?: MessageStatus | null;
  provider?: string | null;
  providerMessageId?: string | null;
  requestId?: string | null;
  sendAt?: Date | null;
  bypassQuietHours?: boolean | null;
  occurredAt?: Date | null;
  seen?: boolean | null;
  staffId?: string | null;
  mentionStaffIds?: string[] | null;
  metadata?: Record<string, unknown> | null;
}

export interface ProcessedMessage {
  messageId: string;
  conversationId: string;
  clientId: string;
  status: MessageStatus;
  created: boolean;
}

export interface ProcessResult {
  mode: 'send' | 'record';
  channel: ProcessMessageInput['channel'];
  direction: 'inbound' | 'outbound' | 'internal';
  requestId: string | null;
  messages: ProcessedMessage[];
  segments: SmsSegments | null;
}

/**
 * One entry for a message of any channel, in either direction, sent or recorded: it decides which
 * operation applies and hands over to it (queueSms, queueEmail, recordSms, recordEmail,
 * recordMessage for calls, addNote for notes), so every path keeps its own guarantees.
 */
export async function processMessage(deps: Deps, input: ProcessMessageInput): Promise<ProcessResult> {
  const direction = input.direction ?? (input.channel === 'note' ? 'internal' : 'outbound');
  const mode = input.mode ?? (direction === 'outbound' && (input.channel === 'sms' || input.channel === 'email') ? 'send' : 'record');
  const invalid = (loc: string, msg: string, value: unknown) => new ValidationError([{ type: 'value_error', loc: [loc], msg, input: value }]);
  if (input.channel === 'note' && direction !== 'internal') throw invalid('direction', "A note's direction is 'internal'", direction);
  if (input.channel !== 'note' && direction === 'internal') throw invalid('direction', "Only notes are 'internal'; use inbound or outbound", direction);
  if (mode === 'send' && (direction !== 'outbound' || (input.channel !== 'sms' && input.channel !== 'email'))) {
    throw invalid('mode', 'Only outbound SMS and email can be sent; record the others (mode "record")', mode);
  }
  const base = { mode, channel: input.channel, direction, requestId: input.requestId ?? null, segments: null } as const;

  if (input.channel === 'note') {
    if (!input.body?.trim()) throw new ValidationError([{ type: 'missing', loc: ['body'], msg: 'A note needs a body' }]);
    const conversationId = input.conversationId ?? (await conversationOf(deps, input));
    const note = await addNote(deps, {
      principal: input.principal,
      businessId: input.businessId,
      conversationId,
      body: input.body,
      authorStaffId: input.staffId,
      mentionStaffIds: input.mentionStaffIds ?? [],
    });
    return { ...base, messages: [{ messageId: note.id, conversationId: note.conversationId, clientId: note.clientId, status: note.status, created: true }] };
  }

  if (mode === 'send') {
    const target = await sendTarget(deps, input);
    const common = {
      principal: input.principal,
      businessId: input.businessId,
      recipients: target.recipients,
      locationId: target.locationId,
      locationExternalId: input.locationExternalId,
      requestId: input.requestId,
      sendAt: input.sendAt,
      bypassQuietHours: input.bypassQuietHours ?? false,
      authorStaffId: input.staffId,
      metadata: input.metadata,
    };
    const result =
      input.channel === 'sms'
        ? await queueSms(deps, { ...common, body: input.body ?? '', mediaUrls: input.mediaUrls })
        : await queueEmail(deps, { ...common, subject: input.subject ?? '', html: input.html, text: input.body });
    return {
      ...base,
      requestId: result.requestId,
      segments: 'segments' in result ? (result.segments as SmsSegments) : null,
      messages: result.messages.map((m) => ({ messageId: m.messageId, conversationId: m.conversationId, clientId: m.clientId, status: m.status as MessageStatus, created: m.created })),
    };
  }

  const record = {
    principal: input.principal,
    businessId: input.businessId,
    direction: direction as 'inbound' | 'outbound',
    status: input.status,
    from: input.from,
    to: input.to,
    clientId: input.clientId,
    clientExternalId: input.clientExternalId,
    firstName: input.firstName,
    lastName: input.lastName,
    locationId: input.locationId,
    locationExternalId: input.locationExternalId,
    conversationId: input.conversationId,
    provider: input.provider,
    providerMessageId: input.providerMessageId,
    requestId: input.requestId,
    occurredAt: input.occurredAt,
    authorStaffId: input.staffId,
    seen: input.seen,
    metadata: input.metadata,
  };
  const recorded =
    input.channel === 'sms'
      ? await recordSms(deps, { ...record, body: input.body, mediaUrls: input.mediaUrls })
      : input.channel === 'email'
        ? await recordEmail(deps, { ...record, subject: input.subject, html: input.html, text: input.body })
        : await recordMessage(deps, { ...record, channel: 'voice', body: input.body });
  return { ...base, messages: [recorded] };
}

/** Who a send goes to: the recipients given, or the client of a conversation (at its location). */
async function sendTarget(deps: Deps, input: ProcessMessageInput): Promise<{ recipients: RecipientInput[]; locationId: string | null | undefined }> {
  if (input.recipients?.length) return { recipients: input.recipients, locationId: input.locationId };
  if (input.to || input.clientId || input.clientExternalId) {
    return { recipients: [{ to: input.to, clientId: input.clientId, clientExternalId: input.clientExternalId, firstName: input.firstName, lastName: input.lastName }], locationId: input.locationId };
  }
  if (input.conversationId) {
    assertOptionalUuid(input.conversationId, ['conversationId']);
    const conversation = await deps.prisma.conversation.findFirst({ where: { id: input.conversationId, businessId: input.businessId }, select: { clientId: true, locationId: true } });
    if (!conversation) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${input.conversationId} in business ${JSON.stringify(input.businessId)}.`);
    return { recipients: [{ clientId: conversation.clientId }], locationId: input.locationId ?? conversation.locationId };
  }
  throw new ValidationError([{ type: 'missing', loc: ['to'], msg: 'Name the recipient: to, recipients, client_id, client_external_id or conversation_id' }]);
}

/** A note without conversation_id goes to the named client's conversation (created if needed). */
async function conversationOf(deps: Deps, input: ProcessMessageInput): Promise<string> {
  assertOptionalUuid(input.clientId, ['clientId']);
  assertOptionalUuid(input.locationId, ['locationId']);
  const phone = input.to ? normalizePhone(input.to, await phoneRegionFor(deps, input.businessId, [input.to])) : null;
  const email = !phone && input.to ? normalizeEmail(input.to) : null;
  if (!input.clientId && !input.clientExternalId && !phone && !email) {
    throw new ValidationError([{ type: 'missing', loc: ['conversationId'], msg: 'Name the conversation (conversation_id) or its client (client_id, client_external_id, or a phone/email in "to")' }]);
  }
  return runTransaction(deps, async (tx) => {
    const { client } = await findOrCreateClient(tx, { businessId: input.businessId, clientId: input.clientId, externalId: input.clientExternalId, phone, email });
    const { conversation } = await createOrGetConversation(tx, { businessId: input.businessId, clientId: client.id, locationId: input.locationId });
    return conversation.id;
  });
}
