import { graphql } from '../gql';

// The events' fields are selected in the subscription itself, not in a fragment on the InboxEvent
// interface: without the schema, graphcache cannot tell that a ConversationUpdatedEvent is an
// InboxEvent and reads such a fragment back as empty. Fragments on concrete types are fine.
export const InboxEventsSubscription = graphql(`
  subscription InboxEvents($businessId: String!, $after: String) {
    inboxEvents(businessId: $businessId, after: $after) {
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
  }
`);

export const InboxEventCursorQuery = graphql(`
  query InboxEventCursor($businessId: String!) {
    inboxEventCursor(businessId: $businessId)
  }
`);
