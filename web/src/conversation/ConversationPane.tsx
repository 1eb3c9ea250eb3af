// The conversation pane: the conversation's messages, kept live by the normalized cache (every
// inbox event carries the message as it is now) and by new messages appended from events.
// First version by the web-foundation helper; owned by the conversation-pane helper from here.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { MessageFieldsFragment } from '../gql/graphql';
import { useInboxEvent } from '../live';
import { describeError } from '../lib/errors';
import { Avatar, EmptyState, IconButton, Spinner } from '../ui';
import { BackIcon } from '../ui/icons';

export const ConversationPaneQuery = graphql(`
  query ConversationPane($id: String!) {
    conversation(id: $id) {
      ...ConversationPaneFields
    }
    messages(conversationId: $id, first: 200) {
      edges {
        node {
          ...MessageFields
        }
      }
    }
  }
`);

export interface ConversationPaneProps {
  conversationId: string;
  /** Back to the list (phone width) or close the conversation. */
  onBack(): void;
}

export function ConversationPane({ conversationId, onBack }: ConversationPaneProps) {
  const [result] = useQuery({ query: ConversationPaneQuery, variables: { id: conversationId }, requestPolicy: 'cache-and-network' });
  const [live, setLive] = useState<MessageFieldsFragment[]>([]);
  useInboxEvent((event) => {
    if (event.kind === 'MESSAGE_CREATED' && event.conversationId === conversationId && event.message) {
      const message = event.message;
      setLive((l) => (l.some((m) => m.messageId === message.messageId) ? l : [...l, message]));
    }
  });
  const messages = useMemo(() => {
    const loaded = [...(result.data?.messages.edges.map((e) => e.node) ?? [])].reverse();
    const have = new Set(loaded.map((m) => m.messageId));
    return [...loaded, ...live.filter((m) => !have.has(m.messageId))];
  }, [result.data, live]);

  if (result.error && !result.data) {
    return <EmptyState title="This conversation could not load">{describeError(result.error)}</EmptyState>;
  }
  const conversation = result.data?.conversation;
  return (
    <>
      <header className="pane-header">
        <IconButton label="Back to the list" className="mobile-only" onClick={onBack}>
          <BackIcon />
        </IconButton>
        {conversation ? <Avatar name={conversation.client.name} size={28} /> : null}
        <h2 className="pane-title">{conversation?.client.name ?? ''}</h2>
      </header>
      <div className="messages" data-testid="messages">
        {!result.data && result.fetching ? <Spinner label="Loading messages" /> : null}
        {messages.map((m) => (
          <div key={m.messageId} className={`msg ${m.channel === 'note' ? 'msg-note' : m.direction === 'outbound' ? 'msg-out' : 'msg-in'}`} data-message-id={m.messageId}>
            <div className="bubble">
              {m.subject ? <strong>{m.subject}</strong> : null}
              {m.subject ? <br /> : null}
              {m.body ?? ''}
              <div className="msg-meta">
                {m.authorStaff ? `${m.authorStaff.name} · ` : ''}
                {new Date(m.createdAt).toLocaleString()} · {m.status}
              </div>
            </div>
          </div>
        ))}
      </div>
    </>
  );
}
