import type { InboxEventsSubscription } from '../gql/graphql';

/**
 * One inbox event, typed from the InboxEvents subscription (web/src/live/events.ts):
 * - `kind` (MESSAGE_CREATED, MESSAGE_STATUS_CHANGED, CONVERSATION_UPDATED, CONVERSATION_READ, …),
 *   `cursor`, `createdAt`, `conversationId`, `messageId`;
 * - `conversation`: the conversation as it is now (ConversationListFields + ConversationPaneFields),
 *   or null; `message`: the message as it is now (MessageFields), or null;
 * - per `__typename`, the typed fields (MessageCreatedEvent: channel, direction, reopened;
 *   MessageStatusChangedEvent: status, previousStatus, errorCode; ConversationUpdatedEvent: change,
 *   assigneeId, conversationStatus, pinned, muted, …; ConversationReadEvent: read, staffId, …).
 * The event has already been written into the normalized cache when handlers see it.
 */
export type InboxEvent = InboxEventsSubscription['inboxEvents'];

export type InboxEventHandler = (event: InboxEvent) => void;

export interface ConnectionState {
  /** connecting: first connection; live: subscribed; reconnecting: dropped, retrying; closed: signed out. */
  status: 'connecting' | 'live' | 'reconnecting' | 'closed';
  /** Reconnect attempts since the last success. */
  attempt: number;
  /** Bumped when the state was reloaded (CURSOR_EXPIRED): views refetch. */
  generation: number;
  /** The cursor of the last event received (where a reconnect resumes). */
  lastCursor: string | null;
  /** Why it is not live: an API code (CURSOR_EXPIRED, UNAUTHENTICATED) or NETWORK. */
  error: string | null;
}
