// The list pane: search box, filters, and either the view's conversations (keyset pages, infinite
// scroll, kept live from inbox events by listModel.ts without refetching) or search results.
import { memo, useCallback, useEffect, useMemo, useReducer, useRef, useState, type MutableRefObject, type ReactNode } from 'react';
import { Link } from 'wouter';
import { useClient } from 'urql';
import type { ConversationFilterInput } from '../gql/graphql';
import { useConnectionState, useInboxEvent } from '../live';
import { describeError } from '../lib/errors';
import { Avatar, Badge, EmptyState, IconButton, Spinner } from '../ui';
import { ChannelIcon, FilterIcon, InboxIcon, ListIcon, MuteIcon, PinIcon, SearchIcon } from '../ui/icons';
import { activeFilterCount, filterInput, type ListFilters } from './filters';
import { FiltersBar } from './FiltersBar';
import { applyRow, appendPage, removeRow, unreadFor, type ListState, type Row } from './listModel';
import { useMe } from './me';
import { ConversationsQuery } from './queries';
import { searchPath, viewFilter, viewPath, VIEWS, type InboxRoute, type ViewRef } from './routes';
import { SearchResults } from './SearchResults';
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
  navigate(to: string, options?: { replace?: boolean }): void;
  onOpenMenu(): void;
  filters: ListFilters;
  onFilters(filters: ListFilters): void;
  /** The rows shown, in order (for j/k). */
  rowsRef: MutableRefObject<readonly Row[]>;
  /** Shown in the header (the open conversation's actions). */
  actions?: ReactNode;
}

export function ConversationList({ route, navigate, onOpenMenu, filters, onFilters, rowsRef, actions }: ConversationListProps) {
  const [showFilters, setShowFilters] = useState(false);
  const [query, setQuery] = useState(route.page === 'search' ? route.query : '');
  const searching = route.page === 'search';
  useEffect(() => {
    if (route.page === 'search') setQuery(route.query);
  }, [route.page === 'search' ? route.query : null]);

  // Typing searches as you go (the address follows, replacing itself); emptying it goes back.
  const onSearch = (value: string) => {
    setQuery(value);
    if (value.trim()) navigate(searchPath(value), { replace: searching });
    else if (searching) navigate('/inbox');
  };
  const count = activeFilterCount(filters);
  const view = route.page === 'inbox' ? route.view : null;
  const title = searching ? 'Search' : (VIEWS.find((v) => v.id === view?.view)?.name ?? 'Label');
  return (
    <section className="list-pane" aria-label="Conversations">
      <header className="pane-header">
        <IconButton label="Views" className="mobile-only" onClick={onOpenMenu}>
          <ListIcon />
        </IconButton>
        <h1 className="pane-title">{title}</h1>
        {actions}
        {!searching ? (
          <IconButton label={count ? `Filters (${count} on)` : 'Filters'} aria-expanded={showFilters} onClick={() => setShowFilters((s) => !s)} className={count ? 'icon-btn-on' : ''}>
            <FilterIcon />
            {count ? <span className="icon-count">{count}</span> : null}
          </IconButton>
        ) : null}
      </header>
      <label className="search-box">
        <SearchIcon />
        <span className="visually-hidden">Search messages and clients</span>
        <input
          id="inbox-search"
          type="search"
          placeholder="Search messages and clients   /"
          value={query}
          autoComplete="off"
          onChange={(e) => onSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.currentTarget.blur();
              if (searching) {
                e.stopPropagation();
                navigate('/inbox');
              }
            }
          }}
        />
      </label>
      {showFilters && !searching ? <FiltersBar filters={filters} onChange={onFilters} /> : null}
      {searching ? (
        <SearchResults query={route.query} openId={route.conversationId} rowsRef={rowsRef} />
      ) : (
        <ViewList view={view ?? { view: 'inbox' }} filters={filters} openId={route.conversationId} rowsRef={rowsRef} />
      )}
    </section>
  );
}

function ViewList({ view, filters, openId, rowsRef }: { view: ViewRef; filters: ListFilters; openId: string | null; rowsRef: MutableRefObject<readonly Row[]> }) {
  const me = useMe();
  const client = useClient();
  const filtersKey = JSON.stringify(filters);
  const filter = useMemo(() => viewFilter(view, me.staffId, filterInput(filters)), [view.view, view.labelId, me.staffId, filtersKey]);
  const filterKey = JSON.stringify(filter);
  const [state, dispatch] = useReducer(reducer, EMPTY);
  // Loading from the start: the first page is asked for at once (and "busy" until it is here).
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const loadingRef = useRef(false);
  const generation = useRef(0);
  const { generation: liveGeneration } = useConnectionState();
  rowsRef.current = state.rows;

  const loadMore = useCallback(
    async (after: string | null) => {
      if (loadingRef.current) return;
      loadingRef.current = true;
      setLoading(true);
      const mine = generation.current;
      const result = await client.query(ConversationsQuery, { businessId: me.businessId, filter, first: PAGE, after }, { requestPolicy: 'network-only' }).toPromise();
      if (mine !== generation.current) return;
      loadingRef.current = false;
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
    if (event.__typename === 'ConversationUpdatedEvent' && event.mergedConversationId) dispatch({ type: 'remove', id: event.mergedConversationId });
    if (event.conversation) {
      const message = event.message ? { channel: event.message.channel, mentionStaffIds: event.message.mentionStaffIds } : null;
      dispatch({ type: 'row', row: event.conversation, filter, staffId: me.staffId, message });
    }
  });

  // For the benchmark (bench/): the first page of the first list is on screen.
  const painted = useRef(false);
  useEffect(() => {
    if (painted.current || loading || state.rows.length === 0) return;
    painted.current = true;
    requestAnimationFrame(() => {
      performance.mark('omega:list-painted');
      // Then the conversation pane's chunk, so that opening one does not wait for it.
      void import('../conversation/ConversationPane');
      void import('../client/ClientPanel');
    });
  }, [loading, state.rows.length]);

  // Infinite scroll: the next page when the sentinel comes within 400 px of the bottom.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !state.hasMore || error || !state.endCursor) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && state.endCursor) void loadMore(state.endCursor);
      },
      { rootMargin: '400px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [state.hasMore, state.endCursor, loadMore, error]);

  return (
    <div className="list" role="region" aria-label="Conversation list" data-testid="conversation-list" aria-busy={loading}>
      {state.rows.map((row) => (
        <ConversationRow key={row.conversationId} row={row} href={viewPath(view, row.conversationId)} active={row.conversationId === openId} staffId={me.staffId} />
      ))}
      {error ? (
        <div className="list-foot" role="alert">
          {error}
        </div>
      ) : null}
      {!loading && !error && state.rows.length === 0 ? (
        <EmptyState title={view.view === 'mine' ? 'Nothing assigned to you' : 'All clear'} icon={<InboxIcon />}>
          No conversations in this view.
        </EmptyState>
      ) : null}
      {loading ? (
        <div className="list-foot">
          <Spinner label="Loading conversations" />
        </div>
      ) : null}
      {!loading && !state.hasMore && state.rows.length > 10 ? <div className="list-foot">That is all.</div> : null}
      <div ref={sentinel} aria-hidden="true" style={{ height: 1 }} />
    </div>
  );
}

export const ConversationRow = memo(function ConversationRow({ row, href, active, staffId, snippet }: { row: Row; href: string; active: boolean; staffId: string; snippet?: ReactNode }) {
  const { unread, count } = unreadFor(row, staffId);
  const client = useClient();
  // Pressing a row (or tabbing to it) asks for its newest messages, a head start before the click
  // opens it. Not on hover: rows move under a resting pointer as events reorder the list.
  const prefetch = () => {
    if (active) return;
    void import('../conversation/ConversationPane').then((m) => m.prefetchConversation(client, row.conversationId));
  };
  return (
    <Link
      href={href}
      onPointerDown={prefetch}
      onFocus={prefetch}
      className={`row${unread ? ' unread' : ''}`}
      aria-current={active ? 'true' : undefined}
      data-conversation-id={row.conversationId}
      data-unread={unread ? count : 0}
    >
      <Avatar name={row.client.name} size={36} />
      <span className="row-name">{row.client.name}</span>
      <span className="row-time">{relativeTime(row.lastActivityAt)}</span>
      <span className="row-preview">
        <ChannelIcon channel={row.lastMessageChannel} />
        <span>
          {snippet ?? (
            <>
              {row.lastMessageDirection === 'outbound' && row.lastMessageChannel !== 'note' ? 'You: ' : ''}
              {row.lastMessagePreview ?? 'No messages yet'}
            </>
          )}
        </span>
      </span>
      <span className="row-meta">
        {row.pinned ? <PinIcon /> : null}
        {row.muted ? <MuteIcon /> : null}
        {unread ? (
          <span className={count > 0 ? 'unread-dot' : 'unread-dot unread-dot-plain'} aria-label={count > 0 ? `${count} unread` : 'Unread'}>
            {count > 99 ? '99+' : count > 0 ? count : ''}
          </span>
        ) : null}
      </span>
      {row.assignee || row.labels.length > 0 || row.status !== 'open' ? (
        <span className="row-tags">
          {row.status === 'snoozed' ? <Badge tone="warning">Snoozed</Badge> : null}
          {row.status === 'archived' ? <Badge>Archived</Badge> : null}
          {row.assignee ? (
            <Badge tone="accent" title="Assignee">
              {row.assignee.staffId === staffId ? 'You' : row.assignee.name}
            </Badge>
          ) : null}
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
