// Routes: /inbox/sign-in (sign-in page), /inbox, /inbox/:view, /inbox/:view/c/:id, /inbox/search?q=
// (the signed-in app, behind the viewer gate). The API client lives here: a new one after each
// sign-in, so nothing of the previous session stays in the cache.
import { useCallback, useEffect, useState } from 'react';
import { Provider } from 'urql';
import { useLocation, useSearch } from 'wouter';
import { SignInPage } from './auth/SignInPage';
import { InboxApp } from './inbox/InboxApp';
import { parseRoute } from './inbox/routes';
import { createApiClient, type ApiClient } from './lib/client';
import { EmptyState } from './ui';

export function App() {
  const [location, setLocation] = useLocation();
  const search = useSearch();
  const [api, setApi] = useState<ApiClient | null>(null);
  const route = parseRoute(location, search ? `?${search}` : '');

  // Signed out (or the session ended): the sign-in page, which closes the socket and drops the cache.
  const signedOut = useCallback(() => setLocation('/inbox/sign-in', { replace: true }), [setLocation]);

  useEffect(() => {
    // The sign-in page drops the client (and its cache): whoever signs in next starts clean.
    if (route.page === 'sign-in') {
      if (api) {
        api.dispose();
        setApi(null);
      }
      return;
    }
    if (!api) setApi(createApiClient({ onUnauthorized: () => signedOut() }));
  }, [route.page, api, signedOut]);

  useEffect(() => {
    if (location === '/' || location === '') setLocation('/inbox', { replace: true });
  }, [location, setLocation]);

  if (route.page === 'sign-in') return <SignInPage onSignedIn={() => setLocation('/inbox', { replace: true })} />;
  if (route.page === 'not-found') {
    return (
      <div className="center">
        <EmptyState title="There is no such page">
          <a href="/inbox">Go to the inbox</a>
        </EmptyState>
      </div>
    );
  }
  if (!api) return null;
  return (
    <Provider value={api.client}>
      <InboxApp route={route} api={api} navigate={setLocation} onSignedOut={signedOut} />
    </Provider>
  );
}
