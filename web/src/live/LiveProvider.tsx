// The live layer: one inboxEvents subscription per signed-in app. The cursor is taken BEFORE the
// children load anything (they render only once it is known), the subscription starts `after:` it,
// and every event's cursor is remembered. A dropped socket shows "Reconnecting…", reconnects with
// backoff and resumes (resume.ts: one event early, so that a first answer confirms it; the status
// is "live" only then); repeats are dropped by cursor (cursorLog.ts).
// CURSOR_EXPIRED (offline longer than the log keeps) reloads the state: a new cursor, then the
// generation number changes so every view refetches. The children stay mounted meanwhile (open
// menus, the pane, the list's place are kept); they are rendered once, when the first cursor is known.
import { createContext, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useClient } from 'urql';
import type { SocketEvents } from '../lib/client';
import { errorCode, isUnauthenticated } from '../lib/errors';
import { backoffMs, createCursorLog } from './cursorLog';
import { InboxEventCursorQuery, InboxEventsSubscription } from './events';
import { resumePlan } from './resume';
import type { ConnectionState, InboxEvent, InboxEventHandler } from './types';

/** Stable for the provider's life: components that only listen to events never re-render for it. */
export interface LiveEvents {
  subscribe(handler: InboxEventHandler): () => void;
}

export const LiveEventsContext = createContext<LiveEvents | null>(null);
export const ConnectionContext = createContext<ConnectionState | null>(null);

export interface LiveProviderProps {
  businessId: string;
  /** The socket closed for good reasons of auth (4401/4403) or the API said UNAUTHENTICATED. */
  onUnauthorized(): void;
  /** Socket state from the API client (web/src/lib/client.ts). */
  socketEvents: SocketEvents;
  children: ReactNode;
}

export function LiveProvider({ businessId, onUnauthorized, socketEvents, children }: LiveProviderProps) {
  const client = useClient();
  const handlers = useRef(new Set<InboxEventHandler>());
  const [connection, setConnection] = useState<ConnectionState>({ status: 'connecting', attempt: 0, generation: 0, lastCursor: null, error: null });
  // Bumped to take a new cursor (CURSOR_EXPIRED, or the cursor query failed): the effect runs again.
  // The generation views see (connection.generation) follows only once that cursor is known.
  const [epoch, setEpoch] = useState(0);
  const [ready, setReady] = useState(false);
  // Whether the socket is open now (for a subscription that is live with its socket: resume.ts).
  const socketOpen = useRef(false);
  const unauthorized = useRef(onUnauthorized);
  unauthorized.current = onUnauthorized;

  useEffect(() => {
    let stopped = false;
    let unsubscribe: (() => void) | null = null;
    // A pending retry; cleared when it runs.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const retryIn = (ms: number, run: () => void) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        run();
      }, ms);
    };
    let attempt = 0;
    const log = createCursorLog(null);
    // Only a change of status (or attempt, error, generation) renders: events alone do not.
    const update = (patch: Partial<ConnectionState>) =>
      setConnection((c) => {
        const next = { ...c, ...patch };
        if (next.status === c.status && next.attempt === c.attempt && next.error === c.error && next.generation === c.generation) return c;
        return { ...next, lastCursor: log.last };
      });

    // The current subscription's "it is live now" (once; not after it failed).
    let confirmSocket: (() => void) | null = null;
    const subscribe = () => {
      if (stopped) return;
      const plan = resumePlan(log);
      const source = client.subscription(InboxEventsSubscription, { businessId, after: plan.after }, { requestPolicy: 'network-only' });
      let failed = false;
      let confirmed = false;
      const confirm = () => {
        if (confirmed || failed || stopped) return;
        confirmed = true;
        attempt = 0;
        update({ status: 'live', attempt: 0, error: null });
      };
      let sub: { unsubscribe(): void } | null = null;
      sub = source.subscribe((result) => {
        if (stopped || failed) return;
        if (result.error) {
          failed = true;
          const code = errorCode(result.error);
          // (Asynchronously: a source may report an error while subscribe() has not returned yet.)
          queueMicrotask(() => sub?.unsubscribe());
          if (code === 'CURSOR_EXPIRED') {
            update({ status: 'reconnecting', error: code });
            setEpoch((e) => e + 1);
            return;
          }
          if (isUnauthenticated(result.error) || code === 'FORBIDDEN') {
            update({ status: 'closed', error: code ?? 'UNAUTHENTICATED' });
            unauthorized.current();
            return;
          }
          attempt += 1;
          update({ status: 'reconnecting', attempt, error: code ?? 'NETWORK' });
          retryIn(backoffMs(attempt - 1), subscribe);
          return;
        }
        // Any result of this subscription, a repeat too, shows that the server accepted it.
        confirm();
        const event = result.data?.inboxEvents as InboxEvent | undefined;
        if (!event || !log.accept(event.cursor)) return;
        for (const handler of handlers.current) handler(event);
      });
      unsubscribe = () => sub?.unsubscribe();
      confirmSocket = plan.liveOn === 'socket' ? confirm : null;
      if (socketOpen.current) confirmSocket?.();
    };

    // The cursor first, then the children load their data, then the subscription starts after it.
    void client
      .query(InboxEventCursorQuery, { businessId }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        if (stopped) return;
        if (result.error) {
          if (isUnauthenticated(result.error)) unauthorized.current();
          else {
            attempt += 1;
            update({ status: 'reconnecting', attempt, error: errorCode(result.error) ?? 'NETWORK' });
            retryIn(backoffMs(attempt - 1), () => setEpoch((e) => e + 1));
          }
          return;
        }
        log.reset(result.data?.inboxEventCursor ?? null);
        // Now (not before) the views reload, from a state newer than this cursor.
        update({ generation: epoch });
        setReady(true);
        subscribe();
      });

    const stopSocket = socketEvents.listen((event) => {
      socketOpen.current = event === 'connected';
      if (event === 'connected') confirmSocket?.();
    });
    // The browser knows before the socket does: drop it at once, and retry as soon as it is back.
    const offline = () => socketEvents.terminate();
    const online = () => {
      if (timer !== undefined && unsubscribe) retryIn(0, subscribe);
    };
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe?.();
      stopSocket();
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
    };
  }, [client, businessId, epoch, socketEvents]);

  const subscribeHandler = useCallback((handler: InboxEventHandler) => {
    handlers.current.add(handler);
    return () => {
      handlers.current.delete(handler);
    };
  }, []);
  const events = useMemo(() => ({ subscribe: subscribeHandler }), [subscribeHandler]);
  return (
    <LiveEventsContext.Provider value={events}>
      <ConnectionContext.Provider value={connection}>{ready ? children : null}</ConnectionContext.Provider>
    </LiveEventsContext.Provider>
  );
}
