// The list pane: search box, filters, and either the view's conversations (keyset pages, infinite
// scroll, kept live from inbox events by listModel.ts without refetching; Mentions refreshes its
// loaded rows instead, see placesRows) or search results.
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
import { applyEvent, placesRows, receivePage, unreadFor, type ListEvent, type ListState, type Row } from './listModel';
import { useMe } from './me';
import { ConversationsQuery } from './queries';
import { searchPath, viewFilter, viewPath, VIEWS, type InboxRoute, type ViewRef } from './routes';
import { SearchResults } from './SearchResults';
import { relativeTime } from './time';

const PAGE = 30;
/** The most rows one request may ask for (the API's page size limit). */
const MAX_PAGE = 100;
/** Mentions: how long after an event (the last of a burst) its loaded rows are asked for again. */
const REFRESH_MS = 400;

type Action =
  | { type: 'reset' }
  /** A page, and the events received since it was asked for; `replace`: it replaces the rows (a refresh). */
  | { type: 'page'; replace: boolean; rows: Row[]; hasMore: boolean; endCursor: string | null; events: readonly ListEvent[]; filter: ConversationFilterInput }
  | { type: 'event'; event: ListEvent; filter: ConversationFilterInput };

const EMPTY: ListState = { rows: [], hasMore: true, endCursor: null };

function reducer(state: ListState, action: Action): ListState {
  switch (action.type) {
    case 'reset':
      return EMPTY;
    case 'page':
      return receivePage(action.replace ? EMPTY : state, action.rows, action.hasMore, action.endCursor, action.events, action.filter);
    case 'event':
      return applyEvent(state, action.event, action.filter);
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
  // While a request is out: the events received since it was sent, applied over its page when it
  // arrives (the page read the database before them: listModel.receivePage). null: none is out.
  const held = useRef<ListEvent[] | null>(null);
  // Mentions: a refresh asked for while another request was out, sent when that one is done.
  const refreshWanted = useRef(false);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const generation = useRef(0);
  const { generation: liveGeneration } = useConnectionState();
  rowsRef.current = state.rows;

  /** Asks for the page after `after` (null: the first), or, `refresh`, for every loaded row again. */
  const load = useCallback(
    async (after: string | null, refresh = false) => {
      if (held.current) {
        if (refresh) refreshWanted.current = true;
        return;
      }
      held.current = [];
      setLoading(true);
      const mine = generation.current;
      const first = refresh ? Math.min(MAX_PAGE, Math.max(PAGE, rowsRef.current.length)) : PAGE;
      const result = await client.query(ConversationsQuery, { businessId: me.businessId, filter, first, after }, { requestPolicy: 'network-only' }).toPromise();
      if (mine !== generation.current) return;
      const events = held.current ?? [];
      held.current = null;
      setLoading(false);
      const page = result.data?.conversations;
      if (result.error || !page) {
        setError(result.error ? describeError(result.error) : null);
        for (const event of events) dispatch({ type: 'event', event, filter });
      } else {
        setError(null);
        const rows = page.edges.map((e) => e.node);
        dispatch({ type: 'page', replace: refresh, rows, hasMore: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor ?? null, events, filter });
      }
      if (refreshWanted.current) {
        refreshWanted.current = false;
        void load(null, true);
      }
    },
    [client, me.businessId, filterKey],
  );

  // A new view or filter: from the first page again. The state reloaded after CURSOR_EXPIRED (the
  // live generation alone changed): the loaded rows are asked for again and replace those on screen
  // when they come, so the list keeps its place.
  const loaded = useRef<typeof load | null>(null);
  useEffect(() => {
    generation.current += 1;
    held.current = null;
    refreshWanted.current = false;
    clearTimeout(refreshTimer.current);
    if (loaded.current === load) {
      void load(null, true);
      return;
    }
    loaded.current = load;
    dispatch({ type: 'reset' });
    void load(null);
  }, [load, liveGeneration]);
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  useInboxEvent((event) => {
    const events: ListEvent[] = [];
    if (event.__typename === 'ConversationUpdatedEvent' && event.mergedConversationId) events.push({ type: 'remove', id: event.mergedConversationId });
    if (event.conversation) {
      const message = event.message ? { channel: event.message.channel, mentionStaffIds: event.message.mentionStaffIds } : null;
      events.push({ type: 'row', row: event.conversation, ctx: { staffId: me.staffId, message } });
    }
    if (events.length === 0) return;
    if (held.current) held.current.push(...events);
    else for (const e of events) dispatch({ type: 'event', event: e, filter });
    // Mentions: any change of a conversation may move it (a new mention, a read one, new activity,
    // pin) in an order the rows cannot tell, or bring one in; one small query, after a burst.
    if (!placesRows(filter)) {
      clearTimeout(refreshTimer.current);
      refreshTimer.current = setTimeout(() => void load(null, true), REFRESH_MS);
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
        if (entries.some((e) => e.isIntersecting) && state.endCursor) void load(state.endCursor);
      },
      { rootMargin: '400px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [state.hasMore, state.endCursor, load, error]);

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
