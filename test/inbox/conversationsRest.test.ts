import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInbox } from '../helpers/inboxFixture.js';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';

describe('inbox over REST: conversations, filters, notes, assignment, status, read status', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let inbox: Awaited<ReturnType<typeof buildInbox>>;

  beforeAll(async () => {
    t = await startTestApp();
    inbox = await buildInbox(t.deps, 'spa', [
      // 0: unread inbound, member, vip
      {
        client: { firstName: 'Olivia', lastName: 'Smith', phone: '+14155550101', type: 'member', groups: ['vip'] },
        messages: [{ direction: 'inbound', body: 'Can I move my massage to Friday?', minutesAgo: 50 }],
      },
      // 1: replied (outbound last), read
      {
        client: { firstName: 'Liam', lastName: 'Johnson', phone: '+14155550102', type: 'guest' },
        messages: [
          { direction: 'inbound', body: 'Parking?', minutesAgo: 40, seen: true },
          { direction: 'outbound', body: 'Behind the building', minutesAgo: 39 },
        ],
      },
      // 2: email conversation at location Beta, two unread
      {
        client: { firstName: 'Emma', lastName: 'Brown', phone: '+14155550103', type: 'member', groups: ['pilates'] },
        location: 1,
        messages: [
          { channel: 'email', direction: 'inbound', subject: 'Gift card', body: 'Do you sell gift cards?', minutesAgo: 30 },
          { channel: 'email', direction: 'inbound', body: 'For my mother', minutesAgo: 29 },
        ],
      },
      // 3: oldest, read
      { client: { firstName: 'Noah', lastName: 'Davis', phone: '+14155550104' }, messages: [{ direction: 'inbound', body: 'Thanks!', minutesAgo: 300, seen: true }] },
      // 4: most recent
      { client: { firstName: 'Ava', lastName: 'Miller', phone: '+14155550105', type: 'guest', groups: ['vip'] }, messages: [{ direction: 'inbound', body: 'Running late', minutesAgo: 5 }] },
    ]);
    key = (await createApiKey(t.deps, { name: 't', businessId: 'spa' })).key;
    otherKey = (await createBusiness(t.deps, 'other-spa')).apiKey;
  });
  afterAll(() => t.close());

  const get = (url: string, k = key) => t.app.inject({ method: 'GET', url, headers: { 'x-api-key': k } });
  const post = (url: string, payload: object, k = key) => t.app.inject({ method: 'POST', url, payload, headers: { 'x-api-key': k } });
  const ids = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((i) => i.id);
  const conv = (i: number) => inbox.conversations[i]!.conversationId;

  it('lists conversations by last activity with client, last message and totals', async () => {
    const res = await get('/businesses/spa/conversations');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 5, page: 1, page_size: 20, next_cursor: null });
    expect(ids(res)).toEqual([conv(4), conv(2), conv(1), conv(0), conv(3)]);
    const first = body.items[0];
    expect(first.client).toMatchObject({ first_name: 'Ava', name: 'Ava Miller', phones: ['+14155550105'] });
    expect(first.last_message).toMatchObject({ body: 'Running late', direction: 'inbound', is_read: false });
    expect(first).toMatchObject({ unread_count: 1, replied: false, status: 'open', last_message_preview: 'Running late' });
  });

  it("gives the last message whole, its HTML included (the page's statement leaves it out)", async () => {
    const html = `<p>${'Gift cards come in any amount. '.repeat(2_000)}</p>`;
    const last = inbox.conversations[2]!.messageIds[1]!;
    await t.deps.prisma.message.update({ where: { id: last }, data: { html } });
    try {
      const items = (await get('/businesses/spa/conversations')).json().items as { id: string; last_message: { id: string; html: string | null } }[];
      expect(items.find((c) => c.id === conv(2))!.last_message).toMatchObject({ id: last, html });
      expect(items.find((c) => c.id === conv(4))!.last_message).toMatchObject({ html: null });
    } finally {
      await t.deps.prisma.message.update({ where: { id: last }, data: { html: null } });
    }
  });

  it('pages by page number and by cursor without gaps or repeats', async () => {
    const p1 = await get('/businesses/spa/conversations?page_size=2');
    const p2 = await get('/businesses/spa/conversations?page_size=2&page=2');
    const p3 = await get('/businesses/spa/conversations?page_size=2&page=3');
    expect([...ids(p1), ...ids(p2), ...ids(p3)]).toEqual([conv(4), conv(2), conv(1), conv(0), conv(3)]);
    expect(p3.json().next_cursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/businesses/spa/conversations?page_size=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(res));
      cursor = res.json().next_cursor;
    } while (cursor);
    expect(seen).toEqual([conv(4), conv(2), conv(1), conv(0), conv(3)]);
  });

  it('filters by view, channel, location, client type and group, date range', async () => {
    const list = async (q: string) => ids(await get(`/businesses/spa/conversations?${q}`));
    expect(await list('view=unread')).toEqual([conv(4), conv(2), conv(0)]);
    expect(await list('view=read')).toEqual([conv(1), conv(3)]);
    expect(await list('view=replied')).toEqual([conv(1)]);
    expect(await list('view=unreplied')).toEqual([conv(4), conv(2), conv(0), conv(3)]);
    expect(await list('channel=email')).toEqual([conv(2)]);
    expect(await list(`location_id=${inbox.locations[1]!.id}`)).toEqual([conv(2)]);
    expect(await list('client_type=guest')).toEqual([conv(4), conv(1)]);
    expect(await list('client_group=vip')).toEqual([conv(4), conv(0)]);
    const from = new Date(Date.now() - 45 * 60_000).toISOString();
    const to = new Date(Date.now() - 20 * 60_000).toISOString();
    expect(await list(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).toEqual([conv(2), conv(1)]);
    expect(await list('unassigned=true')).toHaveLength(5);
  });

  it('answers 422 for bad filters and 403 for another business', async () => {
    expect((await get('/businesses/spa/conversations?view=nope')).statusCode).toBe(422);
    const bad = await get('/businesses/spa/conversations?assignee_id=not-a-uuid');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail[0].loc).toEqual(['query', 'assignee_id']);
    expect((await get('/businesses/spa/conversations?page_size=500')).statusCode).toBe(422);
    expect((await get('/businesses/spa/conversations', otherKey)).statusCode).toBe(403);
  });

  it('assigns, pins first, snoozes, archives and reopens on inbound', async () => {
    const maya = inbox.staff[0]!.id;
    const assigned = await post(`/businesses/spa/conversations/${conv(3)}/assign`, { staff_id: maya });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json()).toMatchObject({ assignee_id: maya, assignee: { id: maya, name: 'Maya Lopez' } });
    expect(ids(await get(`/businesses/spa/conversations?assignee_id=${maya}`))).toEqual([conv(3)]);
    const inactive = await post(`/businesses/spa/conversations/${conv(3)}/assign`, { staff_id: inbox.staff[2]!.id });
    expect(inactive.statusCode).toBe(422);
    expect(inactive.json().detail[0]).toMatchObject({ loc: ['body', 'staff_id'], msg: expect.stringContaining('inactive') });

    const pinned = await post(`/businesses/spa/conversations/${conv(3)}/status`, { pinned: true });
    expect(pinned.json().pinned).toBe(true);
    expect(ids(await get('/businesses/spa/conversations'))[0]).toBe(conv(3));

    const past = await post(`/businesses/spa/conversations/${conv(1)}/status`, { status: 'snoozed', snoozed_until: '2001-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(422);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const snoozed = await post(`/businesses/spa/conversations/${conv(1)}/status`, { status: 'snoozed', snoozed_until: until });
    expect(snoozed.json()).toMatchObject({ status: 'snoozed', snoozed_until: until });
    expect(ids(await get('/businesses/spa/conversations?view=snoozed'))).toEqual([conv(1)]);

    await post(`/businesses/spa/conversations/${conv(1)}/status`, { status: 'archived' });
    expect(ids(await get('/businesses/spa/conversations'))).not.toContain(conv(1));
    expect(ids(await get('/businesses/spa/conversations?view=archived'))).toEqual([conv(1)]);

    const events = await t.deps.pool.query(`SELECT payload FROM inbox_events WHERE conversation_id = $1 AND type = 'conversation.updated' ORDER BY id`, [conv(1)]);
    expect(events.rows.map((r) => r.payload.status)).toEqual(['snoozed', 'archived']);
    await post(`/businesses/spa/conversations/${conv(3)}/status`, { pinned: false });
  });

  it('adds internal notes with mentions, which change neither preview nor unread count', async () => {
    const before = (await get(`/businesses/spa/conversations?view=all`)).json().items.find((c: { id: string }) => c.id === conv(0));
    const res = await post(`/businesses/spa/conversations/${conv(0)}/notes`, { body: 'VIP, ask @maya or @Jonas.Berg first', author_staff_id: inbox.staff[1]!.id });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ channel: 'note', direction: 'internal', status: 'recorded', author_staff_id: inbox.staff[1]!.id });
    expect(res.json().mention_staff_ids.sort()).toEqual([inbox.staff[0]!.id, inbox.staff[1]!.id].sort());
    const after = (await get(`/businesses/spa/conversations?view=all`)).json().items.find((c: { id: string }) => c.id === conv(0));
    expect(after).toMatchObject({ unread_count: before.unread_count, last_message_preview: before.last_message_preview });
    expect((await post(`/businesses/spa/conversations/${conv(0)}/notes`, { body: '' })).statusCode).toBe(422);
    expect((await post(`/businesses/spa/conversations/${conv(0)}/notes`, { body: 'x', mention_staff_ids: ['00000000-0000-7000-8000-000000000000'] })).statusCode).toBe(404);
  });

  it('lists a conversation’s messages newest first with filters', async () => {
    const res = await get(`/businesses/spa/conversations/${conv(2)}/messages`);
    expect(res.json().items.map((m: { body: string }) => m.body)).toEqual(['For my mother', 'Do you sell gift cards?']);
    expect(res.json().items[1]).toMatchObject({ channel: 'email', subject: 'Gift card' });
    const page = await get(`/businesses/spa/conversations/${conv(1)}/messages?direction=outbound`);
    expect(page.json().items.map((m: { body: string }) => m.body)).toEqual(['Behind the building']);
    expect((await get(`/businesses/other-spa/conversations/${conv(1)}/messages`, otherKey)).statusCode).toBe(404);
  });

  it('marks messages read and unread by filters and answers how many changed', async () => {
    const mark = (payload: object) => post('/businesses/spa/messages/read-status', payload);
    const r1 = await mark({ conversation_id: conv(2) });
    expect(r1.json()).toEqual({ updated: 2, staff_updated: null });
    expect((await mark({ conversation_id: conv(2) })).json().updated).toBe(0);
    const r2 = await mark({ read: false, message_ids: [inbox.conversations[2]!.messageIds[1]!] });
    expect(r2.json().updated).toBe(1);
    const conversations = (await get('/businesses/spa/conversations?view=all')).json().items;
    expect(conversations.find((c: { id: string }) => c.id === conv(2)).unread_count).toBe(1);

    // Per staff: Jonas reads everything in the email channel; the business state is already read except one.
    const r3 = await mark({ channel: 'email', staff_id: inbox.staff[1]!.id });
    expect(r3.json()).toEqual({ updated: 1, staff_updated: 2 });
    const reads = await t.deps.prisma.conversationRead.findMany({ where: { staffId: inbox.staff[1]!.id } });
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ conversationId: conv(2), unreadCount: 0 });

    const everything = await mark({});
    expect(everything.json().updated).toBe(2); // conversations 0 and 4
    expect((await get('/businesses/spa/conversations?view=unread')).json().total).toBe(0);
    expect((await mark({ after: '2030-01-01T00:00:00Z', before: '2020-01-01T00:00:00Z' })).statusCode).toBe(422);
  });

  it('creates or retrieves a conversation, once under concurrent calls', async () => {
    const payload = { phone: '(415) 555-0199', first_name: 'New', last_name: 'Client' };
    const results = await Promise.all(Array.from({ length: 6 }, () => post('/businesses/spa/conversations', payload)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    expect(results[0]!.json().client).toMatchObject({ phones: ['+14155550199'], first_name: 'New' });
    const existing = await post('/businesses/spa/conversations', { client_id: inbox.conversations[0]!.clientId });
    expect(existing.statusCode).toBe(200);
    expect(existing.json().id).toBe(conv(0));
    expect((await post('/businesses/spa/conversations', {})).statusCode).toBe(422);
    expect((await post('/businesses/spa/conversations', { phone: 'call me' })).json().detail[0].loc).toEqual(['body', 'phone']);
    expect((await post('/businesses/spa/conversations', { phone: '+14155550101', extra: 1 })).statusCode).toBe(422);
  });

  it('offers the filters with their counts', async () => {
    const res = await get('/businesses/spa/conversations/filters');
    expect(res.statusCode).toBe(200);
    const f = res.json();
    const count = (list: { value: string | null; count: number }[], value: string | null) => list.find((o) => o.value === value)?.count;
    expect(count(f.views, 'archived')).toBe(1);
    expect(count(f.views, 'all')).toBe(6);
    expect(count(f.channels, 'email')).toBe(1);
    expect(count(f.assignees, inbox.staff[0]!.id)).toBe(1);
    expect(f.assignees.map((a: { label: string }) => a.label)).not.toContain('Old Timer');
    expect(count(f.client_groups, 'vip')).toBe(2);
    expect(f.locations).toHaveLength(2);
    expect(f.date_range.from).not.toBeNull();
  });

  it('lets a service key use every route and lists clients and staff', async () => {
    const service = await createServiceKey(t.deps);
    const clients = await get('/business-clients/spa/clients?page_size=2', service);
    expect(clients.json()).toMatchObject({ total: 6, page_size: 2 });
    expect(clients.json().items.map((c: { last_name: string }) => c.last_name)).toEqual(['Brown', 'Client']);
    const search = await get('/business-clients/spa/clients?search=(415)%20555-0103', service);
    expect(search.json().items.map((c: { first_name: string }) => c.first_name)).toEqual(['Emma']);
    const byName = await get('/business-clients/spa/clients?search=olivia', service);
    expect(byName.json().items[0].first_name).toBe('Olivia');
    expect((await get('/business-clients/spa/clients?group=vip')).json().total).toBe(2);

    const detail = await get(`/business-clients/spa/clients/${inbox.conversations[2]!.clientId}`);
    expect(detail.json()).toMatchObject({ first_name: 'Emma', unread_count: 0, conversations: [{ id: conv(2) }] });
    expect((await get('/business-clients/spa/clients/00000000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await get(`/business-clients/other-spa/clients/${inbox.conversations[2]!.clientId}`, otherKey)).statusCode).toBe(404);

    const staff = await get('/business-staffs/spa/staffs?active=true');
    expect(staff.json().items.map((s: { name: string }) => s.name)).toEqual(['Jonas Berg', 'Maya Lopez']);
    const maya = await get(`/business-staffs/spa/staffs/${inbox.staff[0]!.id}`);
    expect(maya.json()).toMatchObject({ name: 'Maya Lopez', open_conversations: 1 });
    expect((await get(`/business-staffs/spa/staffs/${inbox.staff[0]!.id}`, otherKey)).statusCode).toBe(403);
  });
});
