// The signed-in app: who am I (viewer; not a session -> sign-in), then the live layer, then the
// layout: sidebar | list | conversation pane | client panel.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { expireSession } from '../auth/session';
import { ClientPanel } from '../client/ClientPanel';
import { ConversationPane } from '../conversation/ConversationPane';
import { LiveProvider, useConnectionState } from '../live';
import type { ApiClient } from '../lib/client';
import { describeError, isUnauthenticated } from '../lib/errors';
import { Banner, Button, EmptyState, Spinner } from '../ui';
import { InboxIcon } from '../ui/icons';
import { ConversationList } from './ConversationList';
import { MeContext, type Me } from './me';
import { MeQuery, ViewerQuery } from './queries';
import type { InboxRoute, ViewRef } from './routes';
import { Sidebar } from './Sidebar';

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
      signedIn && me.data
        ? {
            ...signedIn,
            name: me.data.staffMember.name,
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
      <span data-testid="connection-banner">Reconnecting…</span>
    </Banner>
  );
}

function Layout({ route, navigate }: { route: InboxAppProps['route']; navigate: InboxAppProps['navigate'] }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const view: ViewRef | null = route.page === 'inbox' ? route.view : null;
  const conversationId = route.conversationId;
  const closeConversation = useCallback(() => {
    if (route.page === 'search') navigate(`/inbox/search?q=${encodeURIComponent(route.query)}`);
    else navigate(route.view.view === 'inbox' ? '/inbox' : `/inbox/${route.view.view === 'label' ? `label/${route.view.labelId ?? ''}` : route.view.view}`);
  }, [route, navigate]);
  return (
    <div className="app">
      <ConnectionBanner />
      <div className={`app-body${conversationId ? ' has-conversation' : ''}`}>
        <Sidebar current={view} open={menuOpen} onClose={() => setMenuOpen(false)} />
        <ConversationList route={route} navigate={navigate} onOpenMenu={() => setMenuOpen(true)} />
        <section className="conversation-pane" aria-label="Conversation">
          {conversationId ? (
            <ConversationPane key={conversationId} conversationId={conversationId} onBack={closeConversation} />
          ) : (
            <EmptyState title="No conversation open" icon={<InboxIcon />}>
              Pick a conversation from the list, or press <kbd>j</kbd> to open the first.
            </EmptyState>
          )}
        </section>
        <aside className="client-panel" aria-label="Client">
          {conversationId ? <ClientPanel key={conversationId} conversationId={conversationId} /> : null}
        </aside>
      </div>
    </div>
  );
}
