// Rows -> REST JSON (snake_case), with the JSON schemas that describe them in /openapi.json.
import type { Client, Conversation, Location, Message, Staff } from '../src/generated/prisma/client.js';
import { isoDateTime, nullable } from './schemas.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const str = { type: 'string' } as const;
const nstr = nullable({ type: 'string' });
const ntime = nullable(isoDateTime);
const strList = { type: 'array', items: str } as const;

export const clientSummarySchema = {
  type: 'object',
  properties: {
    id: str, external_id: nstr, first_name: nstr, last_name: nstr, name: str, phones: strList, emails: strList,
    type: nstr, groups: strList, sms_opt_out: { type: 'boolean' }, email_suppressed: { type: 'boolean' },
  },
  required: ['id', 'name', 'phones', 'emails', 'groups', 'sms_opt_out', 'email_suppressed'],
} as const;

export function clientName(c: Pick<Client, 'firstName' | 'lastName' | 'phones' | 'emails'>): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.phones[0] || c.emails[0] || 'Unknown';
}

export const toClientSummary = (c: Client) => ({
  id: c.id, external_id: c.externalId, first_name: c.firstName, last_name: c.lastName, name: clientName(c),
  phones: c.phones, emails: c.emails, type: c.type, groups: c.groups, sms_opt_out: c.smsOptOut, email_suppressed: c.emailSuppressed,
});

export const staffSchema = {
  type: 'object',
  properties: {
    id: str, business_id: str, external_id: nstr, first_name: str, last_name: nstr, name: str, email: nstr, phone: nstr,
    role: nstr, active: { type: 'boolean' }, location_ids: strList, created_at: isoDateTime,
  },
  required: ['id', 'business_id', 'first_name', 'name', 'active', 'location_ids', 'created_at'],
} as const;

export const toStaff = (s: Staff) => ({
  id: s.id, business_id: s.businessId, external_id: s.externalId, first_name: s.firstName, last_name: s.lastName,
  name: [s.firstName, s.lastName].filter(Boolean).join(' '), email: s.email, phone: s.phone, role: s.role, active: s.active,
  location_ids: s.locationIds, created_at: s.createdAt.toISOString(),
});

export const messageSchema = {
  type: 'object',
  properties: {
    id: str, business_id: str, conversation_id: str, client_id: str, location_id: nstr,
    channel: { type: 'string', enum: ['sms', 'email', 'voice', 'note'] },
    direction: { type: 'string', enum: ['inbound', 'outbound', 'internal'] },
    status: str, body: nstr, subject: nstr, html: nstr, from: nstr, to: nstr,
    media: { type: 'array', items: { type: 'object', additionalProperties: true } },
    provider: nstr, provider_message_id: nstr, request_id: nstr, error_code: nstr, error_message: nstr,
    attempts: { type: 'integer' }, author_staff_id: nstr, mention_staff_ids: strList,
    scheduled_at: ntime, sent_at: ntime, delivered_at: ntime, read_at: ntime, failed_at: ntime, seen_at: ntime,
    is_read: { type: 'boolean' }, created_at: isoDateTime, updated_at: isoDateTime,
  },
  required: ['id', 'business_id', 'conversation_id', 'client_id', 'channel', 'direction', 'status', 'attempts', 'created_at'],
} as const;

export const toMessage = (m: Message) => ({
  id: m.id, business_id: m.businessId, conversation_id: m.conversationId, client_id: m.clientId, location_id: m.locationId,
  channel: m.channel, direction: m.direction, status: m.status, body: m.body, subject: m.subject, html: m.html,
  from: m.fromAddress, to: m.toAddress, media: Array.isArray(m.media) ? m.media : [], provider: m.provider,
  provider_message_id: m.providerMessageId, request_id: m.requestId, error_code: m.errorCode, error_message: m.errorMessage,
  attempts: m.attempts, author_staff_id: m.authorStaffId, mention_staff_ids: m.mentionStaffIds,
  scheduled_at: iso(m.scheduledAt), sent_at: iso(m.sentAt), delivered_at: iso(m.deliveredAt), read_at: iso(m.readAt),
  failed_at: iso(m.failedAt), seen_at: iso(m.seenAt), is_read: m.direction !== 'inbound' || m.seenAt !== null,
  created_at: m.createdAt.toISOString(), updated_at: m.updatedAt.toISOString(),
});

export const conversationSchema = {
  type: 'object',
  properties: {
    id: str, business_id: str, client_id: str, location_id: str,
    status: { type: 'string', enum: ['open', 'snoozed', 'archived'] }, snoozed_until: ntime,
    pinned: { type: 'boolean' }, muted: { type: 'boolean' }, unread_count: { type: 'integer' }, replied: { type: 'boolean' },
    assignee_id: nstr, last_message_preview: nstr, last_message_channel: nstr, last_message_direction: nstr,
    last_message_at: ntime, last_activity_at: isoDateTime, last_inbound_at: ntime, last_outbound_at: ntime,
    created_at: isoDateTime, updated_at: isoDateTime,
    client: nullable(clientSummarySchema),
    assignee: nullable({ type: 'object', properties: { id: str, name: str }, required: ['id', 'name'] }),
    last_message: nullable(messageSchema),
  },
  required: ['id', 'business_id', 'client_id', 'location_id', 'status', 'pinned', 'muted', 'unread_count', 'replied', 'last_activity_at', 'created_at'],
} as const;

export type ConversationWithRelations = Conversation & { client?: Client; assignee?: Staff | null; lastMessage?: Message | null };

/** The relations a REST conversation carries, loaded in the list's batch. */
export const conversationInclude = { include: { client: true, assignee: true, lastMessage: true } } as const;

export const toConversation = (c: ConversationWithRelations) => ({
  id: c.id, business_id: c.businessId, client_id: c.clientId, location_id: c.locationId, status: c.status,
  snoozed_until: iso(c.snoozedUntil), pinned: c.pinned, muted: c.muted, unread_count: c.unreadCount,
  replied: c.lastMessageDirection === 'outbound', assignee_id: c.assigneeId, last_message_preview: c.lastMessagePreview,
  last_message_channel: c.lastMessageChannel, last_message_direction: c.lastMessageDirection, last_message_at: iso(c.lastMessageAt),
  last_activity_at: c.lastActivityAt.toISOString(), last_inbound_at: iso(c.lastInboundAt), last_outbound_at: iso(c.lastOutboundAt),
  created_at: c.createdAt.toISOString(), updated_at: c.updatedAt.toISOString(),
  client: c.client ? toClientSummary(c.client) : null,
  assignee: c.assignee ? { id: c.assignee.id, name: [c.assignee.firstName, c.assignee.lastName].filter(Boolean).join(' ') } : null,
  last_message: c.lastMessage ? toMessage(c.lastMessage) : null,
});

export const locationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    business_id: { type: 'string' },
    external_id: nullable({ type: 'string' }),
    name: { type: 'string' },
    time_zone: nullable({ type: 'string' }),
    address: nullable({ type: 'string' }),
    sms_phone_number: nullable({ type: 'string' }),
    messaging_service_sid: nullable({ type: 'string' }),
    email_from: nullable({ type: 'string' }),
    email_from_name: nullable({ type: 'string' }),
    created_at: isoDateTime,
  },
  required: ['id', 'business_id', 'name', 'created_at'],
} as const;

export const toLocation = (l: Location) => ({
  id: l.id,
  business_id: l.businessId,
  external_id: l.externalId,
  name: l.name,
  time_zone: l.timeZone,
  address: l.address,
  sms_phone_number: l.smsPhoneNumber,
  messaging_service_sid: l.messagingServiceSid,
  email_from: l.emailFrom,
  email_from_name: l.emailFromName,
  created_at: l.createdAt.toISOString(),
});
