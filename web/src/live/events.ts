import { graphql } from '../gql';

/** One inbox event with the conversation and message as they are now (see web/src/live/index.ts). */
export const InboxEventFields = graphql(`
  fragment InboxEventFields on InboxEvent {
    __typename
    cursor
    kind
    type
    createdAt
    conversationId
    messageId
    conversation {
      ...ConversationListFields
      ...ConversationPaneFields
    }
    message {
      ...MessageFields
    }
    ... on MessageCreatedEvent {
      channel
      direction
      reopened
      conversationStatus
    }
    ... on MessageStatusChangedEvent {
      status
      previousStatus
      errorCode
      retry
    }
    ... on ConversationUpdatedEvent {
      change
      assigneeId
      conversationStatus
      pinned
      muted
      snoozedUntil
      reason
      addedLabelIds
      removedLabelIds
      mergedConversationId
    }
    ... on ConversationReadEvent {
      read
      staffId
      staffUnreadCount
      unreadCount
    }
  }
`);

export const InboxEventsSubscription = graphql(`
  subscription InboxEvents($businessId: String!, $after: String) {
    inboxEvents(businessId: $businessId, after: $after) {
      ...InboxEventFields
    }
  }
`);

export const InboxEventCursorQuery = graphql(`
  query InboxEventCursor($businessId: String!) {
    inboxEventCursor(businessId: $businessId)
  }
`);
