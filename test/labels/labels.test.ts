// Labels over REST and GraphQL: create, rename, recolour, delete (taken off every conversation,
// with events); labels on conversations with one event per real change; Conversation.labels in
// lists without N+1; the list filter by labels (any, all) with the other filters; label facets.
// Another business's ids are 404 on every route.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { buildInbox } from '../helpers/inboxFixture.js';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';

const B = 'lab';

describe('labels', () => {
  let t: TestApp;
  let key: string;
  let other: { id: string; apiKey: string };
  let service: string;
  let inbox: Awaited<ReturnType<typeof buildInbox>>;
  let statements = 0;
  let restoreQuery = () => undefined as void;

  const h = (k = key) => ({ 'x-api-key': k });
  const rest = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, k = key) =>
    t.app.inject({ method, url, headers: h(k), ...(payload !== undefined ? { payload: payload as object } : {}) });
  const gql = async (query: string, variables: Record<string, unknown> = {}, k = key) =>
    (await t.app.inject({ method: 'POST', url: '/graphql', headers: h(k), payload: { query, variables } })).json() as { data?: Record<string, any>; errors?: any[] };
  const conv = (i: number) => inbox.conversations[i]!.conversationId;
  const events = async (since: bigint, type = 'conversation.updated') =>
    (await t.deps.prisma.inboxEvent.findMany({ where: { businessId: B, type, id: { gt: since } }, orderBy: { id: 'asc' } })).map((e) => ({
      conversationId: e.conversationId,
      payload: e.payload as Record<string, unknown>,
    }));
  const lastEventId = async () => (await t.deps.prisma.inboxEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } }))?.id ?? 0n;
  const newLabel = async (name: string, color = '#336699', k = key, business = B) => {
    const res = await rest('POST', `/businesses/${business}/labels`, { name, color }, k);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; name: string; color: string };
  };

  beforeAll(async () => {
    t = await startTestApp();
    const database = new URL(t.db.url).pathname.slice(1);
    const original = pg.Client.prototype.query;
    restoreQuery = () => {
      pg.Client.prototype.query = original;
    };
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      if ((this as unknown as { connectionParameters: { database: string } }).connectionParameters.database === database) statements++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    inbox = await buildInbox(
      t.deps,
      B,
      Array.from({ length: 60 }, (_, i) => ({
        client: { firstName: `C${i}`, lastName: `N${i}`, phone: `+1415555${String(2000 + i)}` },
        location: (i % 2) as 0 | 1,
        messages: [
          { direction: 'inbound' as const, channel: i % 3 === 0 ? ('email' as const) : ('sms' as const), body: `Hi ${i}`, minutesAgo: 1000 - i },
          ...(i % 4 === 0 ? [{ direction: 'outbound' as const, body: `Reply ${i}`, minutesAgo: 999 - i }] : []),
        ],
      })),
    );
    key = (await createApiKey(t.deps, { name: 't', businessId: B })).key;
    other = await createBusiness(t.deps, 'lab-other');
    service = await createServiceKey(t.deps);
  });
  afterAll(async () => {
    restoreQuery();
    await t.close();
  });

  it('creates, lists, reads, renames and recolours labels; names are unique whatever their case; colours are #rrggbb', async () => {
    const vip = await newLabel('VIP', '#D4A017');
    expect(vip).toMatchObject({ name: 'VIP', color: '#d4a017', description: null, business_id: B });
    const dup = await rest('POST', `/businesses/${B}/labels`, { name: '  vip ', color: '#000000' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('LABEL_NAME_TAKEN');
    const gqlDup = await gql(`mutation { createLabel(input: { businessId: "${B}", name: "Vip", color: "#000000" }) { id } }`);
    expect(gqlDup.errors?.[0].extensions.code).toBe('LABEL_NAME_TAKEN');
    // Another business may have its own "VIP".
    await newLabel('VIP', '#123456', other.apiKey, other.id);

    const bad = await rest('POST', `/businesses/${B}/labels`, { name: 'x', color: 'red' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail[0].loc).toEqual(['body', 'color']);
    const badGql = await gql(`mutation { createLabel(input: { businessId: "${B}", name: "${'x'.repeat(51)}", color: "#zzzzzz" }) { id } }`);
    expect(badGql.errors?.[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(badGql.errors?.[0].extensions.issues.map((i: any) => i.loc)).toEqual([
      ['input', 'name'],
      ['input', 'color'],
    ]);
    expect((await rest('POST', `/businesses/${B}/labels`, { name: 'tab\there', color: '#000000' })).statusCode).toBe(422);

    const created = await gql(`mutation { createLabel(input: { businessId: "${B}", name: "Follow up", color: "#00aa00", description: "Call back" }) { id name color description } }`);
    const followUp = created.data!.createLabel;
    expect(followUp).toMatchObject({ name: 'Follow up', color: '#00aa00', description: 'Call back' });

    const renamed = await rest('PATCH', `/businesses/${B}/labels/${followUp.id}`, { name: 'Callback', color: '#0000FF' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Callback', color: '#0000ff', description: 'Call back' });
    // Renaming onto another label's name (any case) is the same conflict; its own name in another case is fine.
    expect((await rest('PATCH', `/businesses/${B}/labels/${followUp.id}`, { name: 'vIp' })).json().code).toBe('LABEL_NAME_TAKEN');
    expect((await rest('PATCH', `/businesses/${B}/labels/${followUp.id}`, { name: 'CALLBACK' })).json().name).toBe('CALLBACK');
    const updated = await gql(`mutation { updateLabel(input: { businessId: "${B}", id: "${followUp.id}", color: "#111111", description: "" }) { name color description } }`);
    expect(updated.data!.updateLabel).toEqual({ name: 'CALLBACK', color: '#111111', description: null });

    const list = await rest('GET', `/businesses/${B}/labels`);
    expect(list.json().items.map((l: any) => l.name)).toEqual(['VIP', 'CALLBACK']);
    expect(list.json().total).toBe(2);
    const byGql = await gql(`{ labels(businessId: "${B}") { name } label(businessId: "${B}", id: "${vip.id}") { name color } }`);
    expect(byGql.data).toEqual({ labels: [{ name: 'VIP' }, { name: 'CALLBACK' }], label: { name: 'VIP', color: '#d4a017' } });
    expect((await rest('GET', `/businesses/${B}/labels/${vip.id}`)).json().name).toBe('VIP');

    // Each change is a label.changed event.
    const changed = await t.deps.prisma.inboxEvent.findMany({ where: { businessId: B, type: 'label.changed' }, orderBy: { id: 'asc' } });
    expect(changed.map((e) => (e.payload as any).action)).toEqual(['created', 'created', 'updated', 'updated', 'updated']);
    expect(changed[4]!.payload).toMatchObject({ labelId: followUp.id, name: 'CALLBACK', color: '#111111', description: null });
  });

  it("answers 404 for another business's label or conversation on every route, and changes nothing", async () => {
    const mine = await newLabel('Mine');
    const theirs = await newLabel('Theirs', '#222222', other.apiKey, other.id);
    const routes: [string, string, unknown?][] = [
      ['GET', `/businesses/${B}/labels/${theirs.id}`],
      ['PATCH', `/businesses/${B}/labels/${theirs.id}`, { name: 'Hacked' }],
      ['DELETE', `/businesses/${B}/labels/${theirs.id}`],
      ['POST', `/businesses/${B}/conversations/${conv(0)}/labels`, { label_ids: [theirs.id] }],
      ['DELETE', `/businesses/${B}/conversations/${conv(0)}/labels/${theirs.id}`],
    ];
    for (const [method, url, body] of routes) {
      const res = await rest(method as 'GET', url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().code).toBe('LABEL_NOT_FOUND');
    }
    // Their key on our label and conversation: 403 on our business path; on theirs, 404.
    const ours: [string, string, unknown?][] = [
      ['GET', `/businesses/${other.id}/labels/${mine.id}`],
      ['PATCH', `/businesses/${other.id}/labels/${mine.id}`, { name: 'Hacked' }],
      ['DELETE', `/businesses/${other.id}/labels/${mine.id}`],
      ['GET', `/businesses/${other.id}/conversations/${conv(0)}/labels`],
      ['POST', `/businesses/${other.id}/conversations/${conv(0)}/labels`, { label_ids: [theirs.id] }],
    ];
    for (const [method, url, body] of ours) {
      const res = await rest(method as 'GET', url, body, other.apiKey);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await rest('GET', `/businesses/${B}/labels`, undefined, other.apiKey)).statusCode).toBe(403);
    const bulk = await rest('POST', `/businesses/${other.id}/conversations/bulk`, { ids: [conv(0)], action: { add_label_ids: [theirs.id] } }, other.apiKey);
    expect(bulk.json()).toMatchObject({ matched: 0, changed: 0, failed: [{ conversation_id: conv(0), code: 'CONVERSATION_NOT_FOUND' }] });
    expect((await rest('POST', `/businesses/${B}/conversations/bulk`, { ids: [conv(0)], action: { add_label_ids: [theirs.id] } })).json().code).toBe('LABEL_NOT_FOUND');
    // GraphQL alike.
    expect((await gql(`{ label(businessId: "${B}", id: "${theirs.id}") { id } }`)).errors?.[0].extensions.code).toBe('LABEL_NOT_FOUND');
    expect((await gql(`mutation { addConversationLabels(input: { conversationId: "${conv(0)}", labelIds: ["${theirs.id}"] }) { conversationId } }`)).errors?.[0].extensions.code).toBe(
      'LABEL_NOT_FOUND',
    );
    expect((await gql(`mutation { deleteLabel(input: { businessId: "${B}", id: "${theirs.id}" }) { id } }`)).errors?.[0].extensions.code).toBe('LABEL_NOT_FOUND');
    expect((await gql(`mutation { addConversationLabels(input: { conversationId: "${conv(0)}", labelIds: ["${mine.id}"] }) { conversationId } }`, {}, other.apiKey)).errors?.[0].extensions.code).toBe(
      'BUSINESS_FORBIDDEN',
    );
    // A service key naming an unknown business: BUSINESS_NOT_FOUND.
    expect((await rest('GET', `/businesses/nobody/labels`, undefined, service)).json().code).toBe('BUSINESS_NOT_FOUND');
    // Nothing changed.
    expect(await t.deps.prisma.label.findUnique({ where: { id: theirs.id } })).toMatchObject({ name: 'Theirs' });
    expect(await t.deps.prisma.conversationLabel.count({ where: { conversationId: conv(0) } })).toBe(0);
    await rest('DELETE', `/businesses/${B}/labels/${mine.id}`);
  });

  it('puts labels on conversations and takes them off, with one conversation.updated event per real change', async () => {
    const [a, b] = [await newLabel('Alpha'), await newLabel('beta', '#ff0000')];
    const since = await lastEventId();
    const added = await rest('POST', `/businesses/${B}/conversations/${conv(1)}/labels`, { label_ids: [b.id, a.id] });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().total).toBe(2);
    expect(added.json().items.map((l: any) => l.name)).toEqual(['Alpha', 'beta']);
    // Again: no change, no event.
    expect((await rest('POST', `/businesses/${B}/conversations/${conv(1)}/labels`, { label_ids: [a.id] })).statusCode).toBe(200);
    const viaGql = await gql(`mutation { removeConversationLabels(input: { conversationId: "${conv(1)}", labelIds: ["${a.id}"] }) { conversationId labels { name color } } }`);
    expect(viaGql.data!.removeConversationLabels.labels).toEqual([{ name: 'beta', color: '#ff0000' }]);
    expect((await rest('DELETE', `/businesses/${B}/conversations/${conv(1)}/labels/${a.id}`)).statusCode).toBe(204);
    expect((await rest('GET', `/businesses/${B}/conversations/${conv(1)}/labels`)).json().items.map((l: any) => l.id)).toEqual([b.id]);
    expect(await events(since)).toEqual([
      { conversationId: conv(1), payload: { change: 'labels', addedLabelIds: [a.id, b.id].sort(), removedLabelIds: [] } },
      { conversationId: conv(1), payload: { change: 'labels', addedLabelIds: [], removedLabelIds: [a.id] } },
    ]);
    // The event feed carries it, with the conversation's labels now.
    const feed = await rest('GET', `/businesses/${B}/events?types=conversation.updated&limit=500`);
    const last = feed.json().items.at(-1);
    expect(last.data.changes).toEqual({ change: 'labels', added_label_ids: [], removed_label_ids: [a.id] });
    expect(last.data.conversation.labels).toEqual([{ id: b.id, name: 'beta', color: '#ff0000' }]);
    // Bad input is a 422 naming the field.
    const bad = await rest('POST', `/businesses/${B}/conversations/${conv(1)}/labels`, { label_ids: ['nope'] });
    expect(bad.statusCode).toBe(422);
    expect((await rest('POST', `/businesses/${B}/conversations/${conv(1)}/labels`, { label_ids: [] })).statusCode).toBe(422);

    // Deleting a label takes it off its conversations, each with an event, then label.changed.
    await rest('POST', `/businesses/${B}/conversations/${conv(2)}/labels`, { label_ids: [b.id] });
    const beforeDelete = await lastEventId();
    const deleted = await gql(`mutation { deleteLabel(input: { businessId: "${B}", id: "${b.id}" }) { id conversations } }`);
    expect(deleted.data!.deleteLabel).toEqual({ id: b.id, conversations: 2 });
    expect(await events(beforeDelete)).toEqual([conv(1), conv(2)].sort().map((conversationId) => ({ conversationId, payload: { change: 'labels', addedLabelIds: [], removedLabelIds: [b.id] } })));
    expect((await events(beforeDelete, 'label.changed'))[0]!.payload).toMatchObject({ action: 'deleted', labelId: b.id, conversations: 2 });
    expect(await t.deps.prisma.conversationLabel.count({ where: { labelId: b.id } })).toBe(0);
    expect((await rest('GET', `/businesses/${B}/labels/${b.id}`)).statusCode).toBe(404);
    await rest('DELETE', `/businesses/${B}/labels/${a.id}`);
  });

  it('refuses a 501st label of a business', async () => {
    const count = await t.deps.prisma.label.count({ where: { businessId: other.id } });
    await t.deps.prisma.label.createMany({ data: Array.from({ length: 500 - count }, (_, i) => ({ businessId: other.id, name: `bulk ${i}`, color: '#000000' })) });
    const res = await rest('POST', `/businesses/${other.id}/labels`, { name: 'one more', color: '#000000' }, other.apiKey);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('LABEL_LIMIT');
  });

  describe('in lists and filters', () => {
    let red: string;
    let blue: string;
    let green: string;
    beforeAll(async () => {
      red = (await newLabel('Red', '#ff0000')).id;
      blue = (await newLabel('Blue', '#0000ff')).id;
      green = (await newLabel('Green', '#00ff00')).id;
      // red on every 2nd, blue on every 3rd, green on none; conversation 59 archived with red.
      for (let i = 0; i < 60; i++) {
        const labelIds = [...(i % 2 === 0 ? [red] : []), ...(i % 3 === 0 ? [blue] : [])];
        if (labelIds.length) expect((await rest('POST', `/businesses/${B}/conversations/${conv(i)}/labels`, { label_ids: labelIds })).statusCode).toBe(200);
      }
      await rest('POST', `/businesses/${B}/conversations/${conv(58)}/status`, { status: 'archived' });
      for (let i = 3; i < 60; i += 4) await t.deps.prisma.conversation.update({ where: { id: conv(i) }, data: { assigneeId: inbox.staff[0]!.id } });
    });

    /** Conversation indexes (newest first) a filter should give, computed from the fixture. */
    const expected = (pick: (i: number) => boolean) =>
      Array.from({ length: 60 }, (_, i) => 59 - i)
        .filter(pick)
        .map(conv);
    const isRed = (i: number) => i % 2 === 0;
    const isBlue = (i: number) => i % 3 === 0;
    const live = (i: number) => i !== 58;

    const LIST = `query ($b: String!, $first: Int, $after: String, $filter: ConversationFilterInput) {
      conversations(businessId: $b, first: $first, after: $after, filter: $filter) { totalCount pageInfo { endCursor hasNextPage } edges { node { conversationId labels { name color } } } }
    }`;
    const listAll = async (filter: Record<string, unknown>) => {
      const out: string[] = [];
      let after: string | null = null;
      let total: number;
      for (;;) {
        const res = await gql(LIST, { b: B, first: 7, after, filter });
        expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
        total = res.data!.conversations.totalCount;
        out.push(...res.data!.conversations.edges.map((e: any) => e.node.conversationId));
        if (!res.data!.conversations.pageInfo.hasNextPage) break;
        after = res.data!.conversations.pageInfo.endCursor;
      }
      expect(total).toBe(out.length);
      return out;
    };

    it('filters by any or all of the labels, combined with view, assignee, location and channel, over GraphQL and REST', async () => {
      expect(await listAll({ labelIds: [red] })).toEqual(expected((i) => isRed(i) && live(i)));
      expect(await listAll({ labelIds: [red, blue] })).toEqual(expected((i) => (isRed(i) || isBlue(i)) && live(i)));
      expect(await listAll({ labelIds: [red, blue], labelMatch: 'all' })).toEqual(expected((i) => isRed(i) && isBlue(i) && live(i)));
      expect(await listAll({ labelIds: [green] })).toEqual([]);
      expect(await listAll({ labelIds: [red], view: 'archived' })).toEqual([conv(58)]);
      expect(await listAll({ labelIds: [red], view: 'replied' })).toEqual(expected((i) => isRed(i) && i % 4 === 0 && live(i)));
      expect(await listAll({ labelIds: [blue], assigneeId: inbox.staff[0]!.id })).toEqual(expected((i) => isBlue(i) && i % 4 === 3));
      expect(await listAll({ labelIds: [blue], unassigned: true, locationId: inbox.locations[1]!.id })).toEqual(expected((i) => isBlue(i) && i % 4 !== 3 && i % 2 === 1));
      expect(await listAll({ labelIds: [red], channel: 'email' })).toEqual(expected((i) => isRed(i) && i % 3 === 0 && live(i)));
      // Red and blue are on every 6th; those with a reply (every 4th) also have an SMS.
      expect(await listAll({ labelIds: [red, blue], labelMatch: 'all', channel: 'sms' })).toEqual(expected((i) => i % 12 === 0 && live(i)));

      const restPage = await rest('GET', `/businesses/${B}/conversations?label_ids=${red}&label_ids=${blue}&label_match=all&page_size=100`);
      expect(restPage.statusCode, restPage.body).toBe(200);
      expect(restPage.json().items.map((c: any) => c.id)).toEqual(expected((i) => isRed(i) && isBlue(i) && live(i)));
      expect(restPage.json().items[0].labels).toEqual([
        { id: blue, name: 'Blue', color: '#0000ff' },
        { id: red, name: 'Red', color: '#ff0000' },
      ]);
      expect(restPage.json().total).toBe(10);
      const one = await rest('GET', `/businesses/${B}/conversations?label_ids=${blue}&location_id=${inbox.locations[0]!.id}&page_size=100`);
      expect(one.json().items.map((c: any) => c.id)).toEqual(expected((i) => isBlue(i) && i % 2 === 0 && live(i)));
      // Bad label ids are a 422 naming them.
      const bad = await gql(LIST, { b: B, filter: { labelIds: ['nope'] } });
      expect(bad.errors?.[0].extensions.issues[0].loc).toEqual(['filter', 'labelIds', 0]);
      expect((await rest('GET', `/businesses/${B}/conversations?label_ids=nope`)).statusCode).toBe(422);
    });

    it("gives each conversation's labels in a page in one statement, for 5 or 50 rows", async () => {
      const QUERY = `query ($b: String!, $first: Int) { conversations(businessId: $b, first: $first) { edges { node { conversationId labels { id name } client { name } assignee { firstName } } } } }`;
      const fewest = async (first: number) => {
        let n = Infinity;
        let result: Awaited<ReturnType<typeof gql>> | undefined;
        for (let i = 0; i < 3; i++) {
          await waitFor('idle pool', () => t.deps.pool.idleCount === t.deps.pool.totalCount && t.deps.pool.waitingCount === 0);
          statements = 0;
          result = await gql(QUERY, { b: B, first });
          n = Math.min(n, statements);
        }
        return { n, result: result! };
      };
      const small = await fewest(5);
      const large = await fewest(50);
      expect(large.result.data!.conversations.edges).toHaveLength(50);
      // The inbox view leaves 58 (archived) out: 59, 57, 56, 55, 54, ...
      const names = (edge: number) => large.result.data!.conversations.edges[edge].node.labels.map((l: any) => l.name);
      expect(large.result.data!.conversations.edges[0].node).toMatchObject({ conversationId: conv(59), labels: [] });
      expect([names(1), names(2), names(3), names(4)]).toEqual([['Blue'], ['Red'], [], ['Blue', 'Red']]);
      // the key, the page (client and assignee joined), the labels of the page
      expect(large.n).toBe(small.n);
      expect(large.n).toBe(3);

      // REST: the page, its HTML and its labels, whatever the page size.
      const restCount = async (size: number) => {
        await waitFor('idle pool', () => t.deps.pool.idleCount === t.deps.pool.totalCount && t.deps.pool.waitingCount === 0);
        statements = 0;
        const res = await rest('GET', `/businesses/${B}/conversations?page_size=${size}`);
        expect(res.json().items).toHaveLength(size);
        return statements;
      };
      expect(await restCount(50)).toBe(await restCount(5));
    });

    it('counts conversations per label in conversationFilters (not archived), over GraphQL and REST', async () => {
      const res = await gql(`{ conversationFilters(businessId: "${B}") { labels { value label count color } } }`);
      const live = Array.from({ length: 60 }, (_, i) => i).filter((i) => i !== 58);
      expect(res.data!.conversationFilters.labels.filter((o: any) => [red, green, blue].includes(o.value))).toEqual([
        { value: blue, label: 'Blue', count: live.filter(isBlue).length, color: '#0000ff' },
        { value: green, label: 'Green', count: 0, color: '#00ff00' },
        { value: red, label: 'Red', count: live.filter(isRed).length, color: '#ff0000' },
      ]);
      const viaRest = await rest('GET', `/businesses/${B}/conversations/filters`);
      expect(viaRest.json().labels.map((o: any) => [o.label, o.count])).toEqual([
        ['Blue', 20],
        ['CALLBACK', 0],
        ['Green', 0],
        ['Red', 29],
        ['VIP', 0],
      ]);
    });
  });
});
