import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { listConversations } from '../../src/domain/conversations/listConversations.js';
import { buildInbox } from '../helpers/inboxFixture.js';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';

const CONVERSATIONS = `query ($b: String!, $first: Int, $after: String, $filter: ConversationFilterInput) {
  conversations(businessId: $b, first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      conversationId unreadCount replied lastMessagePreview
      client { name phones groups }
      assignee { name }
      lastMessage { body direction channel }
      location { name }
    } }
  }
}`;

describe('inbox over GraphQL', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let inbox: Awaited<ReturnType<typeof buildInbox>>;
  /** Every statement any pooled connection of this app runs. */
  let statements = 0;
  let restoreQuery = () => undefined as void;

  beforeAll(async () => {
    t = await startTestApp();
    // Count at the driver, on every connection to this file's database (pooled ones created before
    // this point included).
    const database = new URL(t.db.url).pathname.slice(1);
    const original = pg.Client.prototype.query;
    restoreQuery = () => {
      pg.Client.prototype.query = original;
    };
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      if ((this as unknown as { connectionParameters: { database: string } }).connectionParameters.database === database) {
        statements++;
        if (process.env.SHOW_SQL) console.log('SQL', JSON.stringify(args[0]).slice(0, 150));
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    const specs = Array.from({ length: 60 }, (_, i) => ({
      client: { firstName: `Client${i}`, lastName: `Number${i}`, phone: `+1415555${String(1000 + i)}`, groups: i % 2 ? ['odd'] : [] },
      messages: [
        { direction: 'inbound' as const, body: i === 7 ? 'I would love a deep tissue massage next week' : `Hello number ${i}`, minutesAgo: 1000 - i },
        ...(i % 3 === 0 ? [{ direction: 'outbound' as const, body: `Reply ${i}`, minutesAgo: 999 - i }] : []),
      ],
    }));
    inbox = await buildInbox(t.deps, 'gq', specs);
    key = (await createApiKey(t.deps, { name: 't', businessId: 'gq' })).key;
    otherKey = (await createBusiness(t.deps, 'gq-other')).apiKey;
    for (let i = 3; i < 60; i += 4) {
      await t.deps.prisma.conversation.update({ where: { id: inbox.conversations[i]!.conversationId }, data: { assigneeId: inbox.staff[i % 8 === 3 ? 0 : 1]!.id } });
    }
  });
  afterAll(async () => {
    restoreQuery();
    await t.close();
  });

  const gql = async (query: string, variables: Record<string, unknown> = {}, k = key) => {
    const res = await t.app.inject({ method: 'POST', url: '/graphql', payload: { query, variables }, headers: { 'x-api-key': k } });
    return res.json() as { data?: Record<string, any>; errors?: { message: string; extensions: { code: string } }[] };
  };

  /**
   * The query's answer and the fewest statements it cost over three runs: background bookkeeping
   * (an API key's last-use stamp) may land inside one measurement, never inside all three.
   */
  const fewestStatements = async (query: string, variables: Record<string, unknown> = {}, k = key) => {
    let fewest = Infinity;
    let result: Awaited<ReturnType<typeof gql>> | undefined;
    for (let i = 0; i < 3; i++) {
      await waitFor('every pooled connection to be idle (background writes done)', () => t.deps.pool.idleCount === t.deps.pool.totalCount && t.deps.pool.waitingCount === 0);
      statements = 0;
      result = await gql(query, variables, k);
      fewest = Math.min(fewest, statements);
    }
    return { fewest, result: result! };
  };

  it('costs the same number of SQL statements for 5 or 50 conversations with client, assignee, last message and location', async () => {
    const { fewest: forSmall, result: small } = await fewestStatements(CONVERSATIONS, { b: 'gq', first: 5 });
    const { fewest: forLarge, result: large } = await fewestStatements(CONVERSATIONS, { b: 'gq', first: 50 });
    expect(small.errors).toBeUndefined();
    expect(large.data!.conversations.edges).toHaveLength(50);
    expect(large.data!.conversations.edges[3].node.client.name).toBe('Client56 Number56');
    // the API key checked and the request counted (one statement), the page with client, assignee,
    // last message and location joined in, the total count
    expect(forLarge).toBe(forSmall);
    expect(forLarge).toBe(3);
  });

  it('loads the joined page with exactly the rows Prisma loads, and deeper selections through Prisma', async () => {
    const include = { client: true, assignee: true, lastMessage: true, location: true } as const;
    const page = await listConversations(t.deps, { businessId: 'gq', page: { take: 60 } }, { include });
    const byPrisma = await t.deps.prisma.conversation.findMany({ where: { businessId: 'gq' }, include });
    expect(page).toHaveLength(60);
    // All of it but the last message's HTML, which the page leaves out (Message.html loads it on demand).
    const withoutHtml = byPrisma.map(({ lastMessage, ...c }) => ({ ...c, lastMessage: lastMessage && (({ html: _html, ...m }) => m)(lastMessage) }));
    expect(page).toEqual(page.map((c) => withoutHtml.find((p) => p.id === c.id)));
    expect(page.filter((c) => (c as unknown as { assignee: unknown }).assignee !== null)).toHaveLength(15);

    const backwards = await gql(`{ conversations(businessId: "gq", last: 2) { edges { node { conversationId client { name } } } } }`);
    expect(backwards.data!.conversations.edges.map((e: any) => e.node.conversationId)).toEqual(
      inbox.conversations
        .slice(0, 2)
        .reverse()
        .map((c) => c.conversationId),
    );

    // A relation of the client, a count and a message list: the page loads through Prisma instead.
    const deeper = await gql(`{ conversations(businessId: "gq", first: 3) { edges { node {
      client { name unreadCount homeLocation { name } } location { name } recentMessages(first: 1) { edges { node { body } } }
    } } } }`);
    expect(deeper.errors).toBeUndefined();
    expect(deeper.data!.conversations.edges[0].node).toEqual({
      client: { name: 'Client59 Number59', unreadCount: 1, homeLocation: null },
      location: { name: 'Alpha' },
      recentMessages: { edges: [{ node: { body: 'Hello number 59' } }] },
    });
  });

  it("leaves the last messages' HTML out of the page, and loads it only when asked, for the whole page in one statement", async () => {
    const mail = await buildInbox(
      t.deps,
      'gq-html',
      [0, 1, 2].map((i) => ({
        client: { firstName: `Reader${i}`, lastName: 'Mail', phone: `+1415556${String(1000 + i)}` },
        messages: [{ channel: 'email' as const, direction: 'outbound' as const, body: `Spa news ${i}`, subject: 'News', minutesAgo: 10 - i }],
      })),
    );
    const big = `<html><body>${'<p>This month at the spa: hot stones, new hours.</p>'.repeat(6_000)}</body></html>`; // ~300 kB
    await t.deps.prisma.message.update({ where: { id: mail.conversations[0]!.messageIds[0]! }, data: { html: big } });
    await t.deps.prisma.message.update({ where: { id: mail.conversations[1]!.messageIds[0]! }, data: { html: '<p>Hi</p>' } });
    const mailKey = (await createApiKey(t.deps, { name: 't', businessId: 'gq-html' })).key;
    const page = (fields: string) => `{ conversations(businessId: "gq-html", first: 10) { edges { node { lastMessage { ${fields} } } } } }`;
    const without = await fewestStatements(page('subject body'), {}, mailKey);
    expect(without.result.errors).toBeUndefined();
    expect(without.result.data!.conversations.edges.map((e: any) => e.node.lastMessage.body)).toEqual(['Spa news 2', 'Spa news 1', 'Spa news 0']);
    const withHtml = await fewestStatements(page('subject html'), {}, mailKey);
    expect(withHtml.result.errors).toBeUndefined();
    // newest first: no HTML, the short one, the long one
    expect(withHtml.result.data!.conversations.edges.map((e: any) => e.node.lastMessage.html)).toEqual([null, '<p>Hi</p>', big]);
    // the key and the page; then one statement for the three messages' HTML
    expect(without.fewest).toBe(2);
    expect(withHtml.fewest).toBe(3);

    // Messages read whole (a conversation's messages) answer from their rows: no statement for the HTML.
    const list = (fields: string) => `{ messages(conversationId: "${mail.conversations[0]!.conversationId}", first: 5) { edges { node { ${fields} } } } }`;
    const listed = await fewestStatements(list('subject html'), {}, mailKey);
    expect(listed.result.data!.messages.edges.map((e: any) => e.node.html)).toEqual([big]);
    expect(listed.fewest).toBe((await fewestStatements(list('subject'), {}, mailKey)).fewest);
  });

  it('pages forward with cursors, in order, to the end', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res = await gql(CONVERSATIONS, { b: 'gq', first: 25, after });
      const conn = res.data!.conversations;
      expect(conn.totalCount).toBe(60);
      seen.push(...conn.edges.map((e: { node: { conversationId: string } }) => e.node.conversationId));
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual([...inbox.conversations].reverse().map((c) => c.conversationId));
  });

  it('filters: replied, assignee, unassigned, client group', async () => {
    const total = async (filter: Record<string, unknown>) => (await gql(CONVERSATIONS, { b: 'gq', first: 1, filter })).data!.conversations.totalCount;
    expect(await total({ view: 'replied' })).toBe(20);
    expect(await total({ assigneeId: inbox.staff[0]!.id })).toBe(8);
    expect(await total({ unassigned: true })).toBe(45);
    expect(await total({ clientGroup: 'odd' })).toBe(30);
    const bad = await gql(CONVERSATIONS, { b: 'gq', first: 1, filter: { assigneeId: 'nope' } });
    expect(bad.errors![0]!.extensions.code).toBe('VALIDATION_FAILED');
  });

  it('gives the filters with counts', async () => {
    const res = await gql(`{ conversationFilters(businessId: "gq") { views { value count } assignees { value label count } channels { value count } clientGroups { value count } } }`);
    const f = res.data!.conversationFilters;
    expect(f.views.find((v: { value: string }) => v.value === 'unread').count).toBe(60);
    expect(f.assignees.find((a: { value: string | null }) => a.value === null).count).toBe(45);
    expect(f.channels.find((c: { value: string }) => c.value === 'sms').count).toBe(60);
    expect(f.clientGroups).toEqual([{ value: 'odd', count: 30 }]);
  });

  it('searches a conversation with ranking and highlighted snippets, and conversations by text or client', async () => {
    const c7 = inbox.conversations[7]!.conversationId;
    const hits = await gql(`query ($c: String!) { searchMessages(conversationId: $c, query: "massages") { rank snippet message { body } } }`, { c: c7 });
    expect(hits.data!.searchMessages).toHaveLength(1);
    expect(hits.data!.searchMessages[0].snippet).toContain('<mark>massage</mark>');

    const byText = await gql(`{ searchConversations(businessId: "gq", query: "deep tissue") { matched snippet conversation { conversationId } } }`);
    expect(byText.errors).toBeUndefined();
    expect(byText.data!.searchConversations.map((h: { conversation: { conversationId: string } }) => h.conversation.conversationId)).toEqual([c7]);
    expect(byText.data!.searchConversations[0].matched).toBe('messages');

    const byName = await gql(`{ searchConversations(businessId: "gq", query: "Client42") { matched conversation { client { name } } } }`);
    expect(byName.data!.searchConversations[0]).toEqual({ matched: 'client', conversation: { client: { name: 'Client42 Number42' } } });
    const byPhone = await gql(`{ searchConversations(businessId: "gq", query: "(415) 555-1042") { conversation { client { name } } } }`);
    expect(byPhone.data!.searchConversations.map((h: any) => h.conversation.client.name)).toEqual(['Client42 Number42']);

    const other = await gql(`query ($c: String!) { searchMessages(conversationId: $c, query: "massage") { rank } }`, { c: c7 }, otherKey);
    expect(other.errors![0]!.extensions.code).toBe('BUSINESS_FORBIDDEN');
    expect((await gql(`{ searchConversations(businessId: "gq", query: "") { rank } }`)).errors![0]!.extensions.code).toBe('VALIDATION_FAILED');
  });

  it('runs the inbox mutations: create-or-get, note, assign, status, mark read', async () => {
    const created = await gql(`mutation { createOrGetConversation(input: { businessId: "gq", phone: "+1 415 555 9999", firstName: "Zed" }) { conversationId client { name phones } } }`);
    expect(created.data!.createOrGetConversation.client).toEqual({ name: 'Zed', phones: ['+14155559999'] });
    const id = created.data!.createOrGetConversation.conversationId;
    const again = await gql(`mutation { createOrGetConversation(input: { businessId: "gq", phone: "4155559999" }) { conversationId } }`);
    expect(again.data!.createOrGetConversation.conversationId).toBe(id);

    const note = await gql(`mutation ($c: String!) { addNote(input: { conversationId: $c, body: "call @maya" }) { channel direction mentionStaffIds } }`, { c: id });
    expect(note.data!.addNote).toEqual({ channel: 'note', direction: 'internal', mentionStaffIds: [inbox.staff[0]!.id] });

    const assigned = await gql(`mutation ($c: String!, $s: String) { assignConversation(input: { conversationId: $c, staffId: $s }) { assignee { name } } }`, { c: id, s: inbox.staff[1]!.id });
    expect(assigned.data!.assignConversation.assignee).toEqual({ name: 'Jonas Berg' });
    const unassigned = await gql(`mutation ($c: String!) { assignConversation(input: { conversationId: $c }) { assignee { name } } }`, { c: id });
    expect(unassigned.data!.assignConversation.assignee).toBeNull();

    const status = await gql(`mutation ($c: String!) { updateConversationStatus(input: { conversationId: $c, status: archived, muted: true }) { status muted } }`, { c: id });
    expect(status.data!.updateConversationStatus).toEqual({ status: 'archived', muted: true });

    const c0 = inbox.conversations[0]!.conversationId;
    const read = await gql(`mutation ($c: String!, $s: String) { markMessagesRead(input: { businessId: "gq", read: true, conversationId: $c, staffId: $s }) { updated staffUpdated } }`, {
      c: c0,
      s: inbox.staff[0]!.id,
    });
    expect(read.data!.markMessagesRead).toEqual({ updated: 1, staffUpdated: 1 });
    const conv = await gql(`query ($c: String!) { conversation(id: $c) { unreadCount readPositions { staffId unreadCount } } }`, { c: c0 });
    expect(conv.data!.conversation).toEqual({ unreadCount: 0, readPositions: [{ staffId: inbox.staff[0]!.id, unreadCount: 0 }] });

    const forbidden = await gql(`mutation ($c: String!) { addNote(input: { conversationId: $c, body: "x" }) { channel } }`, { c: c0 }, otherKey);
    expect(forbidden.errors![0]!.extensions.code).toBe('BUSINESS_FORBIDDEN');
  });

  it('lists messages, clients and staff as connections, and messages by request id', async () => {
    const c0 = inbox.conversations[3]!.conversationId;
    const msgs = await gql(`query ($c: String!) { messages(conversationId: $c, first: 1) { totalCount edges { node { body direction } } pageInfo { hasNextPage } } }`, { c: c0 });
    expect(msgs.data!.messages).toEqual({ totalCount: 2, edges: [{ node: { body: 'Reply 3', direction: 'outbound' } }], pageInfo: { hasNextPage: true } });

    const clients = await gql(`{ clients(businessId: "gq", search: "client1", first: 3) { totalCount edges { node { name unreadCount } } } }`);
    expect(clients.data!.clients.edges[0].node.name).toMatch(/^Client1/);
    const all = await gql(`{ clients(businessId: "gq", first: 100) { totalCount } staff(businessId: "gq", filter: { active: true }) { totalCount edges { node { name } } } }`);
    expect(all.data!.clients.totalCount).toBe(61);
    expect(all.data!.staff.edges.map((e: any) => e.node.name)).toEqual(['Jonas Berg', 'Maya Lopez']);

    await t.deps.pool.query(`UPDATE messages SET request_id = 'req-1' WHERE id = ANY($1::uuid[])`, [[inbox.conversations[1]!.messageIds[0], inbox.conversations[2]!.messageIds[0]]]);
    const byReq = await gql(`{ messagesByRequestId(requestId: "req-1", businessId: "gq") { body } }`);
    expect(byReq.data!.messagesByRequestId).toHaveLength(2);
    expect((await gql(`{ messagesByRequestId(requestId: "req-1") { body } }`)).errors![0]!.extensions.code).toBe('SERVICE_KEY_REQUIRED');
    const service = await createServiceKey(t.deps);
    expect((await gql(`{ messagesByRequestId(requestId: "req-1") { body } }`, {}, service)).data!.messagesByRequestId).toHaveLength(2);

    const rest = await t.app.inject({ method: 'GET', url: '/messages/gq/requests/req-1', headers: { 'x-api-key': key } });
    expect(rest.json()).toMatchObject({ request_id: 'req-1', total: 2 });
    expect((await t.app.inject({ method: 'GET', url: '/messages/requests/req-1', headers: { 'x-api-key': key } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/messages/requests/req-1', headers: { 'x-api-key': service } })).json().total).toBe(2);
  });

  it('searches over REST in both forms', async () => {
    const c7 = inbox.conversations[7]!.conversationId;
    const a = await t.app.inject({ method: 'GET', url: `/messages/gq/conversations/${c7}/search?q=massage`, headers: { 'x-api-key': key } });
    const b = await t.app.inject({ method: 'GET', url: `/messages/gq/search?conversation_id=${c7}&q=massage`, headers: { 'x-api-key': key } });
    expect(a.statusCode).toBe(200);
    expect(a.json()).toEqual(b.json());
    expect(a.json().items[0].snippet).toContain('<mark>massage</mark>');
    expect((await t.app.inject({ method: 'GET', url: `/messages/gq/search?conversation_id=${c7}`, headers: { 'x-api-key': key } })).statusCode).toBe(422);
    expect((await t.app.inject({ method: 'GET', url: `/messages/gq-other/conversations/${c7}/search?q=massage`, headers: { 'x-api-key': otherKey } })).statusCode).toBe(404);
    const unknown = await t.app.inject({ method: 'GET', url: `/messages/gq/conversations/0193889f-cf03-7f62-a0a2-f944eec3e71d/search?q=massage`, headers: { 'x-api-key': key } });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'CONVERSATION_NOT_FOUND']);
    expect((await t.app.inject({ method: 'GET', url: `/messages/gq/conversations/not-a-uuid/search?q=massage`, headers: { 'x-api-key': key } })).statusCode).toBe(422);
  });
});
