// The signed-in app: who am I (viewer; not a session -> sign-in), then the live layer, then the
// layout: sidebar | list | conversation pane | client panel.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useClient, useQuery } from 'urql';
import { expireSession } from '../auth/session';
import { LiveProvider, useConnectionState } from '../live';
import type { ApiClient } from '../lib/client';
import { describeError, isUnauthenticated } from '../lib/errors';
import { Banner, Button, EmptyState, Menu, Spinner, type MenuItem } from '../ui';
import { InboxIcon } from '../ui/icons';
import { AssignMutation, StatusMutation } from './actions';
import { ConversationList } from './ConversationList';
import type { ListFilters } from './filters';
import { commandFor, isTyping } from './keyboard';
import { neighbour, type Row } from './listModel';
import { MeContext, useMe, type Me } from './me';
import { MeQuery, StaffQuery, ViewerQuery } from './queries';
import { searchPath, viewPath, type InboxRoute, type ViewRef } from './routes';
import { Sidebar } from './Sidebar';

// The conversation pane and client panel are a chunk of their own: the first screen (the list)
// does not wait for them, and they are fetched as soon as the list is painted (ConversationList).
const ConversationPane = lazy(() => import('../conversation/ConversationPane').then((m) => ({ default: m.ConversationPane })));
const ClientPanel = lazy(() => import('../client/ClientPanel').then((m) => ({ default: m.ClientPanel })));

export interface InboxAppProps {
  route: Extract<InboxRoute, { page: 'inbox' | 'search' }>;
  api: ApiClient;
  navigate(to: string, options?: { replace?: boolean }): void;
  onSignedOut(): void;
}

export function InboxApp({ route, api, navigate, onSignedOut }: InboxAppProps) {
  const [viewer] = useQuery({ query: ViewerQuery, requestPolicy: 'network-only' });
  const v = viewer.data?.viewer;
  const signedIn = v?.kind === 'session' && v.businessId && v.staffId ? { businessId: v.businessId, staffId: v.staffId } : null;
  const [me] = useQuery({ query: MeQuery, variables: { businessId: signedIn?.businessId ?? '', staffId: signedIn?.staffId ?? '' }, pause: !signedIn });

  const goSignIn = useCallback(() => onSignedOut(), [onSignedOut]);
  useEffect(() => {
    if (viewer.fetching) return;
    if ((viewer.error && isUnauthenticated(viewer.error)) || (viewer.data && !signedIn)) goSignIn();
  }, [viewer.fetching, viewer.error, viewer.data, signedIn, goSignIn]);

  const meValue = useMemo<Me | null>(
    () =>
      // The name comes with a query of its own, not waited for: the inbox needs only the ids.
      signedIn
        ? {
            ...signedIn,
            name: me.data?.staffMember.name ?? '',
            signOut: async () => {
              await expireSession();
              onSignedOut();
            },
          }
        : null,
    [signedIn?.businessId, signedIn?.staffId, me.data, onSignedOut],
  );

  if (viewer.error && !isUnauthenticated(viewer.error)) {
    return (
      <div className="center">
        <EmptyState title="The inbox could not load" icon={<InboxIcon />}>
          <p>{describeError(viewer.error)}</p>
          <Button onClick={() => window.location.reload()}>Try again</Button>
        </EmptyState>
      </div>
    );
  }
  if (!meValue) {
    return (
      <div className="center">
        <Spinner label="Loading the inbox" />
      </div>
    );
  }
  return (
    <MeContext.Provider value={meValue}>
      <LiveProvider businessId={meValue.businessId} socketEvents={api.socketEvents} onUnauthorized={goSignIn}>
        <Layout route={route} navigate={navigate} />
      </LiveProvider>
    </MeContext.Provider>
  );
}

function ConnectionBanner() {
  const connection = useConnectionState();
  if (connection.status !== 'reconnecting') return null;
  return (
    <Banner tone="warning">
      <span data-testid="connection-banner">Reconnecting… changes made meanwhile will appear when the connection is back.</span>
    </Banner>
  );
}

/** A message at the bottom for a few seconds (an action's outcome or the API's error). */
function useToast(): [ReactNode, (text: string, tone?: 'info' | 'error') => void] {
  const [toast, setToast] = useState<{ text: string; tone: 'info' | 'error'; n: number } | null>(null);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), toast.tone === 'error' ? 6000 : 2500);
    return () => clearTimeout(t);
  }, [toast]);
  const show = useCallback((text: string, tone: 'info' | 'error' = 'info') => setToast((t) => ({ text, tone, n: (t?.n ?? 0) + 1 })), []);
  const node = toast ? (
    <div className={`toast${toast.tone === 'error' ? ' toast-error' : ''}`} role={toast.tone === 'error' ? 'alert' : 'status'} key={toast.n}>
      {toast.text}
    </div>
  ) : null;
  return [node, show];
}

function Layout({ route, navigate }: { route: InboxAppProps['route']; navigate: InboxAppProps['navigate'] }) {
  const me = useMe();
  const client = useClient();
  const [menuOpen, setMenuOpen] = useState(false);
  const [assignOpen, setAssignOpen] = useState(false);
  const [filters, setFilters] = useState<ListFilters>({});
  const rowsRef = useRef<readonly Row[]>([]);
  const [toast, showToast] = useToast();
  const view: ViewRef | null = route.page === 'inbox' ? route.view : null;
  const conversationId = route.conversationId;
  const pathOf = useCallback((id: string | null) => (route.page === 'search' ? searchPath(route.query, id) : viewPath(route.view, id)), [route]);
  const closeConversation = useCallback(() => navigate(pathOf(null)), [navigate, pathOf]);
  const open = useCallback(
    (id: string) => {
      navigate(pathOf(id));
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`.row[data-conversation-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest' }));
    },
    [navigate, pathOf],
  );
  const openRow = rowsRef.current.find((r) => r.conversationId === conversationId) ?? null;

  const archive = useCallback(async () => {
    if (!conversationId) return;
    const row = rowsRef.current.find((r) => r.conversationId === conversationId);
    const reopen = row?.status === 'archived';
    // Where to go next: the following conversation (archiving takes this one out of the view).
    const next = reopen || view?.view === 'all' ? null : (neighbour(rowsRef.current, conversationId, 1) ?? null);
    const result = await client.mutation(StatusMutation, { input: { conversationId, status: reopen ? 'open' : 'archived' } }).toPromise();
    if (result.error) return showToast(describeError(result.error), 'error');
    showToast(reopen ? 'Reopened' : 'Archived');
    if (next && next.conversationId !== conversationId) open(next.conversationId);
    else if (!reopen && view?.view !== 'all') closeConversation();
  }, [client, conversationId, view?.view, open, closeConversation, showToast]);

  const assign = useCallback(
    async (staffId: string | null) => {
      setAssignOpen(false);
      if (!conversationId) return;
      const result = await client.mutation(AssignMutation, { input: { conversationId, staffId } }).toPromise();
      if (result.error) return showToast(describeError(result.error), 'error');
      showToast(staffId ? `Assigned to ${result.data?.assignConversation.assignee?.name ?? 'them'}` : 'Unassigned');
    },
    [client, conversationId, showToast],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const command = commandFor({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, target: e.target as HTMLElement | null });
      if (!command || e.defaultPrevented) return;
      switch (command) {
        case 'next':
        case 'previous': {
          const row = neighbour(rowsRef.current, conversationId, command === 'next' ? 1 : -1);
          if (row && row.conversationId !== conversationId) open(row.conversationId);
          break;
        }
        case 'archive':
          void archive();
          break;
        case 'assign':
          if (!conversationId) return;
          setAssignOpen(true);
          break;
        case 'search':
          document.getElementById('inbox-search')?.focus();
          break;
        case 'reply': {
          const composer = document.getElementById('composer-input');
          if (!composer) return;
          composer.focus();
          break;
        }
        case 'close':
          if (assignOpen) setAssignOpen(false);
          else if (menuOpen) setMenuOpen(false);
          else if (isTyping(e.target as HTMLElement | null)) (e.target as HTMLElement).blur();
          else if (conversationId) closeConversation();
          else return;
          break;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [conversationId, open, archive, assignOpen, menuOpen, closeConversation]);

  // The conversation pane has the actions' buttons; the keyboard's assign menu opens here.
  const actions = assignOpen ? (
    <div className="list-actions menu-anchor">
      <AssignMenu current={openRow?.assignee?.staffId ?? null} me={me.staffId} onSelect={(id) => void assign(id)} onClose={() => setAssignOpen(false)} />
    </div>
  ) : null;

  return (
    <div className="app">
      <ConnectionBanner />
      <div className={`app-body${conversationId ? ' has-conversation' : ''}`}>
        <Sidebar current={view} open={menuOpen} onClose={() => setMenuOpen(false)} />
        <ConversationList route={route} navigate={navigate} onOpenMenu={() => setMenuOpen(true)} filters={filters} onFilters={setFilters} rowsRef={rowsRef} actions={actions} />
        <section className="conversation-pane" aria-label="Conversation">
          {conversationId ? (
            <Suspense fallback={null}>
              <ConversationPane key={conversationId} conversationId={conversationId} onBack={closeConversation} />
            </Suspense>
          ) : (
            <EmptyState title="No conversation open" icon={<InboxIcon />}>
              Pick a conversation from the list, or press <kbd>j</kbd> to open the first.
            </EmptyState>
          )}
        </section>
        <aside className="client-panel" aria-label="Client">
          {conversationId ? (
            <Suspense fallback={null}>
              <ClientPanel key={conversationId} conversationId={conversationId} />
            </Suspense>
          ) : null}
        </aside>
      </div>
      {toast}
    </div>
  );
}

function AssignMenu({ current, me, onSelect, onClose }: { current: string | null; me: string; onSelect(staffId: string | null): void; onClose(): void }) {
  const { businessId } = useMe();
  const [result] = useQuery({ query: StaffQuery, variables: { businessId } });
  const staff = (result.data?.staff.edges.map((e) => e.node) ?? []).filter((s) => s.active || s.staffId === current);
  const items: MenuItem[] = [
    ...staff
      .slice()
      .sort((a, b) => (a.staffId === me ? -1 : b.staffId === me ? 1 : a.name.localeCompare(b.name)))
      .map((s) => ({ id: s.staffId, label: s.staffId === me ? `${s.name} (you)` : s.name, selected: s.staffId === current })),
    { id: '', label: 'Unassigned', selected: current === null },
  ];
  if (!result.data) return null;
  return <Menu label="Assign to…" items={items} filterable onSelect={(id) => onSelect(id || null)} onClose={onClose} />;
}
