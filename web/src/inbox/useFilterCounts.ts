// The sidebar's and filters' counts: conversationFilters, fetched again (once, 400 ms after a burst)
// when an event changed a conversation. Counts cannot be derived from an event alone (it carries the
// conversation as it is now, not what it was), so this one small query is refreshed; the list is not.
// Also at once when the state was reloaded (CURSOR_EXPIRED: the live generation changed; the app
// stays mounted then, so nothing else would ask again).
import { useEffect, useRef } from 'react';
import { useQuery } from 'urql';
import type { ConversationFiltersQuery as Data } from '../gql/graphql';
import { useConnectionState, useInboxEvent } from '../live';
import { useMe } from './me';
import { ConversationFiltersQuery } from './queries';
import type { ViewId } from './routes';

type LabelOption = Data['conversationFilters']['labels'][number];

export interface FilterCounts {
  data: Data['conversationFilters'] | null;
  /** total: the view's conversations; unread: those unread by me. */
  view(view: Exclude<ViewId, 'label'>, staffId: string): { total: number; unread: number };
  labels: LabelOption[];
}

const COUNTED = new Set(['MESSAGE_CREATED', 'CONVERSATION_UPDATED', 'CONVERSATION_READ', 'CLIENT_MERGED', 'LABEL_CHANGED', 'CLIENT_UPDATED']);

export function useFilterCounts(): FilterCounts {
  const me = useMe();
  const [result, refetch] = useQuery({ query: ConversationFiltersQuery, variables: { businessId: me.businessId }, requestPolicy: 'cache-and-network' });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useInboxEvent((event) => {
    if (!COUNTED.has(event.kind)) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => refetch({ requestPolicy: 'network-only' }), 400);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  const { generation } = useConnectionState();
  const seenGeneration = useRef(generation);
  useEffect(() => {
    if (generation === seenGeneration.current) return;
    seenGeneration.current = generation;
    clearTimeout(timer.current);
    refetch({ requestPolicy: 'network-only' });
  }, [generation, refetch]);
  const data = result.data?.conversationFilters ?? null;
  return {
    data,
    view(view, staffId) {
      if (!data) return { total: 0, unread: 0 };
      if (view === 'mine') return { total: data.assignees.find((a) => a.value === staffId)?.count ?? 0, unread: 0 };
      if (view === 'unassigned') return { total: data.assignees.find((a) => a.value === null)?.count ?? 0, unread: 0 };
      const v = data.views.find((o) => o.value === view);
      return { total: v?.count ?? 0, unread: view === 'archived' || view === 'all' ? 0 : (v?.unreadCount ?? 0) };
    },
    labels: data?.labels ?? [],
  };
}
