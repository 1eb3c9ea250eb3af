// The app's routes (brief: /inbox, /inbox/:view, /inbox/:view/c/:id, /inbox/sign-in,
// /inbox/search?q=) as data, and each view's list filter. Pure: unit-tested.
import type { ConversationFilterInput, InboxView } from '../gql/graphql';

export type ViewId = 'inbox' | 'all' | 'mine' | 'unassigned' | 'mentions' | 'unread' | 'snoozed' | 'archived' | 'label';

export const VIEWS: { id: Exclude<ViewId, 'label'>; name: string }[] = [
  { id: 'inbox', name: 'Inbox' },
  { id: 'mine', name: 'Mine' },
  { id: 'unassigned', name: 'Unassigned' },
  { id: 'mentions', name: 'Mentions' },
  { id: 'unread', name: 'Unread' },
  { id: 'snoozed', name: 'Snoozed' },
  { id: 'archived', name: 'Archived' },
  { id: 'all', name: 'All' },
];

export interface ViewRef {
  view: ViewId;
  /** With view label. */
  labelId?: string;
}

export type InboxRoute =
  { page: 'sign-in' } | { page: 'search'; query: string; conversationId: string | null } | { page: 'inbox'; view: ViewRef; conversationId: string | null } | { page: 'not-found' };

const VIEW_IDS = new Set<string>(['inbox', 'all', 'mine', 'unassigned', 'mentions', 'unread', 'snoozed', 'archived']);

/** Parses a location (path and search) of the app. */
export function parseRoute(pathname: string, search = ''): InboxRoute {
  const parts = pathname.replace(/\/+$/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'inbox') return { page: 'not-found' };
  const rest = parts.slice(1);
  if (rest.length === 0) return { page: 'inbox', view: { view: 'inbox' }, conversationId: null };
  if (rest[0] === 'sign-in' && rest.length === 1) return { page: 'sign-in' };
  if (rest[0] === 'search') {
    const query = new URLSearchParams(search).get('q') ?? '';
    if (rest.length === 1) return { page: 'search', query, conversationId: null };
    if (rest.length === 3 && rest[1] === 'c') return { page: 'search', query, conversationId: rest[2]! };
    return { page: 'not-found' };
  }
  let view: ViewRef;
  let tail: string[];
  if (rest[0] === 'label' && rest[1]) {
    view = { view: 'label', labelId: rest[1] };
    tail = rest.slice(2);
  } else if (rest[0] && VIEW_IDS.has(rest[0])) {
    view = { view: rest[0] as ViewId };
    tail = rest.slice(1);
  } else return { page: 'not-found' };
  if (tail.length === 0) return { page: 'inbox', view, conversationId: null };
  if (tail.length === 2 && tail[0] === 'c') return { page: 'inbox', view, conversationId: tail[1]! };
  return { page: 'not-found' };
}

/** The path of a view (and, optionally, an open conversation in it). */
export function viewPath(view: ViewRef, conversationId?: string | null): string {
  const base = view.view === 'label' ? `/inbox/label/${encodeURIComponent(view.labelId ?? '')}` : `/inbox/${view.view}`;
  if (conversationId) return `${base}/c/${encodeURIComponent(conversationId)}`;
  return view.view === 'inbox' ? '/inbox' : base;
}

export function searchPath(query: string, conversationId?: string | null): string {
  const q = `?q=${encodeURIComponent(query)}`;
  return conversationId ? `/inbox/search/c/${encodeURIComponent(conversationId)}${q}` : `/inbox/search${q}`;
}

export function sameView(a: ViewRef, b: ViewRef): boolean {
  return a.view === b.view && (a.view !== 'label' || a.labelId === b.labelId);
}

/** The API's list filter of a view for the signed-in staff member (`staffId`), with the sidebar's filters. */
export function viewFilter(view: ViewRef, staffId: string, extra: ConversationFilterInput = {}): ConversationFilterInput {
  const base: Record<ViewId, ConversationFilterInput> = {
    inbox: { view: 'inbox' },
    all: { view: 'all' },
    mine: { view: 'inbox', assigneeId: staffId },
    unassigned: { view: 'inbox', unassigned: true },
    mentions: { view: 'mentions' },
    unread: { view: 'unread' },
    snoozed: { view: 'snoozed' },
    archived: { view: 'archived' },
    label: { view: 'inbox', labelIds: view.labelId ? [view.labelId] : [] },
  };
  const filter = { ...extra, ...base[view.view] };
  // A view's own assignee wins over the sidebar's assignee filter.
  if (view.view === 'mine' || view.view === 'unassigned') {
    if (view.view === 'unassigned') delete filter.assigneeId;
  }
  return filter;
}

/** The InboxView of a view (for the count in conversationFilters.views). */
export function apiView(view: ViewId): InboxView | null {
  const map: Partial<Record<ViewId, InboxView>> = { inbox: 'inbox', all: 'all', mentions: 'mentions', unread: 'unread', snoozed: 'snoozed', archived: 'archived' };
  return map[view] ?? null;
}
