// The public JSON shape (snake_case) of clients, messages and conversations: what REST answers and
// what inbox events carry to webhooks and the event feed (serializeInboxEvent). rest-compat's
// representations.ts holds their JSON schemas for /openapi.json; a test keeps the two in step.
import type { Client, Conversation, Label, Message, Staff } from '../../generated/prisma/client.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function clientName(c: Pick<Client, 'firstName' | 'lastName' | 'phones' | 'emails'>): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.phones[0] || c.emails[0] || 'Unknown';
}

export const toClientSummary = (c: Client) => ({
  id: c.id,
  external_id: c.externalId,
  first_name: c.firstName,
  last_name: c.lastName,
  name: clientName(c),
  phones: c.phones,
  emails: c.emails,
  type: c.type,
  groups: c.groups,
  sms_opt_out: c.smsOptOut,
  email_suppressed: c.emailSuppressed,
});

export const toClient = (c: Client) => ({
  ...toClientSummary(c),
  business_id: c.businessId,
  home_location_id: c.homeLocationId,
  sms_opt_out_at: c.smsOptOutAt?.toISOString() ?? null,
  email_suppressed_at: c.emailSuppressedAt?.toISOString() ?? null,
  email_suppression_reason: c.emailSuppressionReason,
  metadata: c.metadata && typeof c.metadata === 'object' && !Array.isArray(c.metadata) ? c.metadata : {},
  notes: c.notes ?? null,
  merged_into_id: c.mergedIntoId ?? null,
  merged_at: c.mergedAt?.toISOString() ?? null,
  created_at: c.createdAt.toISOString(),
});

export const toMessage = (m: Message) => ({
  id: m.id,
  business_id: m.businessId,
  conversation_id: m.conversationId,
  client_id: m.clientId,
  location_id: m.locationId,
  channel: m.channel,
  direction: m.direction,
  status: m.status,
  body: m.body,
  subject: m.subject,
  html: m.html,
  from: m.fromAddress,
  to: m.toAddress,
  media: Array.isArray(m.media) ? m.media : [],
  provider: m.provider,
  provider_message_id: m.providerMessageId,
  request_id: m.requestId,
  error_code: m.errorCode,
  error_message: m.errorMessage,
  attempts: m.attempts,
  author_staff_id: m.authorStaffId,
  mention_staff_ids: m.mentionStaffIds,
  scheduled_at: iso(m.scheduledAt),
  sent_at: iso(m.sentAt),
  delivered_at: iso(m.deliveredAt),
  read_at: iso(m.readAt),
  failed_at: iso(m.failedAt),
  seen_at: iso(m.seenAt),
  is_read: m.direction !== 'inbound' || m.seenAt !== null,
  created_at: m.createdAt.toISOString(),
  updated_at: m.updatedAt.toISOString(),
});

export type ConversationWithRelations = Conversation & { client?: Client; assignee?: Staff | null; lastMessage?: Message | null; labels?: { label: LabelSummary }[] };

/** What a conversation's JSON says of each of its labels. */
export type LabelSummary = Pick<Label, 'id' | 'name' | 'color'>;

/** Prisma's include of a conversation's labels, in the shape toConversation reads. */
export const conversationLabelsInclude = { select: { label: { select: { id: true, name: true, color: true } } } } as const;

/** A conversation's labels by name (whatever the case), then id. */
export const toLabelSummaries = (labels: { label: LabelSummary }[] | undefined) =>
  (labels ?? []).map(({ label }) => ({ id: label.id, name: label.name, color: label.color })).sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id.localeCompare(b.id));

/** The relations a REST conversation carries, loaded in the list's batch. */

/** The relations a conversation carries in its JSON, loaded in one batch. */
export const conversationInclude = { include: { client: true, assignee: true, lastMessage: true, labels: conversationLabelsInclude } } as const;

export const toConversation = (c: ConversationWithRelations) => ({
  id: c.id,
  business_id: c.businessId,
  client_id: c.clientId,
  location_id: c.locationId,
  status: c.status,
  snoozed_until: iso(c.snoozedUntil),
  pinned: c.pinned,
  muted: c.muted,
  unread_count: c.unreadCount,
  replied: c.lastMessageDirection === 'outbound',
  assignee_id: c.assigneeId,
  last_message_preview: c.lastMessagePreview,
  last_message_channel: c.lastMessageChannel,
  last_message_direction: c.lastMessageDirection,
  last_message_at: iso(c.lastMessageAt),
  last_activity_at: c.lastActivityAt.toISOString(),
  last_inbound_at: iso(c.lastInboundAt),
  last_outbound_at: iso(c.lastOutboundAt),
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
  client: c.client ? toClientSummary(c.client) : null,
  assignee: c.assignee ? { id: c.assignee.id, name: [c.assignee.firstName, c.assignee.lastName].filter(Boolean).join(' ') } : null,
  last_message: c.lastMessage ? toMessage(c.lastMessage) : null,
  labels: toLabelSummaries(c.labels),
});
