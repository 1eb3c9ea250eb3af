// Typed inbox events (issue 15): one GraphQL type per event type with its fields, the current
// message / conversation / client read once per burst of events, the current cursor, and
// CURSOR_EXPIRED for a cursor the log has pruned past.
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pgSql } from '../../src/db/sqlHandle.js';
import { insertInboxEvents } from '../../src/db/sql/insertInboxEvent.js';
import { runTransaction, pgTransaction } from '../../src/db/transaction.js';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { applySmsKeyword } from '../../src/domain/clients/applySmsKeyword.js';
import { addNote } from '../../src/domain/conversations/addNote.js';
import { assignConversation } from '../../src/domain/conversations/assignConversation.js';
import { updateConversationStatus } from '../../src/domain/conversations/updateConversationStatus.js';
import { publishInboxEvent } from '../../src/domain/inbox/publishInboxEvent.js';
import { markMessagesRead } from '../../src/domain/messages/markMessagesRead.js';
import { collectEvents } from '../helpers/collectEvents.js';
import { buildInbox } from '../helpers/inboxFixture.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';

const B = 'typed';

const TYPED = `subscription ($b: String!, $after: String) { inboxEvents(businessId: $b, after: $after) {
  __typename cursor type kind businessId conversationId messageId createdAt
  conversation { conversationId status assignee { firstName } client { name } }
  message { messageId body channel }
  ... on MessageCreatedEvent { channel direction status conversationStatus reopened }
  ... on MessageStatusChangedEvent { channel status previousStatus errorCode retry voiceCallId callStatus previousCallStatus durationSeconds recordingUrl staffId }
  ... on ConversationUpdatedEvent { change conversationStatus snoozedUntil pinned muted reason assigneeId }
  ... on ConversationReadEvent { read unreadCount staffId staffUnreadCount }
  ... on ClientUpdatedEvent { clientId consent smsOptOut keyword reason client { name smsOptOut } }
  ... on WebhookEndpointDisabledEvent { endpointId disabledReason failingSince }
} }`;

/** A burst's selection: the batched objects and relations below them (the client's home location, the last message, the message's conversation). */
const BURST = `subscription ($b: String!, $after: String) { inboxEvents(businessId: $b, after: $after) {
  cursor kind
  message { messageId body status conversation { conversationId } }
  conversation { conversationId status unreadCount client { name phones homeLocation { name } } assignee { firstName } lastMessage { body } location { name } recentMessages(first: 1) { edges { node { body } } } }
  ... on ClientUpdatedEvent { client { name smsOptOut homeLocation { name } } }
} }`;

describe('typed inbox events', () => {
  let t: TestApp;
  let url: string;
  let key: string;
  let otherKey: string;
  let inbox: Awaited<ReturnType<typeof buildInbox>>;
  const sockets: Client[] = [];
  /** Statements run on this file's database, but by `burst` (the test's own writer). */
  const statements: string[] = [];
  let burstClient: pg.Client | null = null;
  let restoreQuery = () => undefined as void;

  const connect = (apiKey = key) => {
    const client = createClient({ url, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, connectionParams: { 'X-API-KEY': apiKey }, onNonLazyError: () => undefined });
    sockets.push(client);
    return client;
  };

  /** The business's newest event cursor: subscribing after it makes "live" deterministic. */
  const latest = async () =>
    (await t.deps.pool.query(`SELECT coalesce((SELECT xid || ':' || id FROM inbox_events WHERE business_id = $1 ORDER BY xid DESC, id DESC LIMIT 1), '0:0') AS c`, [B])).rows[0].c as string;

  const gql = async (query: string, variables: Record<string, unknown> = {}, apiKey = key) =>
    (await t.app.inject({ method: 'POST', url: '/graphql', payload: { query, variables }, headers: { 'x-api-key': apiKey } })).json();

  beforeAll(async () => {
    t = await startTestApp();
    url = `${(await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/graphql`;
    inbox = await buildInbox(
      t.deps,
      B,
      Array.from({ length: 50 }, (_, i) => ({
        client: { firstName: `Client${i}`, lastName: `Number${i}`, phone: `+1415555${String(2000 + i)}` },
        location: (i % 2) as 0 | 1,
        messages: [{ direction: 'inbound' as const, body: `Hello ${i}`, minutesAgo: 100 - i }],
      })),
    );
    for (let i = 0; i < 50; i += 3) await t.deps.prisma.conversation.update({ where: { id: inbox.conversations[i]!.conversationId }, data: { assigneeId: inbox.staff[i % 2]!.id } });
    key = (await createApiKey(t.deps, { name: 't', businessId: B })).key;
    otherKey = (await createBusiness(t.deps, 'typed-other')).apiKey;

    // Count at the driver, on every connection to this file's database (pooled ones created before
    // this point included), but the test's own writer.
    const database = new URL(t.db.url).pathname.slice(1);
    const original = pg.Client.prototype.query;
    restoreQuery = () => {
      pg.Client.prototype.query = original;
    };
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      if (this !== burstClient && (this as unknown as { connectionParameters: { database: string } }).connectionParameters.database === database) {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
        statements.push(text ?? '');
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
  });
  afterAll(async () => {
    restoreQuery();
    await Promise.all(sockets.map(async (c) => c.dispose()));
    await burstClient?.end();
    await t.close();
  });

  it('yields each event as the type of its kind, with typed fields and the objects as they are now', async () => {
    const [c0, c1, c2] = inbox.conversations as [(typeof inbox.conversations)[0], (typeof inbox.conversations)[0], (typeof inbox.conversations)[0]];
    const after = await latest();
    const note = await addNote(t.deps, { principal: null, businessId: B, conversationId: c1.conversationId, body: 'Call her back' });
    await pgTransaction(t.deps, (sql) =>
      publishInboxEvent(sql, {
        businessId: B,
        type: 'message.status_changed',
        conversationId: c0.conversationId,
        messageId: c0.messageIds[0]!,
        payload: { channel: 'voice', voiceCallId: 'call-1', callStatus: 'completed', previousCallStatus: 'in_progress', status: 'delivered', durationSeconds: 42, recordingUrl: null, staffId: null },
      }),
    );
    await updateConversationStatus(t.deps, { businessId: B, conversationId: c0.conversationId, status: 'snoozed', snoozedUntil: new Date('2030-01-02T03:04:05Z'), pinned: true });
    await assignConversation(t.deps, { businessId: B, conversationId: c2.conversationId, staffId: inbox.staff[1]!.id });
    await markMessagesRead(t.deps, { principal: null, businessId: B, read: true, conversationId: c2.conversationId });
    await runTransaction(t.deps, (tx) =>
      applySmsKeyword(tx, { businessId: B, clientId: c2.clientId, conversationId: c2.conversationId, messageId: c2.messageIds[0]!, keyword: 'stop', at: new Date() }),
    );
    await pgTransaction(t.deps, (sql) =>
      publishInboxEvent(sql, {
        businessId: B,
        type: 'webhook_endpoint.disabled',
        payload: { endpointId: 'ep-1', reason: 'gone', failingSince: '2030-01-01T00:00:00.000Z' },
      }),
    );
    // Subscribed once all is committed: the objects are the same whenever each event's page is read.
    const sub = collectEvents<any>(connect(), TYPED, { b: B, after }, 7);
    const events = await sub.done;
    sub.dispose();

    expect(events.map((e) => [e.__typename, e.kind, e.type])).toEqual([
      ['MessageCreatedEvent', 'MESSAGE_CREATED', 'message.created'],
      ['MessageStatusChangedEvent', 'MESSAGE_STATUS_CHANGED', 'message.status_changed'],
      ['ConversationUpdatedEvent', 'CONVERSATION_UPDATED', 'conversation.updated'],
      ['ConversationUpdatedEvent', 'CONVERSATION_UPDATED', 'conversation.updated'],
      ['ConversationReadEvent', 'CONVERSATION_READ', 'conversation.read'],
      ['ClientUpdatedEvent', 'CLIENT_UPDATED', 'client.updated'],
      ['WebhookEndpointDisabledEvent', 'WEBHOOK_ENDPOINT_DISABLED', 'webhook_endpoint.disabled'],
    ]);
    const [created, status, snoozed, assigned, read, stop, disabled] = events;
    expect(created).toMatchObject({
      messageId: note.id,
      channel: 'note',
      direction: 'internal',
      status: 'recorded',
      conversationStatus: 'open',
      reopened: false,
      message: { messageId: note.id, body: 'Call her back', channel: 'note' },
      conversation: { conversationId: c1.conversationId, client: { name: 'Client1 Number1' } },
    });
    expect(status).toMatchObject({
      channel: 'voice',
      status: 'delivered',
      previousStatus: null,
      retry: false,
      voiceCallId: 'call-1',
      callStatus: 'completed',
      previousCallStatus: 'in_progress',
      durationSeconds: 42,
      recordingUrl: null,
      message: { messageId: c0.messageIds[0], body: 'Hello 0' },
    });
    // The conversation as it is now (snoozed), not as it was when the event was written.
    expect(status.conversation).toMatchObject({ conversationId: c0.conversationId, status: 'snoozed', assignee: { firstName: 'Maya' }, client: { name: 'Client0 Number0' } });
    expect(snoozed).toMatchObject({
      change: 'status',
      conversationStatus: 'snoozed',
      snoozedUntil: '2030-01-02T03:04:05.000Z',
      pinned: true,
      muted: false,
      reason: null,
      assigneeId: null,
      message: null,
    });
    expect(assigned).toMatchObject({ change: 'assignment', conversationStatus: null, assigneeId: inbox.staff[1]!.id, conversation: { assignee: { firstName: 'Jonas' } } });
    expect(read).toMatchObject({ read: true, unreadCount: 0, staffId: null, staffUnreadCount: null, conversationId: c2.conversationId });
    expect(stop).toMatchObject({
      clientId: c2.clientId,
      consent: 'sms_opt_out',
      smsOptOut: true,
      keyword: 'STOP',
      reason: 'stop',
      client: { name: 'Client2 Number2', smsOptOut: true },
      message: { messageId: c2.messageIds[0] },
    });
    expect(disabled).toMatchObject({ endpointId: 'ep-1', disabledReason: 'gone', failingSince: '2030-01-01T00:00:00.000Z', conversation: null, message: null });
  });

  it('reads the objects of a burst in the same number of statements for 5 events as for 50', async () => {
    burstClient = new pg.Client({ connectionString: t.db.url });
    await burstClient.connect();
    const writer = pgSql(burstClient);
    /** `n` events in one transaction, each naming a conversation, message or client of its own; subscribers are woken as after any commit. */
    const burst = async (n: number) => {
      const events = inbox.conversations
        .slice(0, n)
        .map((c, i) =>
          i % 3 === 0
            ? { type: 'message.created', conversationId: c.conversationId, messageId: c.messageIds[0]!, payload: { channel: 'sms', direction: 'inbound', status: 'received' } }
            : i % 3 === 1
              ? { type: 'conversation.updated', conversationId: c.conversationId, payload: { change: 'status', status: 'open' } }
              : { type: 'client.updated', conversationId: c.conversationId, payload: { clientId: c.clientId, consent: 'sms_opt_out' } },
        );
      await burstClient!.query('BEGIN');
      await insertInboxEvents(writer, B, events);
      await burstClient!.query('COMMIT');
      t.deps.sql.eventsWritten([B]);
    };
    /** The statements the app ran while delivering, but its reads of the log (their number follows timing, not the events). */
    const objectStatements = () => statements.filter((s) => !/inbox_events|NOTIFY|pg_notify/i.test(s));

    const received: any[] = [];
    let failure: unknown = null;
    const socket = connect();
    const dispose = socket.subscribe<any>(
      { query: BURST, variables: { b: B, after: await latest() } },
      { next: (m) => (m.errors ? (failure = m.errors) : received.push(m.data.inboxEvents)), error: (e) => (failure = e), complete: () => undefined },
    );
    const measure = async (n: number) => {
      const before = received.length;
      await waitFor('every pooled connection to be idle', () => t.deps.pool.idleCount === t.deps.pool.totalCount && t.deps.pool.waitingCount === 0);
      statements.length = 0;
      await burst(n);
      await waitFor(`${n} events`, () => failure !== null || received.length >= before + n, 10_000);
      expect(failure).toBeNull();
      return { count: objectStatements().length, texts: objectStatements(), events: received.slice(before) };
    };
    // One event first: the subscription has started (its authorization and first reads are done).
    await measure(1);
    const small = await measure(5);
    const large = await measure(50);
    dispose();

    expect(large.events).toHaveLength(50);
    const [message, updated, client] = large.events.slice(0, 3);
    expect(message).toMatchObject({ kind: 'MESSAGE_CREATED', message: { body: 'Hello 0', conversation: { conversationId: inbox.conversations[0]!.conversationId } } });
    expect(message.conversation).toMatchObject({ client: { name: 'Client0 Number0' }, assignee: { firstName: 'Maya' }, lastMessage: { body: 'Hello 0' }, location: { name: 'Alpha' } });
    expect(updated).toMatchObject({ kind: 'CONVERSATION_UPDATED', message: null, conversation: { client: { name: 'Client1 Number1' }, assignee: null, location: { name: 'Beta' } } });
    expect(client).toMatchObject({ kind: 'CLIENT_UPDATED', client: { name: 'Client2 Number2', homeLocation: null } });
    expect(large.events.at(-1)).toMatchObject({ conversation: { client: { name: 'Client49 Number49' } } });
    // Messages, conversations and clients, each with the relations selected below them: a few
    // statements per burst, whatever its size.
    expect(large.count, large.texts.join('\n')).toBe(small.count);
    expect(small.count).toBeGreaterThan(0);
    expect(small.count).toBeLessThanOrEqual(12);
  });

  it('gives the current cursor: an event committed after it reaches a subscription from it', async () => {
    const res = await gql('query ($b: String!) { inboxEventCursor(businessId: $b) }', { b: B });
    expect(res.errors).toBeUndefined();
    const cursor = res.data.inboxEventCursor as string;
    expect(cursor).toMatch(/^\d+:\d+$/);
    const c = inbox.conversations[5]!;
    await updateConversationStatus(t.deps, { businessId: B, conversationId: c.conversationId, muted: true });
    // Subscribed only now: the event committed before is still delivered.
    const sub = collectEvents<any>(connect(), TYPED, { b: B, after: cursor }, 1);
    const [event] = await sub.done;
    sub.dispose();
    expect(event).toMatchObject({ kind: 'CONVERSATION_UPDATED', conversationId: c.conversationId, muted: true });

    const foreign = await gql('query ($b: String!) { inboxEventCursor(businessId: $b) }', { b: B }, otherKey);
    expect(foreign.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(foreign.data).toBeNull();
  });

  it('refuses a cursor older than the pruned part of the log with CURSOR_EXPIRED, over graphql-ws and HTTP', async () => {
    const old = await latest();
    await pgTransaction(t.deps, (sql) => publishInboxEvent(sql, { businessId: B, type: 'conversation.updated', payload: { change: 'status' } }));
    const pruned = await latest();
    const [xid, id] = pruned.split(':');
    // As pruneInboxEvents leaves it: the newest deleted position (nothing is deleted here).
    await t.deps.pool.query(`INSERT INTO inbox_event_horizons (business_id, xid, event_id, updated_at) VALUES ($1, $2::xid8, $3::bigint, now())`, [B, xid, id]);
    try {
      const sub = collectEvents<any>(connect(), 'subscription ($b: String!, $after: String) { inboxEvents(businessId: $b, after: $after) { cursor } }', { b: B, after: old }, 1);
      const refused = await sub.done.then(
        () => null,
        (err: Error) => JSON.parse(err.message),
      );
      expect(refused).toEqual([expect.objectContaining({ message: expect.stringContaining('older than the event log keeps'), extensions: { code: 'CURSOR_EXPIRED', kind: 'gone' } })]);

      const http = await t.app.inject({
        method: 'POST',
        url: '/graphql',
        payload: { query: 'subscription ($b: String!, $after: String) { inboxEvents(businessId: $b, after: $after) { cursor } }', variables: { b: B, after: old } },
        headers: { 'x-api-key': key, accept: 'text/event-stream' },
      });
      const data = http.body
        .split('\n')
        .filter((line) => line.startsWith('data: ') && line.length > 'data: '.length)
        .map((line) => JSON.parse(line.slice('data: '.length)));
      expect(data[0].errors).toEqual([expect.objectContaining({ extensions: { code: 'CURSOR_EXPIRED', kind: 'gone' } })]);

      // The pruned position itself and later ones are still good.
      const fresh = collectEvents<any>(connect(), 'subscription ($b: String!, $after: String) { inboxEvents(businessId: $b, after: $after) { cursor } }', { b: B, after: pruned }, 1);
      await pgTransaction(t.deps, (sql) => publishInboxEvent(sql, { businessId: B, type: 'conversation.updated', payload: { change: 'status' } }));
      expect((await fresh.done)[0].cursor).not.toBe(pruned);
      fresh.dispose();
    } finally {
      await t.deps.pool.query(`DELETE FROM inbox_event_horizons WHERE business_id = $1`, [B]);
    }
  });
});
