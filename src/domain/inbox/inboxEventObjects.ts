import type { Client, Message } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import type { PrismaQuery } from '../prismaQuery.js';
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

/** The kinds of object events name: `message_id`, `conversation_id`, a client.updated's `clientId`. */
export type InboxEventObjectKind = 'message' | 'conversation' | 'client';

/** What `objects()` loads with each kind: every column, and a conversation's client, assignee and last message. */
const OBJECTS_INCLUDE: Record<InboxEventObjectKind, readonly string[]> = { message: [], conversation: Object.keys(conversationInclude.include), client: [] };

/** The query reads nothing that a row of `objects()` lacks: every column, and at most the relations loaded with it, whole. */
function coveredByObjects(kind: InboxEventObjectKind, query: PrismaQuery): boolean {
  if (query.select) return false;
  return Object.entries(query.include ?? {}).every(([relation, nested]) => OBJECTS_INCLUDE[kind].includes(relation) && (nested === true || isEmptyQuery(nested)));
}

function isEmptyQuery(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value as Record<string, unknown>).every((v) => v === undefined || (typeof v === 'object' && v !== null && Object.keys(v).length === 0));
}

/**
 * The objects of one kind that a batch of events names, read with a caller's selection (the
 * select/include a GraphQL resolver plans for its nested fields), so that relations under them load
 * in the same statements for the whole batch instead of once per event.
 */
export async function loadInboxEventSelection(
  deps: Deps,
  businessId: string,
  events: readonly Pick<InboxEvent, 'type' | 'payload' | 'message_id' | 'conversation_id'>[],
  kind: InboxEventObjectKind,
  query: PrismaQuery,
): Promise<Map<string, object>> {
  const ids = new Set<string>();
  for (const e of events) {
    const id = kind === 'message' ? e.message_id : kind === 'conversation' ? e.conversation_id : eventClientId(e);
    if (id) ids.add(id);
  }
  if (ids.size === 0) return new Map();
  // The rows are found again by id: a selection that leaves it out gets it.
  const args = { ...query, ...(query.select ? { select: { ...query.select, id: true } } : {}), where: { businessId, id: { in: [...ids] } } };
  const rows = (await (kind === 'message' ? deps.prisma.message.findMany(args) : kind === 'conversation' ? deps.prisma.conversation.findMany(args) : deps.prisma.client.findMany(args))) as {
    id: string;
  }[];
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * A page of events read together, whose objects are loaded once, on first use, for all of them:
 * a burst of 500 events costs the same few statements as one.
 */
export interface InboxEventBatch {
  objects(): Promise<InboxEventObjects>;
  /**
   * The batch's objects of one kind read with `query` (a GraphQL selection), once per distinct
   * query: from `objects()` when its rows hold all the query reads, else in statements of their own.
   */
  select(kind: InboxEventObjectKind, query: PrismaQuery): Promise<ReadonlyMap<string, object>>;
}

export function inboxEventBatch(deps: Deps, businessId: string, events: readonly InboxEvent[]): InboxEventBatch {
  let loaded: Promise<InboxEventObjects> | null = null;
  const objects = () => (loaded ??= loadInboxEventObjects(deps, businessId, events));
  const selections = new Map<string, Promise<ReadonlyMap<string, object>>>();
  const fromObjects: Record<InboxEventObjectKind, (o: InboxEventObjects) => ReadonlyMap<string, object>> = {
    message: (o) => o.messages,
    conversation: (o) => o.conversations,
    client: (o) => o.clients,
  };
  return {
    objects,
    select(kind, query) {
      const key = `${kind}:${JSON.stringify(query)}`;
      let selection = selections.get(key);
      if (!selection) {
        selection = coveredByObjects(kind, query) ? objects().then(fromObjects[kind]) : loadInboxEventSelection(deps, businessId, events, kind, query);
        selections.set(key, selection);
        // A failed read is not kept: the batch's next event reads again.
        selection.catch(() => selections.delete(key));
      }
      return selection;
    },
  };
}
