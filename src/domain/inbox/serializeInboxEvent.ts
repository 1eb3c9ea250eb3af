// The one wire format of inbox events: what outbound webhooks POST and the event feed answers.
// Versioned: fields may be added within a version, never renamed or removed.
import { toClient, toConversation, toMessage } from '../wire/representations.js';
import { eventClientId, type InboxEventObjects } from './inboxEventObjects.js';
import { inboxEventCursor, type InboxEvent } from './streamInboxEvents.js';

export const INBOX_EVENT_VERSION = 1;

/** camelCase keys of a payload to snake_case, deeply (values are kept). */
function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(v)]));
}

/** A stable id of an event, the same in every delivery of it (webhook-id): receivers dedupe by it. */
export function inboxEventId(event: Pick<InboxEvent, 'id'>): string {
  return `evt_${event.id}`;
}

export type InboxEventJson = ReturnType<typeof serializeInboxEvent>;

/**
 * One event as JSON (version 1):
 * - `changes`: what the event recorded when it happened (status, previous status, assignee, ...);
 * - `message`, `conversation`, `client`: the objects it is about, as they are now (null when the
 *   event is not about one, or it was deleted), in the same shape as the REST API's.
 */
export function serializeInboxEvent(event: InboxEvent, objects: InboxEventObjects) {
  const message = event.message_id ? objects.messages.get(event.message_id) : undefined;
  const conversation = event.conversation_id ? objects.conversations.get(event.conversation_id) : undefined;
  const clientId = eventClientId(event);
  const client = clientId ? objects.clients.get(clientId) : undefined;
  return {
    version: INBOX_EVENT_VERSION,
    id: inboxEventId(event),
    type: event.type,
    cursor: inboxEventCursor(event),
    business_id: event.business_id,
    created_at: event.created_at.toISOString(),
    data: {
      conversation_id: event.conversation_id,
      message_id: event.message_id,
      client_id: clientId ?? conversation?.clientId ?? message?.clientId ?? null,
      changes: snakeKeys(event.payload) as Record<string, unknown>,
      message: message ? toMessage(message) : null,
      conversation: conversation ? toConversation(conversation) : null,
      client: client ? toClient(client) : null,
    },
  };
}
