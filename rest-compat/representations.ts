// Rows -> REST JSON (snake_case), with the JSON schemas that describe them in /openapi.json.
import Type from 'typebox';
import type { Location, Staff } from '../src/generated/prisma/client.js';
import { clientName, conversationInclude, toClient, toClientSummary, toConversation, toMessage, type ConversationWithRelations } from '../src/domain/wire/representations.js';

export { clientName, conversationInclude, toClient, toClientSummary, toConversation, toMessage, type ConversationWithRelations };
import { AnyObject, inline, IsoDateTime, Nullable, optional, Ref, StringEnum } from './schemas.js';

const str = Type.String;
const nstr = () => Nullable(Type.String());
const ntime = () => Nullable(IsoDateTime());
const strList = () => Type.Array(Type.String());

/** A client as a conversation shows it (the first fields of Client). */
export const ClientSummarySchema = Type.Object({
  id: str(),
  ...optional({ external_id: nstr(), first_name: nstr(), last_name: nstr() }),
  name: str(),
  phones: strList(),
  emails: strList(),
  ...optional({ type: nstr() }),
  groups: strList(),
  sms_opt_out: Type.Boolean(),
  email_suppressed: Type.Boolean(),
});

export const ClientSchema = Type.Object(
  {
    ...ClientSummarySchema.properties,
    business_id: str(),
    ...optional({
      home_location_id: nstr(),
      sms_opt_out_at: ntime(),
      email_suppressed_at: ntime(),
      email_suppression_reason: nstr(),
      metadata: AnyObject({ additionalProperties: true }),
      notes: nstr(),
      merged_into_id: Nullable(Type.String({ description: 'Set when this client was merged into another: the client that holds its messages now.' })),
      merged_at: ntime(),
    }),
    created_at: IsoDateTime(),
  },
  {
    $id: 'Client',
    description: "A client of a business: contact points, consent and the business's own data.",
    example: {
      id: '0d9a7b1e-51c2-4a55-9f55-7f4a1f0c2b11',
      external_id: 'cl-1001',
      first_name: 'Rosa',
      last_name: 'Mitchell',
      name: 'Rosa Mitchell',
      phones: ['+14155550101'],
      emails: ['rosa.mitchell@example.com'],
      type: 'vip',
      groups: ['color'],
      sms_opt_out: false,
      email_suppressed: false,
      business_id: 'demo',
      home_location_id: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
      sms_opt_out_at: null,
      email_suppressed_at: null,
      email_suppression_reason: null,
      metadata: { loyalty_tier: 'gold' },
      created_at: '2026-01-05T10:00:00.000Z',
    },
  },
);

export const StaffSchema = Type.Object(
  {
    id: str(),
    business_id: str(),
    ...optional({ external_id: nstr() }),
    first_name: str(),
    ...optional({ last_name: nstr() }),
    name: str(),
    ...optional({ email: nstr(), phone: nstr(), role: nstr() }),
    active: Type.Boolean(),
    location_ids: strList(),
    created_at: IsoDateTime(),
  },
  {
    $id: 'Staff',
    description: 'A staff member of a business.',
    example: {
      id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
      business_id: 'demo',
      external_id: 'st-1',
      first_name: 'Maya',
      last_name: 'Chen',
      name: 'Maya Chen',
      email: 'maya@example.com',
      phone: '+14155550199',
      role: 'stylist',
      active: true,
      location_ids: ['2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d'],
      created_at: '2026-01-05T09:30:00.000Z',
    },
  },
);

export const toStaff = (s: Staff) => ({
  id: s.id,
  business_id: s.businessId,
  external_id: s.externalId,
  first_name: s.firstName,
  last_name: s.lastName,
  name: [s.firstName, s.lastName].filter(Boolean).join(' '),
  email: s.email,
  phone: s.phone,
  role: s.role,
  active: s.active,
  location_ids: s.locationIds,
  created_at: s.createdAt.toISOString(),
});

export const MessageSchema = Type.Object(
  {
    id: str(),
    business_id: str(),
    conversation_id: str(),
    client_id: str(),
    ...optional({ location_id: nstr() }),
    channel: StringEnum(['sms', 'email', 'voice', 'note']),
    direction: StringEnum(['inbound', 'outbound', 'internal']),
    status: str(),
    ...optional({
      body: nstr(),
      subject: nstr(),
      html: nstr(),
      from: nstr(),
      to: nstr(),
      media: Type.Array(Type.Unsafe<unknown>({ type: 'object', additionalProperties: true })),
      provider: nstr(),
      provider_message_id: nstr(),
      request_id: nstr(),
      error_code: nstr(),
      error_message: nstr(),
    }),
    attempts: Type.Integer(),
    ...optional({
      author_staff_id: nstr(),
      mention_staff_ids: strList(),
      scheduled_at: ntime(),
      sent_at: ntime(),
      delivered_at: ntime(),
      read_at: ntime(),
      failed_at: ntime(),
      seen_at: ntime(),
      is_read: Type.Boolean(),
    }),
    created_at: IsoDateTime(),
    ...optional({ updated_at: IsoDateTime() }),
  },
  {
    $id: 'Message',
    description: 'One SMS, email, voice call or note in a conversation.',
    example: {
      id: '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      business_id: 'demo',
      conversation_id: '5b0c4f7e-8a0d-4c53-9d57-2f1c1c3f4b6a',
      client_id: '0d9a7b1e-51c2-4a55-9f55-7f4a1f0c2b11',
      location_id: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
      channel: 'sms',
      direction: 'outbound',
      status: 'delivered',
      body: 'See you at 3pm tomorrow!',
      subject: null,
      html: null,
      from: '+14155550100',
      to: '+14155550101',
      media: [],
      provider: 'twilio',
      provider_message_id: 'SM0123456789abcdef0123456789abcdef',
      request_id: 'reminder-42',
      error_code: null,
      error_message: null,
      attempts: 1,
      author_staff_id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
      mention_staff_ids: [],
      scheduled_at: null,
      sent_at: '2026-03-02T17:00:01.000Z',
      delivered_at: '2026-03-02T17:00:04.000Z',
      read_at: null,
      failed_at: null,
      seen_at: null,
      is_read: true,
      created_at: '2026-03-02T17:00:00.000Z',
      updated_at: '2026-03-02T17:00:04.000Z',
    },
  },
);

export const ConversationSchema = Type.Object(
  {
    id: str(),
    business_id: str(),
    client_id: str(),
    location_id: str(),
    status: StringEnum(['open', 'snoozed', 'archived']),
    ...optional({ snoozed_until: ntime() }),
    pinned: Type.Boolean(),
    muted: Type.Boolean(),
    unread_count: Type.Integer(),
    replied: Type.Boolean(),
    ...optional({ assignee_id: nstr(), last_message_preview: nstr(), last_message_channel: nstr(), last_message_direction: nstr(), last_message_at: ntime() }),
    last_activity_at: IsoDateTime(),
    ...optional({ last_inbound_at: ntime(), last_outbound_at: ntime() }),
    created_at: IsoDateTime(),
    ...optional({
      updated_at: IsoDateTime(),
      client: Nullable(ClientSummarySchema),
      assignee: Nullable(Type.Object({ id: str(), name: str() })),
      last_message: Nullable(inline(MessageSchema)),
    }),
  },
  {
    $id: 'Conversation',
    description: "A client's thread with a business at one location, with its client, assignee and last message.",
    example: {
      id: '5b0c4f7e-8a0d-4c53-9d57-2f1c1c3f4b6a',
      business_id: 'demo',
      client_id: '0d9a7b1e-51c2-4a55-9f55-7f4a1f0c2b11',
      location_id: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
      status: 'open',
      snoozed_until: null,
      pinned: false,
      muted: false,
      unread_count: 0,
      replied: true,
      assignee_id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
      last_message_preview: 'See you at 3pm tomorrow!',
      last_message_channel: 'sms',
      last_message_direction: 'outbound',
      last_message_at: '2026-03-02T17:00:00.000Z',
      last_activity_at: '2026-03-02T17:00:00.000Z',
      last_inbound_at: '2026-03-02T16:58:00.000Z',
      last_outbound_at: '2026-03-02T17:00:00.000Z',
      created_at: '2026-02-11T10:15:00.000Z',
      updated_at: '2026-03-02T17:00:04.000Z',
      client: null,
      assignee: { id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b', name: 'Maya Chen' },
      last_message: null,
    },
  },
);

export const LocationSchema = Type.Object(
  {
    id: Type.String(),
    business_id: Type.String(),
    ...optional({ external_id: nstr() }),
    name: Type.String(),
    ...optional({
      time_zone: nstr(),
      address: nstr(),
      sms_phone_number: nstr(),
      messaging_service_sid: nstr(),
      email_from: nstr(),
      email_from_name: nstr(),
    }),
    created_at: IsoDateTime(),
  },
  {
    $id: 'Location',
    description: "One of a business's locations, with its SMS and email senders.",
    example: {
      id: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
      business_id: 'demo',
      external_id: 'loc-downtown',
      name: 'Downtown',
      time_zone: 'America/Los_Angeles',
      address: '1 Market St, San Francisco, CA',
      sms_phone_number: '+14155550100',
      messaging_service_sid: null,
      email_from: 'downtown@example.com',
      email_from_name: 'Omega Spa Downtown',
      created_at: '2026-01-05T09:00:00.000Z',
    },
  },
);

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

export const SearchHitSchema = Type.Object(
  { message: Ref(MessageSchema), rank: Type.Number(), snippet: Type.String() },
  {
    $id: 'SearchHit',
    description: 'A message that matches a search, its rank (higher is better) and a snippet with the matches in <mark>.',
    example: { message: (MessageSchema as { example?: unknown }).example, rank: 0.0759, snippet: 'See you at <mark>3pm</mark> tomorrow!' },
  },
);
