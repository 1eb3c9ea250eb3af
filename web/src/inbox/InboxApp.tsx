// The signed-in app: who am I (viewer; not a session -> sign-in), then the live layer, then the
// layout: sidebar | list | conversation pane | client panel.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useClient, useQuery } from 'urql';
import { endSession } from '../auth/session';
import { createDrafts, DraftsContext } from '../conversation/drafts';
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
// Not React.lazy: a lazy component suspends on its first render even when its chunk is loaded, and
// React holds a suspended boundary back for ~300 ms, so every open waited that long. The components
// are kept in state once their module has loaded and rendered directly.
interface PaneComponents {
  ConversationPane: typeof import('../conversation/ConversationPane').ConversationPane;
  ClientPanel: typeof import('../client/ClientPanel').ClientPanel;
}
type PaneChunk = { status: 'idle' | 'loading' | 'failed' } | { status: 'loaded'; components: PaneComponents };

/** The pane's chunk: `load()` starts it (once; again after a failure), the state says where it is. */
function usePaneChunk(): [PaneChunk, () => void] {
  const [chunk, setChunk] = useState<PaneChunk>({ status: 'idle' });
  const started = useRef(false);
  const load = useCallback(() => {
    if (started.current) return;
    started.current = true;
    setChunk((c) => (c.status === 'loaded' ? c : { status: 'loading' }));
    Promise.all([import('../conversation/ConversationPane'), import('../client/ClientPanel')]).then(
      ([pane, panel]) => setChunk({ status: 'loaded', components: { ConversationPane: pane.ConversationPane, ClientPanel: panel.ClientPanel } }),
      () => {
        started.current = false;
        setChunk({ status: 'failed' });
      },
    );
  }, []);
  return [chunk, load];
}

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
  const [toast, showToast] = useToast();
  const [paneChunk, loadPane] = usePaneChunk();
  // The composer's unsent text, this staff member's only, dropped with the session: the sign-in page
  // unmounts this component, and with it the store.
  const drafts = useMemo(() => (signedIn ? createDrafts(signedIn.staffId) : null), [signedIn?.businessId, signedIn?.staffId]);
  useEffect(() => () => drafts?.clear(), [drafts]);
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
            // Signed out only once the API ended the session: otherwise the cookie would still open the
            // inbox for the next person at this computer. Say why, and stay, so they can try again.
            signOut: async () => {
              const ended = await endSession();
              if (ended.ok) onSignedOut();
              else showToast(ended.message, 'error');
            },
          }
        : null,
    [signedIn?.businessId, signedIn?.staffId, me.data, onSignedOut, showToast],
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
  if (!meValue || !drafts) {
    return (
      <div className="center">
        <Spinner label="Loading the inbox" />
      </div>
    );
  }
  return (
    <MeContext.Provider value={meValue}>
      <DraftsContext.Provider value={drafts}>
        <LiveProvider businessId={meValue.businessId} socketEvents={api.socketEvents} onUnauthorized={goSignIn}>
          <Layout route={route} navigate={navigate} toast={toast} showToast={showToast} paneChunk={paneChunk} loadPane={loadPane} />
        </LiveProvider>
      </DraftsContext.Provider>
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
type ShowToast = (text: string, tone?: 'info' | 'error') => void;

function useToast(): [ReactNode, ShowToast] {
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

interface LayoutProps {
  route: InboxAppProps['route'];
  navigate: InboxAppProps['navigate'];
  toast: ReactNode;
  showToast: ShowToast;
  paneChunk: PaneChunk;
  loadPane(): void;
}

/** A menu is open somewhere (the pane's assign, snooze and more menus, saved replies, mentions). */
const anyMenuOpen = () => document.querySelector('.menu-pop, [role="listbox"]') !== null;

function Layout({ route, navigate, toast, showToast, paneChunk, loadPane }: LayoutProps) {
  const me = useMe();
  const client = useClient();
  const [menuOpen, setMenuOpen] = useState(false);
  const [assignOpen, setAssignOpen] = useState(false);
  const [filters, setFilters] = useState<ListFilters>({});
  const rowsRef = useRef<readonly Row[]>([]);
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

  // The pane's chunk: at once when a conversation is open, and at the press on a row (the list has
  // fetched the chunk after its first paint: by the click, the components are here).
  useEffect(() => {
    if (conversationId) loadPane();
  }, [conversationId, loadPane]);
  const onListPress = (e: { target: EventTarget }) => {
    if (e.target instanceof Element && e.target.closest('.row')) loadPane();
  };

  // One archive at a time: a second `e` while the first is on its way would act on a row whose
  // status is not updated yet (archiving it twice, or reopening it).
  const archiving = useRef(false);
  const archive = useCallback(async () => {
    if (!conversationId || archiving.current) return;
    archiving.current = true;
    try {
      const row = rowsRef.current.find((r) => r.conversationId === conversationId);
      const reopen = row?.status === 'archived';
      // Where to go next: the following conversation (archiving takes this one out of the view).
      const next = reopen || view?.view === 'all' ? null : (neighbour(rowsRef.current, conversationId, 1) ?? null);
      const result = await client.mutation(StatusMutation, { input: { conversationId, status: reopen ? 'open' : 'archived' } }).toPromise();
      if (result.error) return showToast(describeError(result.error), 'error');
      showToast(reopen ? 'Reopened' : 'Archived');
      if (next && next.conversationId !== conversationId) open(next.conversationId);
      else if (!reopen && view?.view !== 'all') closeConversation();
    } finally {
      archiving.current = false;
    }
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
      const command = commandFor(
        { key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, repeat: e.repeat, target: e.target as HTMLElement | null },
        { menuOpen: assignOpen || menuOpen || anyMenuOpen() },
      );
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
      <div className={`app-body${conversationId ? ' has-conversation' : ''}`} onPointerDownCapture={onListPress} onFocusCapture={onListPress}>
        <Sidebar current={view} open={menuOpen} onClose={() => setMenuOpen(false)} />
        <ConversationList route={route} navigate={navigate} onOpenMenu={() => setMenuOpen(true)} filters={filters} onFilters={setFilters} rowsRef={rowsRef} actions={actions} />
        <section className="conversation-pane" aria-label="Conversation">
          {conversationId ? (
            paneChunk.status === 'loaded' ? (
              <paneChunk.components.ConversationPane key={conversationId} conversationId={conversationId} onBack={closeConversation} />
            ) : paneChunk.status === 'failed' ? (
              <EmptyState title="The conversation could not load" icon={<InboxIcon />}>
                <p>Omega could not be reached. Check your connection and try again.</p>
                <Button onClick={loadPane}>Try again</Button>
              </EmptyState>
            ) : null
          ) : (
            <EmptyState title="No conversation open" icon={<InboxIcon />}>
              Pick a conversation from the list, or press <kbd>j</kbd> to open the first.
            </EmptyState>
          )}
        </section>
        <aside className="client-panel" aria-label="Client">
          {conversationId && paneChunk.status === 'loaded' ? <paneChunk.components.ClientPanel key={conversationId} conversationId={conversationId} /> : null}
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
