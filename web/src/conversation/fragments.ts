// Fragments of the conversation pane. The inbox events (web/src/live) spread them too, so an event
// writes into the normalized cache every field the pane shows: keep what the pane reads here.
import { graphql } from '../gql';

export const MessageFields = graphql(`
  fragment MessageFields on Message {
    id
    messageId
    conversationId
    channel
    direction
    status
    body
    subject
    createdAt
    sentAt
    deliveredAt
    readAt
    failedAt
    scheduledAt
    errorCode
    errorMessage
    fromAddress
    toAddress
    mentionStaffIds
    authorStaff {
      id
      staffId
      name
    }
  }
`);

export const ConversationPaneFields = graphql(`
  fragment ConversationPaneFields on Conversation {
    id
    conversationId
    status
    client {
      id
      clientId
      name
      phones
      emails
    }
  }
`);
