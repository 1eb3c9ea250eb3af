// The event shapes of /openapi.json: InboxEvent (version 1 of the one event JSON, which the event
// feed answers and outbound webhooks POST: src/domain/inbox/serializeInboxEvent.ts), and the
// delivery log's WebhookDelivery and WebhookAttempt.
import Type, { type Static, type TSchema } from 'typebox';
import { INBOX_EVENT_TYPES } from '../src/domain/inbox/inboxEventTypes.js';
import type { WebhookAttempt, WebhookDelivery } from '../src/domain/outboundWebhooks/deliveryLog.js';
import { WEBHOOK_DELIVERY_STATUSES } from '../src/domain/outboundWebhooks/deliveryLog.js';
import { ClientSchema, ConversationSchema, MessageSchema } from './representations.js';
import { AnyObject, IsoDateTime, Nullable, StringEnum } from './schemas.js';

/** A shared schema, or null: OpenAPI 3.0 puts `nullable` beside an `allOf` of the `$ref` with `type` (a bare `$ref` takes no siblings). */
function NullableRef<T extends TSchema>(schema: T, description: string) {
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string') throw new Error('internal error: NullableRef() takes a shared schema, one with an $id');
  return Type.Unsafe<Static<T> | null>({ anyOf: [{ $ref: `${id}#` }, { type: 'object', nullable: true, enum: [null] }], description });
}

const example = (schema: TSchema) => (schema as { example?: unknown }).example;

/** What `data.changes` holds for each type (README "Events" has the same table). */
export const EVENT_TYPE_DOCS: Record<(typeof INBOX_EVENT_TYPES)[number], string> = {
  'message.created':
    "a message, note or call was recorded (sent, received, noted, called). `changes`: `channel` (sms, email, voice, note), `direction`, `status`, `conversation_status` (after it), `reopened` (an inbound message reopened a snoozed or archived conversation). A note's mentions are `message.mention_staff_ids`.",
  'message.status_changed':
    "a message's delivery status moved (or a send is retried). `changes`: `status`, `previous_status`, `channel`, `error_code` (delivery reports; a transient send error sets it with status queued), `retry: true` (a manual retry). For calls: `channel: voice`, `voice_call_id`, `call_status`, `previous_call_status`, `status` (outbound calls), `duration_seconds`, `recording_url`, `staff_id`.",
  'conversation.updated':
    '`changes.change` says what: `status` with `status` (open, snoozed, archived), `snoozed_until`, `pinned`, `muted` (and `reason: snooze_ended` when a snooze ended by itself); `assignment` with `assignee_id` (null: unassigned; `reason: auto_assigned` when auto-assignment chose it); `labels` with `added_label_ids` and `removed_label_ids`; or `merge` with `merged_conversation_id` (a conversation of a merged client combined into this one: its messages moved here, summary and unread counts recomputed), `status`, `pinned`, `muted`, `assignee_id`.',
  'conversation.read':
    "messages of a conversation were marked read or unread. `changes`: `read` (true or false), `unread_count` (the conversation's, when it changed), `staff_id` and `staff_unread_count` when a staff member's read position moved.",
  'client.updated':
    "a client's consent changed, or its profile was edited (`change: profile`, `fields`: the fields given). `changes`: `client_id`, `consent` (`sms_opt_out` or `email_suppressed`), `reason` (a keyword such as STOP, `stop` for Twilio's 21610, `bounced`, `complained`, `suppressed`), and for SMS keywords `sms_opt_out` (true or false) and `keyword`.",
  'webhook_endpoint.disabled': 'an outbound webhook endpoint of the business was disabled: it answered 410 Gone, or failed for too long. `changes` names the endpoint and the reason.',
  'staff.updated': "a staff member's availability changed. `changes`: `staff_id`, `availability` (`online` or `away`), `previous_availability`.",
  'location.updated': "a location's auto-assignment changed. `changes`: `location_id`, `auto_assign` (true or false), `auto_assign_capacity`.",
  'label.changed':
    'a label of the business was created, changed or deleted. `changes`: `action` (`created`, `updated`, `deleted`), `label_id`, `name`, `color`, `description` (after the change; before it when deleted), and with `deleted` `conversations` (how many it was taken off, each with its `conversation.updated` event).',
  'saved_reply.created':
    'a saved reply (template) was created. `changes`: `saved_reply_id`, `name`, `shortcut`, `channel` (sms, email, any), `location_id` (null: every location), `staff_id` (who; null for an API key). Never the body.',
  'saved_reply.updated':
    'a saved reply was changed. `changes`: those of `saved_reply.created` after the change, and `changed` (the fields that changed: name, shortcut, channel, subject, body, location).',
  'saved_reply.deleted': 'a saved reply was deleted. `changes`: those of `saved_reply.created`, as it was.',
  'client.merged':
    'a client was merged into another (mergeClients). `changes`: `client_id` (the one kept; `client` is it as it is now), `merged_client_id`, `moved_conversation_ids` (moved as they were), `combined_conversations` (`from_id` deleted, its messages moved into `into_id`; each also gets a conversation.updated with `change: merge`).',
  'campaign.updated':
    "a campaign's status changed (scheduled, sending, paused, completed, canceled). `changes`: `campaign_id`, `name`, `status`, `previous_status`, `counts` (`recipients`, `pending`, `queued`, `sending`, `sent`, `delivered`, `failed`, `canceled`, `opted_out`, `skipped`, `replied`) at the change.",
  'campaign.progress':
    "a sending campaign's counts moved (at most once a second per campaign). `changes`: `campaign_id`, `status`, `counts` (those of `campaign.updated`). Its messages have their own `message.created` and `message.status_changed` events.",
};

const eventTypesDescription = `The event's type:\n${INBOX_EVENT_TYPES.map((t) => `- \`${t}\`: ${EVENT_TYPE_DOCS[t]}`).join('\n')}`;

const messageCreatedExample = {
  version: 1,
  id: 'evt_4127',
  type: 'message.created',
  cursor: '918273:4127',
  business_id: 'demo',
  created_at: '2026-03-02T16:58:00.000Z',
  data: {
    conversation_id: '5b0c4f7e-8a0d-4c53-9d57-2f1c1c3f4b6a',
    message_id: '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    client_id: '0d9a7b1e-51c2-4a55-9f55-7f4a1f0c2b11',
    changes: { channel: 'sms', direction: 'inbound', status: 'received', conversation_status: 'open', reopened: true },
    message: {
      ...(example(MessageSchema) as Record<string, unknown>),
      direction: 'inbound',
      status: 'received',
      body: 'Can I move my appointment to 4pm?',
      from: '+14155550101',
      to: '+14155550100',
      provider_message_id: 'SM9f8e7d6c5b4a39281706f5e4d3c2b1a0',
      request_id: null,
      author_staff_id: null,
      sent_at: null,
      delivered_at: null,
      is_read: false,
      created_at: '2026-03-02T16:58:00.000Z',
      updated_at: '2026-03-02T16:58:00.000Z',
    },
    conversation: { ...(example(ConversationSchema) as Record<string, unknown>), unread_count: 1, last_message_preview: 'Can I move my appointment to 4pm?', last_message_direction: 'inbound' },
    client: null,
  },
};

export const InboxEventSchema = Type.Object(
  {
    // Typed as the serialiser types them (number, string); the document says 1 and the enum.
    version: Type.Unsafe<number>({ type: 'integer', enum: [1], description: 'The version of this shape: fields may be added within a version, never renamed or removed.' }),
    id: Type.String({ description: "The event's id, `evt_<n>`: the same in every delivery of it (the `webhook-id` header); receivers dedupe by it." }),
    type: Type.Unsafe<string>({ type: 'string', enum: [...INBOX_EVENT_TYPES], description: eventTypesDescription }),
    cursor: Type.String({ description: "The event's place in the log: pass the last one received as `after` (feed, subscription, replay) to continue after it." }),
    business_id: Type.String(),
    created_at: IsoDateTime({ description: 'When the event was written.' }),
    data: Type.Object({
      conversation_id: Nullable(Type.String()),
      message_id: Nullable(Type.String()),
      client_id: Nullable(Type.String()),
      changes: AnyObject({ additionalProperties: true, description: 'What the event recorded when it happened, by type (see `type`).' }),
      message: NullableRef(MessageSchema, 'The message the event is about, as it is now (null when none, or deleted).'),
      conversation: NullableRef(ConversationSchema, 'Its conversation, as it is now, with client, assignee and last message.'),
      client: NullableRef(ClientSchema, 'The client a client.updated event is about, as it is now (other events carry it in `conversation.client`).'),
    }),
  },
  {
    $id: 'InboxEvent',
    description:
      "One event of a business's event log, version 1: what the event feed answers and outbound webhooks POST (one shape, snake_case). Events come in log order; `data.changes` holds what happened, `message`, `conversation` and `client` the objects as they are now, so a consumer needs no follow-up request.",
    example: messageCreatedExample,
  },
);

export const WebhookAttemptSchema = Type.Object(
  {
    id: Type.String(),
    delivery_id: Type.String(),
    status_code: Nullable(Type.Integer({ description: "The answer's HTTP status; null when none came (see `error`)." })),
    latency_ms: Type.Integer(),
    error: Nullable(Type.String({ description: 'Why the attempt failed: a timeout, a refused address, a connection error, a non-2xx answer.' })),
    response_body: Nullable(Type.String({ description: "The first KB of the answer's body." })),
    created_at: IsoDateTime(),
  },
  {
    $id: 'WebhookAttempt',
    description: 'One HTTP attempt of a webhook delivery.',
    example: { id: '8812', delivery_id: '5120', status_code: 503, latency_ms: 187, error: 'HTTP 503', response_body: 'upstream unavailable', created_at: '2026-03-02T16:58:01.204Z' },
  },
);

export const WebhookDeliverySchema = Type.Object(
  {
    id: Type.String({ description: "The delivery's id: an endpoint's deliveries go out one at a time, in its order." }),
    webhook_id: Type.String({ description: 'The endpoint it goes to.' }),
    event_id: Type.String({ description: 'The event it carries (`evt_<n>`, the `webhook-id` header).' }),
    event_type: Type.String(),
    event_cursor: Type.String({ description: "The event's cursor in the log." }),
    status: StringEnum(WEBHOOK_DELIVERY_STATUSES, {
      description: 'pending (to send, or retrying), delivered (a 2xx came), failed (retries exhausted). Pending deliveries of a disabled endpoint wait until it is enabled again.',
    }),
    attempts: Type.Integer({ description: 'Attempts made so far.' }),
    next_attempt_at: Nullable(IsoDateTime({ description: 'When the next attempt is due (pending only).' })),
    last_status_code: Nullable(Type.Integer()),
    last_error: Nullable(Type.String()),
    trigger: Type.String({ description: 'Why it was queued: `event` (as the event happened), `replay`, or `redeliver:<id>` (a redelivery of delivery <id>).' }),
    delivered_at: Nullable(IsoDateTime()),
    created_at: IsoDateTime(),
    updated_at: IsoDateTime(),
  },
  {
    $id: 'WebhookDelivery',
    description: 'One event queued for one webhook endpoint, and how its sending went.',
    example: {
      id: '5120',
      webhook_id: '3f6c2a1e-7b8d-4e9f-a0b1-c2d3e4f5a6b7',
      event_id: 'evt_4127',
      event_type: 'message.created',
      event_cursor: '918273:4127',
      status: 'pending',
      attempts: 1,
      next_attempt_at: '2026-03-02T16:58:31.204Z',
      last_status_code: 503,
      last_error: 'HTTP 503',
      trigger: 'event',
      delivered_at: null,
      created_at: '2026-03-02T16:58:00.120Z',
      updated_at: '2026-03-02T16:58:01.204Z',
    },
  },
);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toWebhookDeliveryJson = (d: WebhookDelivery): Static<typeof WebhookDeliverySchema> => ({
  id: d.id,
  webhook_id: d.endpointId,
  event_id: d.eventId,
  event_type: d.eventType,
  event_cursor: d.eventCursor,
  status: d.status,
  attempts: d.attempts,
  next_attempt_at: iso(d.nextAttemptAt),
  last_status_code: d.lastStatusCode,
  last_error: d.lastError,
  trigger: d.trigger,
  delivered_at: iso(d.deliveredAt),
  created_at: d.createdAt.toISOString(),
  updated_at: d.updatedAt.toISOString(),
});

export const toWebhookAttemptJson = (a: WebhookAttempt): Static<typeof WebhookAttemptSchema> => ({
  id: a.id,
  delivery_id: a.deliveryId,
  status_code: a.statusCode,
  latency_ms: a.latencyMs,
  error: a.error,
  response_body: a.responseBody,
  created_at: a.createdAt.toISOString(),
});
