// The live layer's public face. Components use exactly these:
//
//   useInboxEvent(handler: (event: InboxEvent) => void): void
//     Calls `handler` with every inbox event of the signed-in business, once each, in order (the
//     latest handler is used; no need to memoize it). The event's conversation and message are
//     already in the normalized cache, so views that only read the cache need no handler at all.
//
//   useConnectionState(): ConnectionState
//     { status: 'connecting' | 'live' | 'reconnecting' | 'closed', attempt, generation, lastCursor, error }
//
// Types: InboxEvent (an inboxEvents result), ConnectionState: ./types.ts.
import { useContext, useEffect, useRef } from 'react';
import { ConnectionContext, LiveEventsContext } from './LiveProvider';
import type { ConnectionState, InboxEventHandler } from './types';

export type { ConnectionState, InboxEvent, InboxEventHandler } from './types';
export { LiveProvider } from './LiveProvider';

export function useInboxEvent(handler: InboxEventHandler): void {
  const live = useContext(LiveEventsContext);
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (!live) return;
    return live.subscribe((event) => latest.current(event));
  }, [live]);
}

const OFFLINE: ConnectionState = { status: 'connecting', attempt: 0, generation: 0, lastCursor: null, error: null };

export function useConnectionState(): ConnectionState {
  return useContext(ConnectionContext) ?? OFFLINE;
}
