// The client panel: who the conversation is with. First version by the web-foundation helper; owned
// by the conversation-pane helper from here.
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { Avatar } from '../ui';

export const ClientPanelQuery = graphql(`
  query ClientPanel($id: String!) {
    conversation(id: $id) {
      id
      client {
        id
        clientId
        name
        phones
        emails
        type
        groups
      }
    }
  }
`);

export function ClientPanel({ conversationId }: { conversationId: string }) {
  const [result] = useQuery({ query: ClientPanelQuery, variables: { id: conversationId } });
  const client = result.data?.conversation.client;
  if (!client) return null;
  return (
    <div className="panel-section">
      <Avatar name={client.name} size={48} />
      <p className="panel-name" data-testid="client-name">
        {client.name}
      </p>
      {client.phones.map((p) => (
        <div className="panel-row" key={p}>
          <span className="panel-key">Phone</span>
          <span>{p}</span>
        </div>
      ))}
      {client.emails.map((e) => (
        <div className="panel-row" key={e}>
          <span className="panel-key">Email</span>
          <span>{e}</span>
        </div>
      ))}
    </div>
  );
}
