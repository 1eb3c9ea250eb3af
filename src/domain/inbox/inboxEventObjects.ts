import type { Client, Message } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { conversationInclude, type ConversationWithRelations } from '../wire/representations.js';
import type { InboxEvent } from './streamInboxEvents.js';

/** The current objects that a batch of events names: what their consumers would otherwise fetch one by one. */
export interface InboxEventObjects {
  messages: Map<string, Message>;
  /** With the client, assignee and last message (the conversation's JSON carries them). */
  conversations: Map<string, ConversationWithRelations>;
  /** Clients that client.updated events name (a conversation carries its client's summary). */
  clients: Map<string, Client>;
}

/** The client a client.updated event is about. */
export function eventClientId(event: Pick<InboxEvent, 'type' | 'payload'>): string | null {
  const id = event.payload['clientId'];
  return typeof id === 'string' ? id : null;
}

/**
 * Loads every object a batch of events of one business names, in a constant number of statements
 * whatever the batch's size (one per kind of object, and Prisma's one per included relation).
 */
export async function loadInboxEventObjects(deps: Deps, businessId: string, events: readonly Pick<InboxEvent, 'type' | 'payload' | 'message_id' | 'conversation_id'>[]): Promise<InboxEventObjects> {
  const messageIds = new Set<string>();
  const conversationIds = new Set<string>();
  const clientIds = new Set<string>();
  for (const e of events) {
    if (e.message_id) messageIds.add(e.message_id);
    if (e.conversation_id) conversationIds.add(e.conversation_id);
    const clientId = eventClientId(e);
    if (clientId) clientIds.add(clientId);
  }
  const [messages, conversations, clients] = await Promise.all([
    messageIds.size ? deps.prisma.message.findMany({ where: { businessId, id: { in: [...messageIds] } } }) : [],
    conversationIds.size ? deps.prisma.conversation.findMany({ where: { businessId, id: { in: [...conversationIds] } }, ...conversationInclude }) : [],
    clientIds.size ? deps.prisma.client.findMany({ where: { businessId, id: { in: [...clientIds] } } }) : [],
  ]);
  return {
    messages: new Map(messages.map((m) => [m.id, m])),
    conversations: new Map(conversations.map((c) => [c.id, c])),
    clients: new Map(clients.map((c) => [c.id, c])),
  };
}

/**
 * A page of events read together, whose objects are loaded once, on first use, for all of them:
 * a burst of 500 events costs the same few statements as one.
 */
export interface InboxEventBatch {
  objects(): Promise<InboxEventObjects>;
}

export function inboxEventBatch(deps: Deps, businessId: string, events: readonly InboxEvent[]): InboxEventBatch {
  let loaded: Promise<InboxEventObjects> | null = null;
  return { objects: () => (loaded ??= loadInboxEventObjects(deps, businessId, events)) };
}
