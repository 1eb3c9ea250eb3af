import { graphql } from '../gql';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      kind
      businessId
      staffId
    }
  }
`);

export const MeQuery = graphql(`
  query Me($businessId: String!, $staffId: String!) {
    staffMember(businessId: $businessId, id: $staffId) {
      id
      staffId
      name
    }
  }
`);

export const ConversationFiltersQuery = graphql(`
  query ConversationFilters($businessId: String!) {
    conversationFilters(businessId: $businessId) {
      viewerStaffId
      views {
        value
        label
        count
        unreadCount
      }
      assignees {
        value
        label
        count
      }
      channels {
        value
        label
        count
      }
      locations {
        value
        label
        count
      }
      clientTypes {
        value
        label
        count
      }
      clientGroups {
        value
        label
        count
      }
      labels {
        value
        label
        count
        color
      }
    }
  }
`);

export const ConversationsQuery = graphql(`
  query Conversations($businessId: String!, $filter: ConversationFilterInput, $first: Int!, $after: String) {
    conversations(businessId: $businessId, filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          ...ConversationListFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const StaffQuery = graphql(`
  query StaffList($businessId: String!) {
    staff(businessId: $businessId, first: 100) {
      edges {
        node {
          id
          staffId
          name
          active
        }
      }
    }
  }
`);
