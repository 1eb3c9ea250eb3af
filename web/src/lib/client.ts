// The app's GraphQL client: urql over same-origin /graphql (the session cookie is the only
// credential; the CSRF header lets graphql-yoga accept the POST) and graphql-ws over
// ws(s)://<host>/graphql for subscriptions.
//
// Cache: graphcache (normalized), not the document cache. Every inbox event carries the current
// Conversation and Message; with a normalized cache, writing that one event updates every view that
// shows them (list row, open conversation, client panel) without refetching. The document cache
// would drop whole queries on each mutation or event and refetch them. List membership (does a
// conversation still belong to this view?) is not something a cache can know; web/src/inbox does
// that from the events (listModel.ts).
import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { Client, fetchExchange, subscriptionExchange } from 'urql';

/** Types without an id of their own: embedded in their parent, not normalized. */
const embedded = [
  'Viewer',
  'PageInfo',
  'ConversationFilters',
  'ConversationFilterOption',
  'ConversationRead',
  'ConversationSearchHit',
  'MessageEvent',
  'QueryConversationsConnection',
  'QueryConversationsConnectionEdge',
  'ConversationRecentMessagesConnection',
  'ConversationRecentMessagesConnectionEdge',
  'QueryMessagesConnection',
  'QueryMessagesConnectionEdge',
  'QueryClientsConnection',
  'QueryClientsConnectionEdge',
  'QueryStaffConnection',
  'QueryStaffConnectionEdge',
  'QuerySavedRepliesConnection',
  'QuerySavedRepliesConnectionEdge',
  'MessageCreatedEvent',
  'MessageStatusChangedEvent',
  'ConversationUpdatedEvent',
  'ConversationReadEvent',
  'ClientUpdatedEvent',
  'ClientMergedEvent',
  'CombinedConversation',
  'LabelChangedEvent',
  'StaffUpdatedEvent',
  'LocationUpdatedEvent',
  'SavedReplyCreatedEvent',
  'SavedReplyUpdatedEvent',
  'SavedReplyDeletedEvent',
  'CampaignUpdatedEvent',
  'CampaignProgressEvent',
  'WebhookEndpointDisabledEvent',
  'SendResult',
  'QueuedMessage',
  'MarkMessagesReadPayload',
  'ExpiredSessions',
  'QuietHours',
  'TemplatePreview',
  'TemplateMissingVariable',
  'RecordResult',
  'RetryResult',
  'MessageSearchHit',
];

export type SocketEvent = 'connected' | 'closed';

export interface SocketEvents {
  listen(cb: (event: SocketEvent) => void): () => void;
  /** Drops the socket now (the browser went offline): its subscriptions fail and the live layer retries. */
  terminate(): void;
}

export interface ApiClient {
  client: Client;
  ws: WsClient;
  /** The socket's connected/closed moments, for the live layer's banner. */
  socketEvents: SocketEvents;
  /** Closes the socket and stops everything (sign-out, or a new client after sign-in). */
  dispose(): void;
}

export interface ApiClientOptions {
  /** graphql-ws closed the socket with a code that means "sign in again" (4401, 4403). */
  onUnauthorized(): void;
}

export function wsUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const listeners = new Set<(event: SocketEvent) => void>();
  const emit = (event: SocketEvent) => {
    for (const cb of listeners) cb(event);
  };
  // No automatic retries: the live layer (web/src/live) resubscribes itself after a drop, with the
  // cursor of the last event it received, so nothing is missed or doubled.
  const ws = createWsClient({
    url: wsUrl(window.location),
    lazy: true,
    lazyCloseTimeout: 1000,
    retryAttempts: 0,
    keepAlive: 15_000,
    on: {
      connected: () => emit('connected'),
      closed: (event) => {
        const code = (event as CloseEvent | undefined)?.code;
        if (code === 4401 || code === 4403) options.onUnauthorized();
        emit('closed');
      },
    },
  });
  const keys = Object.fromEntries(embedded.map((t) => [t, () => null]));
  const client = new Client({
    url: '/graphql',
    fetchOptions: () => ({ credentials: 'same-origin', headers: { 'x-graphql-yoga-csrf': '1' } }),
    requestPolicy: 'cache-first',
    exchanges: [
      cacheExchange({ keys }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return {
    client,
    ws,
    socketEvents: {
      listen(cb) {
        listeners.add(cb);
        return () => listeners.delete(cb);
      },
      terminate: () => ws.terminate(),
    },
    dispose() {
      listeners.clear();
      void ws.dispose();
    },
  };
}
