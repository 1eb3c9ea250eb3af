// Fragments of the conversation pane. The inbox events (web/src/live) spread them too, so an event
// writes into the normalized cache every field the pane shows: keep what the pane reads here, and
// keep it cheap (no html, no events).
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
    updatedAt
    sentAt
    deliveredAt
    readAt
    failedAt
    scheduledAt
    errorCode
    errorMessage
    fromAddress
    toAddress
    attempts
    mentionStaffIds
    authorStaff {
      id
      staffId
      name
    }
    voiceCall {
      id
      voiceCallId
      status
      direction
      durationSeconds
      recordingUrl
    }
  }
`);

export const ConversationPaneFields = graphql(`
  fragment ConversationPaneFields on Conversation {
    id
    conversationId
    status
    pinned
    muted
    snoozedUntil
    unreadCount
    lastMessageChannel
    assignee {
      id
      staffId
      name
    }
    labels {
      id
      name
      color
    }
    location {
      id
      locationId
      name
      timeZone
    }
    client {
      id
      clientId
      name
      phones
      emails
      smsOptOut
      emailSuppressed
    }
  }
`);
