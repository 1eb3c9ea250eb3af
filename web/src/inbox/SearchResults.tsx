// /inbox/search?q=: conversations by message text or client (searchConversations), and clients
// by name, phone or email (clients(search:)), each opening a conversation.
import { useEffect, useState, type MutableRefObject } from 'react';
import { Link } from 'wouter';
import { useQuery } from 'urql';
import { describeError } from '../lib/errors';
import { Avatar, EmptyState, Spinner } from '../ui';
import { SearchIcon } from '../ui/icons';
import { SearchQuery } from './actions';
import { ConversationRow } from './ConversationList';
import { snippetParts } from './filters';
import type { Row } from './listModel';
import { useMe } from './me';
import { searchPath } from './routes';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function SearchResults({ query, openId, rowsRef }: { query: string; openId: string | null; rowsRef: MutableRefObject<readonly Row[]> }) {
  const me = useMe();
  const q = useDebounced(query.trim(), 200);
  const [result] = useQuery({ query: SearchQuery, variables: { businessId: me.businessId, query: q }, pause: q.length === 0, requestPolicy: 'cache-and-network' });
  const hits = result.data?.searchConversations ?? [];
  const clients = result.data?.clients.edges.map((e) => e.node) ?? [];
  rowsRef.current = hits.map((h) => h.conversation);
  if (!q) {
    return (
      <EmptyState title="Search the inbox" icon={<SearchIcon />}>
        Messages, client names, phone numbers and emails.
      </EmptyState>
    );
  }
  return (
    <div className="list" role="region" aria-label="Search results" data-testid="search-results">
      {result.error ? (
        <div className="list-foot" role="alert">
          {describeError(result.error)}
        </div>
      ) : null}
      {clients.length > 0 ? <div className="list-section">Clients</div> : null}
      {clients.map((c) => {
        const latest = [...c.conversations].sort((a, b) => Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt))[0];
        return (
          <Link key={c.clientId} href={latest ? searchPath(query, latest.conversationId) : searchPath(query)} className="row row-client">
            <Avatar name={c.name} size={36} />
            <span className="row-name">{c.name}</span>
            <span className="row-time" />
            <span className="row-preview">
              <span>{[...c.phones, ...c.emails].join(' · ') || 'No contact details'}</span>
            </span>
          </Link>
        );
      })}
      {hits.length > 0 ? <div className="list-section">Conversations</div> : null}
      {hits.map((h) => (
        <ConversationRow
          key={h.conversation.conversationId}
          row={h.conversation}
          href={searchPath(query, h.conversation.conversationId)}
          active={h.conversation.conversationId === openId}
          staffId={me.staffId}
          snippet={h.snippet ? <span className="snippet">{snippetParts(h.snippet).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : p.text))}</span> : undefined}
        />
      ))}
      {result.fetching && !result.data ? (
        <div className="list-foot">
          <Spinner label="Searching" />
        </div>
      ) : null}
      {result.data && hits.length === 0 && clients.length === 0 ? <EmptyState title={`Nothing matches “${q}”`} icon={<SearchIcon />} /> : null}
    </div>
  );
}
