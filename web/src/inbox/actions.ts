import { graphql } from '../gql';

export const AssignMutation = graphql(`
  mutation AssignFromInbox($input: AssignConversationInput!) {
    assignConversation(input: $input) {
      ...ConversationListFields
    }
  }
`);

export const StatusMutation = graphql(`
  mutation StatusFromInbox($input: UpdateConversationStatusInput!) {
    updateConversationStatus(input: $input) {
      ...ConversationListFields
    }
  }
`);

export const SearchQuery = graphql(`
  query SearchInbox($businessId: String!, $query: String!) {
    searchConversations(businessId: $businessId, query: $query, first: 30) {
      matched
      snippet
      messageId
      conversation {
        ...ConversationListFields
      }
    }
    clients(businessId: $businessId, search: $query, first: 8) {
      edges {
        node {
          id
          clientId
          name
          phones
          emails
          conversations {
            id
            conversationId
            lastActivityAt
          }
        }
      }
    }
  }
`);
