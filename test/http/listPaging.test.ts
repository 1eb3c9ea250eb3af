// Every REST list, walked by cursor and by page number, gives each of its rows exactly once, in the
// order of the whole list. The lists are found in /openapi.json (every GET whose answer has `items`),
// so a list added later must be walked here too, or declared whole (not paged).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { newWebhookSecret, sealSecret } from '../../src/domain/outboundWebhooks/secretBox.js';
import { buildInbox, type ConversationSpec } from '../helpers/inboxFixture.js';
import { createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';

type Item = Record<string, unknown> & { id?: string; key?: string; message?: { id: string } };
interface ListPage {
  items: Item[];
  total: number;
  page: number;
  page_size: number;
  next_cursor: string | null;
}

describe('REST lists: paged by cursor and by page, each row once', () => {
  let t: TestApp;
  let key: string;
  let serviceKey: string;
  let inbox: Awaited<ReturnType<typeof buildInbox>>;
  /** A webhook endpoint with a delivery of each of 8 events, and an event delivered 8 times (4 to it, 4 to another). */
  let webhookId: string;
  let deliveredEvent: string;
  const labelIds: string[] = [];
  const campaignIds: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    // Seven clients named alike (ties in name order and in search rank), seven conversations with
    // ties in last activity, two of them pinned, and one conversation of eight messages with ties
    // in time, all matching one search word.
    const specs: ConversationSpec[] = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
      client: { firstName: 'Rosa', lastName: i < 4 ? 'Mitchell' : `Mitchell${i}`, phone: `+1415555030${i}` },
      location: (i % 2) as 0 | 1,
      messages:
        i === 0
          ? [8, 7, 7, 6, 5, 5, 5, 4].map((minutesAgo, n) => ({
              direction: n % 2 ? ('outbound' as const) : ('inbound' as const),
              body: `appointment ${n}`,
              minutesAgo,
              ...(n % 2 ? { requestId: 'req-walk' } : {}),
            }))
          : [{ direction: 'inbound' as const, body: 'appointment please', minutesAgo: i < 4 ? 30 : 40 + i }],
    }));
    inbox = await buildInbox(t.deps, 'pages', specs);
    const b = 'pages';
    for (const [firstName, lastName] of [
      ['Sam', 'Lee'],
      ['Sam', 'Lee'],
      ['Sam', 'Lee'],
      ['Ann', 'Ng'],
      ['Zoe', 'Ng'],
    ] as const) {
      await t.deps.prisma.staff.create({ data: { businessId: b, firstName, lastName } });
    }
    await t.deps.prisma.conversation.updateMany({ where: { id: { in: [inbox.conversations[2]!.conversationId, inbox.conversations[5]!.conversationId] } }, data: { pinned: true } });
    key = (await createApiKey(t.deps, { name: 't', businessId: b })).key;
    serviceKey = await createServiceKey(t.deps);
    // Seven outbound webhook endpoints (public IP literals: nothing to resolve).
    for (let i = 0; i < 7; i++) {
      const res = await t.app.inject({ method: 'POST', url: `/businesses/${b}/webhooks`, headers: { 'x-api-key': key }, payload: { url: `https://1.1.1.1/hook/${i}` } });
      expect(res.statusCode, res.body).toBe(201);
    }
    // Seven saved replies, names tied in threes (ordered by name, then id).
    for (const [i, name] of ['Reply B', 'Reply A', 'Reply B', 'Reply A', 'Reply B', 'Reply A', 'Reply C'].entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/businesses/${b}/saved-replies`,
        headers: { 'x-api-key': key },
        payload: { name, shortcut: `r${i}`, body: 'Hi {{client.first_name | "there"}}' },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const endpoint = async () =>
      (
        await t.deps.pool.query<{ id: string }>(
          `INSERT INTO webhook_endpoints (business_id, url, secret_encrypted, cursor_xid) VALUES ($1, 'https://hooks.example.com/pages', $2, pg_current_xact_id()) RETURNING id::text`,
          [b, sealSecret(t.deps.outboundWebhooks.secretKey, newWebhookSecret())],
        )
      ).rows[0]!.id;
    webhookId = await endpoint();
    const other = await endpoint();
    const eventIds = (await t.deps.pool.query<{ id: string }>(`SELECT e.id::text FROM inbox_events e WHERE e.business_id = $1 ORDER BY e.id LIMIT 8`, [b])).rows.map((r) => r.id);
    deliveredEvent = `evt_${eventIds[0]}`;
    const deliveries = [...eventIds.map((e) => [webhookId, e]), ...[webhookId, webhookId, webhookId, other, other, other, other].map((w) => [w, eventIds[0]])];
    for (const [w, e] of deliveries) await t.deps.pool.query(`INSERT INTO webhook_deliveries (business_id, endpoint_id, event_id) VALUES ($1, $2, $3)`, [b, w, e]);
    // Seven labels, the first on every conversation, three on the first conversation.
    for (let i = 0; i < 7; i++) {
      const res = await t.app.inject({ method: 'POST', url: `/businesses/${b}/labels`, headers: { 'x-api-key': key }, payload: { name: `Label ${i}`, color: '#000000' } });
      expect(res.statusCode, res.body).toBe(201);
      labelIds.push(res.json().id);
    }
    const bulk = await t.app.inject({
      method: 'POST',
      url: `/businesses/${b}/conversations/bulk`,
      headers: { 'x-api-key': key },
      payload: { filter: { view: 'all' }, action: { add_label_ids: [labelIds[0]] } },
    });
    expect(bulk.json().changed, bulk.body).toBe(7);
    await t.app.inject({
      method: 'POST',
      url: `/businesses/${b}/conversations/${inbox.conversations[0]!.conversationId}/labels`,
      headers: { 'x-api-key': key },
      payload: { label_ids: labelIds.slice(1, 3) },
    }); // Eight campaigns, one started: its audience (every client, 7 more made here) is materialised.
    for (let i = 0; i < 7; i++) await t.deps.prisma.client.create({ data: { businessId: b, firstName: `Audience ${i}`, phones: [`+1415555${7000 + i}`] } });
    for (let i = 0; i < 8; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/businesses/${b}/campaigns`,
        headers: { 'x-api-key': key },
        payload: { name: `Campaign ${i}`, channel: 'sms', body: 'Hi', audience: { filters: {} } },
      });
      expect(res.statusCode, res.body).toBe(201);
      campaignIds.push(res.json().id);
    }
    const started = await t.app.inject({ method: 'POST', url: `/businesses/${b}/campaigns/${campaignIds[0]}/start`, headers: { 'x-api-key': key }, payload: {} });
    expect(started.json().status, started.body).toBe('sending');
  });
  afterAll(() => t.close());

  const get = async (url: string, k = key) => {
    const res = await t.app.inject({ method: 'GET', url, headers: { 'x-api-key': k } });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
  };
  const idOf = (item: Item) => item.id ?? item.key ?? (item['client_id'] as string | undefined) ?? item.message!.id;
  const withQuery = (url: string, q: string) => `${url}${url.includes('?') ? '&' : '?'}${q}`;

  /** Walks `url` by cursor and by page with `size` rows a page; both must give the whole list in order. */
  async function walk(url: string, size: number): Promise<string[]> {
    const whole = (await get(withQuery(url, 'page_size=100'))) as ListPage;
    const expected = whole.items.map(idOf);
    expect(whole.total).toBe(expected.length);
    expect(whole.next_cursor).toBeNull();
    expect(expected.length, `${url} needs rows for several pages`).toBeGreaterThan(2 * size);

    const byCursor: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; ; pages++) {
      expect(pages, `${url}: the cursor walk does not end`).toBeLessThan(50);
      const page: ListPage = await get(withQuery(url, `page_size=${size}${cursor ? `&cursor=${cursor}` : ''}`));
      expect(page).toMatchObject({ total: expected.length, page_size: size });
      byCursor.push(...page.items.map(idOf));
      cursor = page.next_cursor;
      if (!cursor) break;
      expect(page.items).toHaveLength(size);
    }
    expect(byCursor, `${url} by cursor`).toEqual(expected);

    const byPage: string[] = [];
    for (let n = 1; ; n++) {
      expect(n, `${url}: the page walk does not end`).toBeLessThan(50);
      const page: ListPage = await get(withQuery(url, `page_size=${size}&page=${n}`));
      expect(page).toMatchObject({ total: expected.length, page: n, page_size: size });
      byPage.push(...page.items.map(idOf));
      if (page.next_cursor === null) {
        expect((await get(withQuery(url, `page_size=${size}&page=${n + 1}`))).items).toEqual([]);
        break;
      }
    }
    expect(byPage, `${url} by page`).toEqual(expected);
    expect(new Set(expected).size).toBe(expected.length);
    return expected;
  }

  /** Paged lists, by OpenAPI path, with the URLs (filters included) each is walked with. */
  const paged = (): Record<string, string[]> => {
    const c0 = inbox.conversations[0]!.conversationId;
    return {
      '/businesses/{business_id}/conversations': [
        '/businesses/pages/conversations',
        '/businesses/pages/conversations?view=all&unassigned=true',
        `/businesses/pages/conversations?label_ids=${labelIds[0]}&label_ids=${labelIds[1]}`,
      ],
      '/businesses/{business_id}/labels': ['/businesses/pages/labels'],
      '/businesses/{business_id}/conversations/{conversation_id}/messages': [`/businesses/pages/conversations/${c0}/messages`, `/businesses/pages/conversations/${c0}/messages?channel=sms`],
      '/business-clients/{business_id}/clients': ['/business-clients/pages/clients', '/business-clients/pages/clients?search=rosa', '/business-clients/pages/clients?search=mitchel'],
      '/business-staffs/{business_id}/staffs': ['/business-staffs/pages/staffs', '/business-staffs/pages/staffs?active=true'],
      '/messages/{business_id}/conversations/{conversation_id}/search': [
        `/messages/pages/conversations/${c0}/search?q=appointment`,
        `/messages/pages/conversations/${c0}/search?q=appointment%20OR%203`,
      ],
      '/messages/{business_id}/search': [`/messages/pages/search?conversation_id=${c0}&q=appointment`],
      '/businesses/{business_id}/webhooks': ['/businesses/pages/webhooks'],
      '/businesses/{business_id}/webhooks/{webhook_id}/deliveries': [`/businesses/pages/webhooks/${webhookId}/deliveries`, `/businesses/pages/webhooks/${webhookId}/deliveries?status=pending`],
      '/businesses/{business_id}/events/{event_id}/deliveries': [`/businesses/pages/events/${deliveredEvent}/deliveries`],
      '/businesses/{business_id}/saved-replies': ['/businesses/pages/saved-replies', '/businesses/pages/saved-replies?search=reply&channel=sms'],
      '/businesses/{business_id}/campaigns': ['/businesses/pages/campaigns', '/businesses/pages/campaigns?status=draft'],
      '/businesses/{business_id}/campaigns/{campaign_id}/recipients': [
        `/businesses/pages/campaigns/${campaignIds[0]}/recipients`,
        `/businesses/pages/campaigns/${campaignIds[0]}/recipients?state=pending`,
      ],
    };
  };
  /** The event feed ({items, next_cursor}, no total or page): walked in test/webhooksOut/feed.test.ts. */
  const feeds = ['/businesses/{business_id}/events'];
  /** Lists answered whole ({items, total}, no paging), by OpenAPI path. */
  const whole = (): Record<string, string[]> => {
    return {
      '/businesses/{business_id}/locations': ['/businesses/pages/locations'],
      // Senders are named by their key.
      '/businesses/{business_id}/senders': ['/businesses/pages/senders'],
      '/businesses/{business_id}/conversations/{conversation_id}/labels': [`/businesses/pages/conversations/${inbox.conversations[0]!.conversationId}/labels`],
      '/messages/{business_id}/requests/{request_id}': ['/messages/pages/requests/req-walk'],
      '/messages/requests/{request_id}': ['/messages/requests/req-walk'],
    };
  };

  it('covers every list route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const lists = { paged: [] as string[], whole: [] as string[], feeds: [] as string[] };
    for (const [path, methods] of Object.entries(
      doc.paths as Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }> }>>,
    )) {
      const props = methods['get']?.responses?.['200']?.content?.['application/json']?.schema?.properties;
      if (!props?.['items']) continue;
      (!props['total'] ? lists.feeds : props['next_cursor'] ? lists.paged : lists.whole).push(path);
    }
    expect(lists.paged.sort()).toEqual(Object.keys(paged()).sort());
    expect(lists.whole.sort()).toEqual(Object.keys(whole()).sort());
    expect(lists.feeds).toEqual(feeds);
  });

  it("answers every paged list in the contract's shape, {items, total, page, page_size, next_cursor}", async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const [path, urls] of Object.entries(paged())) {
      const get200 = doc.paths[path].get;
      expect(get200.responses['200'].content['application/json'].schema.required, path).toEqual(['items', 'total', 'page', 'page_size', 'next_cursor']);
      expect(
        get200.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name),
        path,
      ).toEqual(expect.arrayContaining(['page', 'page_size', 'cursor']));
      const body = await get(withQuery(urls[0]!, 'page_size=2'));
      expect(Object.keys(body).sort(), path).toEqual(['items', 'next_cursor', 'page', 'page_size', 'total']);
      expect(body.next_cursor, path).toBe(idOf(body.items[1]));
    }
  });

  it.each([2, 3])('walks every paged list by cursor and by page, %i rows a page', async (size) => {
    for (const urls of Object.values(paged())) {
      for (const url of urls) await walk(url, size);
    }
  });

  it('the staff list by cursor gives each staff member once (3 staff: 3 rows, not 4)', async () => {
    const all = (await get('/business-staffs/pages/staffs?search=Sam')).items.map(idOf);
    expect(all).toHaveLength(3);
    const first = await get('/business-staffs/pages/staffs?search=Sam&page_size=1');
    const second = await get(`/business-staffs/pages/staffs?search=Sam&page_size=1&cursor=${first.next_cursor}`);
    expect(second.items.map(idOf)).toEqual([all[1]]);
  });

  it('answers the whole lists whole, each row once', async () => {
    for (const urls of Object.values(whole())) {
      for (const url of urls) {
        const body = await get(url, url.startsWith('/messages/requests/') ? serviceKey : key);
        const ids = (body.items as Item[]).map(idOf);
        expect(ids.length, url).toBeGreaterThan(1);
        expect(new Set(ids).size, url).toBe(ids.length);
        if ('total' in body) expect(body.total, url).toBe(ids.length);
      }
    }
  });
});
