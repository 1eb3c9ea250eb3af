import type { MessageStatus } from '../../generated/prisma/enums.js';
import type { Tx } from '../../db/tx.js';
import { findOrCreateClient } from '../clients/findOrCreateClient.js';
import { parseEmailAddress, splitDisplayName } from '../contacts/parseEmailAddress.js';
import { normalizePhone } from '../contacts/normalizePhone.js';
import { createOrGetConversation } from '../conversations/createOrGetConversation.js';
import { actingStaffId, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { assertOptionalUuid } from '../ids.js';
import { appendMessage } from '../messages/appendMessage.js';
import { runTransaction } from '../../db/transaction.js';
import { applySmsKeyword } from '../clients/applySmsKeyword.js';
import { smsKeyword } from '../webhooks/smsKeyword.js';
import { lockKey } from '../../db/sql/locks.js';
import { phoneRegionFor } from '../businesses/phoneRegionFor.js';

export interface RecordMessageInput {
  /** Who asks: a session records as its own staff member (actingStaffId). */
  principal: Principal | null;
  businessId: string;
  channel: 'sms' | 'email' | 'voice';
  direction: 'inbound' | 'outbound';
  /** Default: `received` inbound, `sent` outbound. */
  status?: MessageStatus | null;
  /** The client's side is `from` inbound and `to` outbound; the other side is the business's. */
  from?: string | null;
  to?: string | null;
  clientId?: string | null;
  clientExternalId?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  /** Default: the location whose number (or address) is the business's side, else the usual default. */
  locationId?: string | null;
  locationExternalId?: string | null;
  conversationId?: string | null;
  body?: string | null;
  subject?: string | null;
  html?: string | null;
  mediaUrls?: string[] | null;
  /** Who carried it (default `external`); with providerMessageId, the record is made once. */
  provider?: string | null;
  providerMessageId?: string | null;
  requestId?: string | null;
  occurredAt?: Date | null;
  authorStaffId?: string | null;
  /** Inbound only: already read by the business (not counted as unread). */
  seen?: boolean | null;
  metadata?: Record<string, unknown> | null;
}

export interface RecordResult {
  messageId: string;
  conversationId: string;
  clientId: string;
  status: MessageStatus;
  /** false: a message with this provider and provider_message_id was recorded before; it is returned unchanged. */
  created: boolean;
}

const OUTBOUND_STATUSES: MessageStatus[] = ['queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled'];

/**
 * Stores a message that was sent or received elsewhere (nothing is sent) through appendMessage,
 * with its conversation resolved the same way as sends. Deduplicated by (provider,
 * provider_message_id), also under concurrent calls (an advisory lock, then the unique index).
 */
export async function recordMessage(deps: Deps, input: RecordMessageInput): Promise<RecordResult> {
  const issues: FieldIssue[] = [];
  const phoneRegion = input.channel === 'email' ? deps.phoneRegion : await phoneRegionFor(deps, input.businessId, [input.from, input.to]);
  // An email address may come with a display name (`Rosa Mitchell <rosa@example.com>`), read as the
  // email webhooks read it; the client's side names a new client when no name is given.
  const address = (value: string | null | undefined, field: 'from' | 'to'): { address: string | null; name: string | null } => {
    if (value == null || value === '') return { address: null, name: null };
    if (input.channel === 'email') {
      const parsed = parseEmailAddress(value);
      if (!parsed) issues.push({ type: 'value_error', loc: [field], msg: 'Not an email address (name@example.com or Name <name@example.com>)', input: value });
      return { address: parsed?.email ?? null, name: parsed?.name ?? null };
    }
    const phone = normalizePhone(value, phoneRegion);
    if (!phone) issues.push({ type: 'value_error', loc: [field], msg: 'Not a phone number', input: value });
    return { address: phone, name: null };
  };
  const fromParsed = address(input.from, 'from');
  const toParsed = address(input.to, 'to');
  const from = fromParsed.address;
  const to = toParsed.address;
  const status = input.status ?? (input.direction === 'inbound' ? 'received' : 'sent');
  if (input.direction === 'inbound' && status !== 'received') issues.push({ type: 'enum', loc: ['status'], msg: "An inbound message's status is 'received'", input: status });
  if (input.direction === 'outbound' && !OUTBOUND_STATUSES.includes(status))
    issues.push({ type: 'enum', loc: ['status'], msg: `An outbound message's status is one of ${OUTBOUND_STATUSES.join(', ')}`, input: status });
  const hasContent = Boolean(input.body?.trim() || input.subject?.trim() || input.html?.trim() || input.mediaUrls?.length) || input.channel === 'voice';
  if (!hasContent) issues.push({ type: 'missing', loc: ['body'], msg: 'The message is empty' });
  assertOptionalUuid(input.clientId, ['clientId']);
  assertOptionalUuid(input.locationId, ['locationId']);
  assertOptionalUuid(input.conversationId, ['conversationId']);
  assertOptionalUuid(input.authorStaffId, ['authorStaffId']);
  const authorStaffId = actingStaffId(input.principal, input.authorStaffId);
  const clientAddress = input.direction === 'inbound' ? from : to;
  const businessAddress = input.direction === 'inbound' ? to : from;
  const clientField = input.direction === 'inbound' ? 'from' : 'to';
  // An address that was given but is not one has its own issue above; this one is for none at all.
  if (!input[clientField] && !input.clientId && !input.clientExternalId && !input.conversationId) {
    issues.push({ type: 'missing', loc: [clientField], msg: 'Name the client: its address, client_id, client_external_id or conversation_id' });
  }
  if (issues.length) throw new ValidationError(issues);

  const provider = input.providerMessageId ? (input.provider ?? 'external') : (input.provider ?? null);
  const at = input.occurredAt ?? deps.clock.now();
  return runTransaction(
    deps,
    async (tx) => {
      if (input.providerMessageId) {
        await lockKey(tx.sql, `omega_record:${provider}:${input.providerMessageId}`);
        const found = await tx.prisma.message.findUnique({ where: { provider_providerMessageId: { provider: provider!, providerMessageId: input.providerMessageId } } });
        if (found) {
          if (found.businessId !== input.businessId) {
            throw new ConflictError('PROVIDER_MESSAGE_ID_TAKEN', `provider_message_id ${JSON.stringify(input.providerMessageId)} of ${provider} belongs to a message of another business.`);
          }
          return { messageId: found.id, conversationId: found.conversationId, clientId: found.clientId, status: found.status, created: false };
        }
      }
      if (authorStaffId && !(await tx.prisma.staff.findFirst({ where: { id: authorStaffId, businessId: input.businessId }, select: { id: true } }))) {
        throw new NotFoundError('STAFF_NOT_FOUND', `No staff member ${authorStaffId} in business ${JSON.stringify(input.businessId)}.`);
      }
      const displayName = input.firstName == null && input.lastName == null ? splitDisplayName((input.direction === 'inbound' ? fromParsed : toParsed).name) : {};
      const { conversationId, clientId, locationId } = await resolveConversation(tx, { ...input, ...displayName }, clientAddress, businessAddress);
      const delivered = status === 'delivered' || status === 'read';
      const message = await appendMessage(tx, {
        businessId: input.businessId,
        conversationId,
        clientId,
        locationId,
        channel: input.channel,
        direction: input.direction,
        status,
        body: input.body ?? null,
        subject: input.subject ?? null,
        html: input.html ?? null,
        media: (input.mediaUrls ?? []).map((url) => ({ url, contentType: null })),
        fromAddress: from,
        toAddress: to,
        provider,
        providerMessageId: input.providerMessageId ?? null,
        requestId: input.requestId ?? null,
        authorStaffId: authorStaffId,
        createdAt: at,
        sentAt: status === 'sent' || delivered ? at : null,
        deliveredAt: delivered ? at : null,
        readAt: status === 'read' ? at : null,
        failedAt: status === 'failed' || status === 'undelivered' || status === 'canceled' ? at : null,
        seenAt: input.direction === 'inbound' && input.seen ? at : null,
        metadata: (input.metadata ?? {}) as object,
      });
      await tx.prisma.messageEvent.create({
        data: { businessId: input.businessId, messageId: message.id, type: 'recorded', status, provider, payload: { source: 'api' }, occurredAt: at },
      });
      // An inbound STOP/START recorded here (received by another system) changes consent as the webhook would.
      if (input.channel === 'sms' && input.direction === 'inbound') {
        await applySmsKeyword(tx, { businessId: input.businessId, clientId, conversationId, messageId: message.id, keyword: smsKeyword(input.body ?? null), at });
      }
      return { messageId: message.id, conversationId, clientId, status: message.status, created: true };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

async function resolveConversation(
  tx: Tx,
  input: RecordMessageInput,
  clientAddress: string | null,
  businessAddress: string | null,
): Promise<{ conversationId: string; clientId: string; locationId: string }> {
  if (input.conversationId) {
    const conversation = await tx.prisma.conversation.findFirst({ where: { id: input.conversationId, businessId: input.businessId } });
    if (!conversation) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${input.conversationId} in business ${JSON.stringify(input.businessId)}.`);
    return { conversationId: conversation.id, clientId: conversation.clientId, locationId: conversation.locationId };
  }
  const email = input.channel === 'email';
  const { client } = await findOrCreateClient(tx, {
    businessId: input.businessId,
    clientId: input.clientId,
    externalId: input.clientExternalId,
    ...(email ? { email: clientAddress } : { phone: clientAddress }),
    firstName: input.firstName,
    lastName: input.lastName,
  });
  let locationId = input.locationId ?? null;
  if (!locationId && input.locationExternalId) {
    const location = await tx.prisma.location.findUnique({ where: { businessId_externalId: { businessId: input.businessId, externalId: input.locationExternalId } }, select: { id: true } });
    if (!location) throw new NotFoundError('LOCATION_NOT_FOUND', `No location with external id ${JSON.stringify(input.locationExternalId)} in business ${JSON.stringify(input.businessId)}.`);
    locationId = location.id;
  }
  if (!locationId && businessAddress) {
    const location = await tx.prisma.location.findFirst({
      where: { businessId: input.businessId, ...(email ? { emailFrom: { equals: businessAddress, mode: 'insensitive' } } : { smsPhoneNumber: businessAddress }) },
      select: { id: true },
    });
    locationId = location?.id ?? null;
  }
  const { conversation } = await createOrGetConversation(tx, { businessId: input.businessId, clientId: client.id, locationId });
  return { conversationId: conversation.id, clientId: client.id, locationId: conversation.locationId };
}
