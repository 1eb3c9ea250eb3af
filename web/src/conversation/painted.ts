// "The open conversation's messages are on screen": what waits for it (the client panel's query, the
// composer's saved replies and staff, marking read) starts after, so the one request the first paint
// needs does not share the server with them.
import { useEffect, useState, useSyncExternalStore } from 'react';

let painted: string | null = null;
const listeners = new Set<() => void>();

/** Called by the pane once the messages of `conversationId` have been painted. */
export function markPainted(conversationId: string): void {
  painted = conversationId;
  performance.mark('omega:conversation-painted');
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/**
 * Whether the pane has painted `conversationId` (or `fallbackMs` went by without: a view with no
 * pane, or one that failed to load, still gets its data).
 */
export function usePainted(conversationId: string, fallbackMs = 400): boolean {
  const now = useSyncExternalStore(subscribe, () => painted === conversationId);
  const [late, setLate] = useState(false);
  useEffect(() => {
    if (now) return;
    const t = setTimeout(() => setLate(true), fallbackMs);
    return () => clearTimeout(t);
  }, [now, fallbackMs]);
  return now || late;
}
