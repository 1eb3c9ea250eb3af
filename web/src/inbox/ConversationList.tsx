// The conversation list of a view: keyset pages (infinite scroll), kept live from inbox events
// (listModel.ts) without refetching.
import { memo, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Link } from 'wouter';
import { useClient } from 'urql';
import type { ConversationFilterInput } from '../gql/graphql';
import { useConnectionState, useInboxEvent } from '../live';
import { describeError } from '../lib/errors';
import { Avatar, Badge, EmptyState, IconButton, Spinner } from '../ui';
import { ChannelIcon, InboxIcon, ListIcon, MuteIcon, PinIcon } from '../ui/icons';
import { applyRow, appendPage, removeRow, type ListState, type Row } from './listModel';
import { useMe } from './me';
import { ConversationsQuery } from './queries';
import { viewFilter, viewPath, VIEWS, type InboxRoute } from './routes';
import { relativeTime } from './time';

const PAGE = 30;

type Action =
  | { type: 'reset' }
  | { type: 'page'; rows: Row[]; hasMore: boolean; endCursor: string | null }
  | { type: 'row'; row: Row; filter: ConversationFilterInput; staffId: string; message: { channel: string; mentionStaffIds: readonly string[] } | null }
  | { type: 'remove'; id: string };

const EMPTY: ListState = { rows: [], hasMore: true, endCursor: null };

function reducer(state: ListState, action: Action): ListState {
  switch (action.type) {
    case 'reset':
      return EMPTY;
    case 'page':
      return appendPage(state, action.rows, action.hasMore, action.endCursor);
    case 'row':
      return applyRow(state, action.row, action.filter, { staffId: action.staffId, message: action.message });
    case 'remove':
      return removeRow(state, action.id);
  }
}

export interface ConversationListProps {
  route: Extract<InboxRoute, { page: 'inbox' | 'search' }>;
  navigate(to: string): void;
  onOpenMenu(): void;
}

export function ConversationList({ route, onOpenMenu }: ConversationListProps) {
  const me = useMe();
  const client = useClient();
  const view = route.page === 'inbox' ? route.view : { view: 'inbox' as const };
  const filter = useMemo(() => viewFilter(view, me.staffId), [view.view, view.labelId, me.staffId]);
  const filterKey = JSON.stringify(filter);
  const [state, dispatch] = useReducer(reducer, EMPTY);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const loadingRef = useRef(false);
  const generation = useRef(0);
  const { generation: liveGeneration } = useConnectionState();

  const loadMore = useCallback(
    async (after: string | null) => {
      if (loadingRef.current) return;
      loadingRef.current = true;
      setLoading(true);
      const mine = generation.current;
      const result = await client.query(ConversationsQuery, { businessId: me.businessId, filter, first: PAGE, after }, { requestPolicy: 'network-only' }).toPromise();
      loadingRef.current = false;
      if (mine !== generation.current) return;
      setLoading(false);
      if (result.error) {
        setError(describeError(result.error));
        return;
      }
      setError(null);
      const page = result.data?.conversations;
      if (page) dispatch({ type: 'page', rows: page.edges.map((e) => e.node), hasMore: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor ?? null });
    },
    [client, me.businessId, filterKey],
  );

  useEffect(() => {
    generation.current += 1;
    loadingRef.current = false;
    dispatch({ type: 'reset' });
    void loadMore(null);
  }, [loadMore, liveGeneration]);

  useInboxEvent((event) => {
    if (event.__typename === 'ClientMergedEvent') return;
    if (event.kind === 'CONVERSATION_UPDATED' && event.__typename === 'ConversationUpdatedEvent' && event.mergedConversationId) dispatch({ type: 'remove', id: event.mergedConversationId });
    if (event.conversation)
      dispatch({
        type: 'row',
        row: event.conversation,
        filter,
        staffId: me.staffId,
        message: event.message ? { channel: event.message.channel, mentionStaffIds: event.message.mentionStaffIds } : null,
      });
    else if (event.conversationId && event.kind === 'CONVERSATION_UPDATED') dispatch({ type: 'remove', id: event.conversationId });
  });

  // Infinite scroll: the next page when the sentinel comes within 400 px of the bottom.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !state.hasMore || error) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && state.endCursor) void loadMore(state.endCursor);
      },
      { rootMargin: '400px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [state.hasMore, state.endCursor, loadMore, error]);

  const title = route.page === 'search' ? 'Search' : (VIEWS.find((v) => v.id === view.view)?.name ?? 'Label');
  const openId = route.conversationId;
  return (
    <section className="list-pane" aria-label="Conversations">
      <header className="pane-header">
        <IconButton label="Views" className="mobile-only" onClick={onOpenMenu}>
          <ListIcon />
        </IconButton>
        <h1 className="pane-title">{title}</h1>
      </header>
      <div className="list" role="list" data-testid="conversation-list">
        {state.rows.map((row) => (
          <ConversationRow key={row.conversationId} row={row} href={viewPath(view, row.conversationId)} active={row.conversationId === openId} staffId={me.staffId} />
        ))}
        {error ? (
          <div className="list-foot" role="alert">
            {error}
          </div>
        ) : null}
        {!loading && !error && state.rows.length === 0 ? (
          <EmptyState title="Nothing here" icon={<InboxIcon />}>
            No conversations in this view.
          </EmptyState>
        ) : null}
        {loading ? (
          <div className="list-foot">
            <Spinner label="Loading conversations" />
          </div>
        ) : null}
        <div ref={sentinel} aria-hidden="true" style={{ height: 1 }} />
      </div>
    </section>
  );
}

export const ConversationRow = memo(function ConversationRow({ row, href, active, staffId }: { row: Row; href: string; active: boolean; staffId: string }) {
  const unread = row.readPositions.find((r) => r.staffId === staffId)?.unreadCount ?? row.unreadCount;
  return (
    <Link href={href} className={`row${unread > 0 ? ' unread' : ''}`} aria-current={active ? 'true' : undefined} role="listitem" data-conversation-id={row.conversationId}>
      <Avatar name={row.client.name} size={36} />
      <span className="row-name">{row.client.name}</span>
      <span className="row-time">{relativeTime(row.lastActivityAt)}</span>
      <span className="row-preview">
        <ChannelIcon channel={row.lastMessageChannel} />
        <span>
          {row.lastMessageDirection === 'outbound' ? 'You: ' : ''}
          {row.lastMessagePreview ?? 'No messages yet'}
        </span>
      </span>
      <span className="row-meta">
        {row.pinned ? <PinIcon /> : null}
        {row.muted ? <MuteIcon /> : null}
        {unread > 0 ? (
          <span className="unread-dot" aria-label={`${unread} unread`}>
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </span>
      {row.assignee || row.labels.length > 0 || row.status !== 'open' ? (
        <span className="row-tags">
          {row.status === 'snoozed' ? <Badge tone="warning">Snoozed</Badge> : null}
          {row.status === 'archived' ? <Badge>Archived</Badge> : null}
          {row.assignee ? <Badge tone="accent">{row.assignee.staffId === staffId ? 'You' : row.assignee.name}</Badge> : null}
          {row.labels.map((l) => (
            <Badge key={l.id}>
              <span className="label-dot" style={{ background: l.color, margin: 0, width: 8, height: 8 }} />
              {l.name}
            </Badge>
          ))}
        </span>
      ) : null}
    </Link>
  );
});
