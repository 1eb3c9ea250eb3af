// The pane's GraphQL operations (typed by codegen from schema.graphql).
import { graphql } from '../gql';

/** The newest page of a conversation's messages (the API lists them newest first). */
export const ConversationPaneQuery = graphql(`
  query ConversationPane($id: String!, $first: Int!) {
    conversation(id: $id) {
      ...ConversationPaneFields
    }
    messages(conversationId: $id, first: $first) {
      edges {
        node {
          ...MessageFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** An older page, after the last cursor loaded. */
export const OlderMessagesQuery = graphql(`
  query OlderMessages($id: String!, $first: Int!, $after: String!) {
    messages(conversationId: $id, first: $first, after: $after) {
      edges {
        node {
          ...MessageFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** What the composer and the actions need of the business: quiet hours, staff (assign, @mentions). */
export const PaneBusinessQuery = graphql(`
  query PaneBusiness($businessId: String!) {
    business(id: $businessId) {
      id
      businessId
      timeZone
      quietHours {
        start
        end
      }
    }
    staff(businessId: $businessId, first: 200, filter: { active: true }) {
      edges {
        node {
          id
          staffId
          name
          role
        }
      }
    }
  }
`);

export const PaneSavedRepliesQuery = graphql(`
  query PaneSavedReplies($businessId: String!, $locationId: String, $channel: SavedReplyChannel) {
    savedReplies(businessId: $businessId, locationId: $locationId, channel: $channel, first: 100) {
      edges {
        node {
          id
          name
          shortcut
          channel
          subject
          body
        }
      }
    }
  }
`);

export const PaneRenderTemplateQuery = graphql(`
  query PaneRenderTemplate($input: RenderTemplateInput!) {
    renderTemplate(input: $input) {
      body
      subject
      channel
      missing {
        variable
        usedFallback
      }
      sms {
        segments
        encoding
      }
    }
  }
`);

/** The messages a send made, by its requestId: shown at once, then kept live by events. */
export const PaneMessagesByRequestQuery = graphql(`
  query PaneMessagesByRequest($businessId: String!, $requestId: String!) {
    messagesByRequestId(businessId: $businessId, requestId: $requestId) {
      ...MessageFields
    }
  }
`);

export const PaneRefreshMessageQuery = graphql(`
  query PaneRefreshMessage($id: ID!) {
    node(id: $id) {
      ... on Message {
        ...MessageFields
      }
    }
  }
`);

/** What the composer reads of a send, by SMS or email alike. */
export const PaneSendResultFields = graphql(`
  fragment PaneSendResultFields on SendResult {
    status
    messageIds
    messages {
      messageId
      status
      scheduledAt
    }
  }
`);

export const PaneSendSmsMutation = graphql(`
  mutation PaneSendSms($input: SendSmsInput!) {
    sendSms(input: $input) {
      ...PaneSendResultFields
    }
  }
`);

export const PaneSendEmailMutation = graphql(`
  mutation PaneSendEmail($input: SendEmailInput!) {
    sendEmail(input: $input) {
      ...PaneSendResultFields
    }
  }
`);

export const PaneAddNoteMutation = graphql(`
  mutation PaneAddNote($input: AddNoteInput!) {
    addNote(input: $input) {
      ...MessageFields
    }
  }
`);

export const PaneRetryMutation = graphql(`
  mutation PaneRetry($input: RetryMessageInput!) {
    retryMessage(input: $input) {
      messageId
      status
      attempts
    }
  }
`);

export const PaneMarkReadMutation = graphql(`
  mutation PaneMarkRead($input: MarkMessagesReadInput!) {
    markMessagesRead(input: $input) {
      updated
      staffUpdated
    }
  }
`);

export const PaneAssignMutation = graphql(`
  mutation PaneAssign($input: AssignConversationInput!) {
    assignConversation(input: $input) {
      ...ConversationListFields
      ...ConversationPaneFields
    }
  }
`);

export const PaneStatusMutation = graphql(`
  mutation PaneStatus($input: UpdateConversationStatusInput!) {
    updateConversationStatus(input: $input) {
      ...ConversationListFields
      ...ConversationPaneFields
    }
  }
`);
