import { graphql } from '../gql';

/** What a list row shows; the inbox events carry it too, so rows update from events alone. */
export const ConversationListFields = graphql(`
  fragment ConversationListFields on Conversation {
    id
    conversationId
    status
    pinned
    muted
    snoozedUntil
    unreadCount
    replied
    lastActivityAt
    lastMessageAt
    lastInboundAt
    lastMessageChannel
    lastMessageDirection
    lastMessagePreview
    updatedAt
    assignee {
      id
      staffId
      name
    }
    client {
      id
      clientId
      name
      type
      groups
    }
    location {
      id
      locationId
      name
    }
    labels {
      id
      name
      color
    }
    readPositions {
      staffId
      unreadCount
      lastReadAt
    }
  }
`);
