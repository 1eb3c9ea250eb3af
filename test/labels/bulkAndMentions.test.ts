// The mentions view (unread mentions first) and per-staff unread counts per view; bulk actions by
// ids and by filter (assign, labels, status with the snooze job), their counts and events, and two
// bulk actions at once on overlapping sets. REST and GraphQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { addNote } from '../../src/domain/conversations/addNote.js';
import { markMessagesRead } from '../../src/domain/messages/markMessagesRead.js';
import { buildInbox } from '../helpers/inboxFixture.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';

describe('mentions view, per-staff counts and bulk actions', () => {
  let t: TestApp;
  let key: string;
  let other: { id: string; apiKey: string };

  const rest = (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = { 'x-api-key': key }) =>
    t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const gql = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = { 'x-api-key': key }) =>
    (await t.app.inject({ method: 'POST', url: '/graphql', headers, payload: { query, variables } })).json() as { data?: Record<string, any>; errors?: any[] };

  beforeAll(async () => {
    t = await startTestApp();
    other = await createBusiness(t.deps, 'bulk-other');
  });
  afterAll(() => t?.close());

  describe('mentions', () => {
    const M = 'men';
    let inbox: Awaited<ReturnType<typeof buildInbox>>;
    let maya: string;
    let jonas: string;
    let session: Record<string, string>;
    const conv = (i: number) => inbox.conversations[i]!.conversationId;
    const MENTIONS = `query ($b: String!, $first: Int, $after: String, $viewer: String) {
      conversations(businessId: $b, first: $first, after: $after, filter: { view: mentions, viewerStaffId: $viewer }) { totalCount pageInfo { endCursor hasNextPage } edges { node { conversationId } } }
    }`;
    const ids = (r: Awaited<ReturnType<typeof gql>>) => r.data!.conversations.edges.map((e: any) => e.node.conversationId);

    beforeAll(async () => {
      // Activity: c0 newest ... c5 oldest (notes do not move it).
      inbox = await buildInbox(
        t.deps,
        M,
        [60, 50, 40, 30, 20, 10].map((ago, i) => ({
          client: { firstName: `M${i}`, lastName: 'X', phone: `+1415555${3000 + i}` },
          messages: [{ direction: 'inbound' as const, body: `Hello ${i}`, minutesAgo: 100 - ago }],
        })),
      );
      key = (await createApiKey(t.deps, { name: 't', businessId: M })).key;
      [maya, jonas] = [inbox.staff[0]!.id, inbox.staff[1]!.id];
      session = { authorization: `Bearer ${(await rest('POST', '/auth/token', { business_id: M, staff_id: maya })).json().access_token}` };
      const note = (i: number, mention: string) => addNote(t.deps, { principal: null, businessId: M, conversationId: conv(i), body: 'look', mentionStaffIds: [mention] });
      await note(1, maya);
      await note(2, maya);
      await note(4, maya);
      await note(3, jonas);
      await note(5, maya);
      await rest('POST', `/businesses/${M}/conversations/${conv(5)}/status`, { status: 'archived' });
      // Maya read conversation 1 (after its note): its mention is read.
      await markMessagesRead(t.deps, { principal: null, businessId: M, read: true, conversationId: conv(1), staffId: maya });
    });

    it('lists where the viewer was mentioned, unread mentions first, then by activity; pages by keyset', async () => {
      const bySession = await gql(MENTIONS, { b: M }, session);
      expect(bySession.errors).toBeUndefined();
      // 2 and 4 unread (2 newer first), then 1 (read); 3 mentions Jonas; 5 archived.
      expect(ids(bySession)).toEqual([conv(2), conv(4), conv(1)]);
      expect(bySession.data!.conversations.totalCount).toBe(3);
      const pages: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 4; i++) {
        const page: Awaited<ReturnType<typeof gql>> = await gql(MENTIONS, { b: M, first: 1, after }, session);
        pages.push(...ids(page));
        if (!page.data!.conversations.pageInfo.hasNextPage) break;
        after = page.data!.conversations.pageInfo.endCursor;
      }
      expect(pages).toEqual([conv(2), conv(4), conv(1)]);
      // An API key names the viewer; without one it is a clear 422.
      expect(ids(await gql(MENTIONS, { b: M, viewer: jonas }))).toEqual([conv(3)]);
      const noViewer = await gql(MENTIONS, { b: M });
      expect(noViewer.errors?.[0].extensions).toMatchObject({ code: 'VIEWER_REQUIRED' });
      expect(noViewer.errors?.[0].extensions.issues[0].loc).toEqual(['filter', 'viewerStaffId']);
      const restNoViewer = await rest('GET', `/businesses/${M}/conversations?view=mentions`);
      expect(restNoViewer.statusCode).toBe(422);
      expect(restNoViewer.json().detail[0].loc).toEqual(['query', 'viewer_staff_id']);
      // A session cannot look as another staff member.
      expect((await gql(MENTIONS, { b: M, viewer: jonas }, session)).errors?.[0].extensions.code).toBe('STAFF_FORBIDDEN');
      const viaRest = await rest('GET', `/businesses/${M}/conversations?view=mentions`, undefined, session);
      expect(viaRest.json().items.map((c: any) => c.id)).toEqual([conv(2), conv(4), conv(1)]);

      // A new mention in 1 makes it unread again: by activity it comes first.
      await addNote(t.deps, { principal: null, businessId: M, conversationId: conv(1), body: 'again', mentionStaffIds: [maya] });
      expect(ids(await gql(MENTIONS, { b: M }, session))).toEqual([conv(1), conv(2), conv(4)]);
      // Reading 2 moves it after the unread ones.
      await markMessagesRead(t.deps, { principal: null, businessId: M, read: true, conversationId: conv(2), staffId: maya });
      expect(ids(await gql(MENTIONS, { b: M, viewer: maya }))).toEqual([conv(1), conv(4), conv(2)]);
    });

    it("counts, per view, the conversations the viewer has not read, and the viewer's mentions", async () => {
      const FILTERS = `query ($b: String!, $viewer: String) { conversationFilters(businessId: $b, viewerStaffId: $viewer) { viewerStaffId views { value count unreadCount } } }`;
      const views = (r: Awaited<ReturnType<typeof gql>>) => Object.fromEntries(r.data!.conversationFilters.views.map((v: any) => [v.value, [v.count, v.unreadCount]]));
      const mine = await gql(FILTERS, { b: M }, session);
      expect(mine.data!.conversationFilters.viewerStaffId).toBe(maya);
      // Maya read 1 and 2; 0, 3, 4 unread (and 5, archived). Mentions: 1 (unread again), 2 (read), 4.
      expect(views(mine)).toMatchObject({ inbox: [5, 3], all: [6, 4], archived: [1, 1], open: [5, 3], mentions: [3, 2] });
      const jonasViews = views(await gql(FILTERS, { b: M, viewer: jonas }));
      expect(jonasViews).toMatchObject({ inbox: [5, 5], all: [6, 6], mentions: [1, 1] });
      // Without a viewer: no per-staff counts.
      const none = views(await gql(FILTERS, { b: M }));
      expect(none.inbox).toEqual([5, null]);
      expect(none.mentions).toEqual([0, null]);
      const viaRest = await rest('GET', `/businesses/${M}/conversations/filters?viewer_staff_id=${jonas}`);
      expect(viaRest.json().views.find((v: any) => v.value === 'mentions')).toMatchObject({ count: 1, unread_count: 1 });
      expect(viaRest.json().viewer_staff_id).toBe(jonas);
      expect((await rest('GET', `/businesses/${M}/conversations/filters?viewer_staff_id=${inbox.staff[2]!.id}`)).statusCode).toBe(200);
      // A staff member of another business: 404.
      const stranger = await t.deps.prisma.staff.create({ data: { businessId: other.id, firstName: 'Stranger' } });
      expect((await rest('GET', `/businesses/${M}/conversations/filters?viewer_staff_id=${stranger.id}`)).statusCode).toBe(404);
    });
  });

  describe('bulk', () => {
    const K = 'bulk';
    let inbox: Awaited<ReturnType<typeof buildInbox>>;
    let label: string;
    let label2: string;
    const conv = (i: number) => inbox.conversations[i]!.conversationId;
    const eventsSince = async (since: bigint) =>
      (await t.deps.prisma.inboxEvent.findMany({ where: { businessId: K, id: { gt: since }, type: 'conversation.updated' }, orderBy: { id: 'asc' } })).map((e) => ({
        conversationId: e.conversationId!,
        payload: e.payload as Record<string, any>,
      }));
    const last = async () => (await t.deps.prisma.inboxEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } }))?.id ?? 0n;
    const bulk = async (body: unknown, k = key) => {
      const res = await rest('POST', `/businesses/${K}/conversations/bulk`, body, { 'x-api-key': k });
      return { status: res.statusCode, body: res.json() };
    };

    beforeAll(async () => {
      inbox = await buildInbox(
        t.deps,
        K,
        Array.from({ length: 460 }, (_, i) => ({
          client: { firstName: `B${i}`, lastName: 'Y', phone: `+1415556${String(1000 + i)}` },
          location: (i % 2) as 0 | 1,
          messages: [{ direction: 'inbound' as const, body: `Hi ${i}`, minutesAgo: 1000 - i }],
        })),
      );
      key = (await createApiKey(t.deps, { name: 't', businessId: K })).key;
      label = (await rest('POST', `/businesses/${K}/labels`, { name: 'Bulk', color: '#abcdef' })).json().id;
      label2 = (await rest('POST', `/businesses/${K}/labels`, { name: 'Other', color: '#abcdef' })).json().id;
    }, 120_000);

    it('assigns by ids: counts what changed, what already was, and ids that are not the business’s; one event per change', async () => {
      const maya = inbox.staff[0]!.id;
      await rest('POST', `/businesses/${K}/conversations/${conv(0)}/assign`, { staff_id: maya });
      const since = await last();
      const stranger = other.id && (await t.deps.prisma.conversation.findFirst({ where: { businessId: 'men' } }))!.id;
      const res = await bulk({ ids: [conv(0), conv(1), conv(2), conv(2), stranger], action: { assignee_id: maya } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ matched: 3, changed: 2, unchanged: 1, skipped: 0, failed: [{ conversation_id: stranger, code: 'CONVERSATION_NOT_FOUND', message: expect.any(String) }] });
      expect(await eventsSince(since)).toEqual([conv(1), conv(2)].sort().map((conversationId) => ({ conversationId, payload: { change: 'assignment', assigneeId: maya } })));
      // Unassign over GraphQL.
      const un = await gql(
        `mutation ($b: String!, $ids: [String!]) { bulkUpdateConversations(businessId: $b, target: { ids: $ids }, action: { unassign: true }) { matched changed unchanged skipped failed { code } } }`,
        {
          b: K,
          ids: [conv(0), conv(1), conv(3)],
        },
      );
      expect(un.data!.bulkUpdateConversations).toEqual({ matched: 3, changed: 2, unchanged: 1, skipped: 0, failed: [] });
      expect(await t.deps.prisma.conversation.count({ where: { businessId: K, assigneeId: maya } })).toBe(1);
      // The single operation's rules: an inactive staff member cannot be assigned.
      const inactive = await bulk({ ids: [conv(5)], action: { assignee_id: inbox.staff[2]!.id } });
      expect(inactive.status).toBe(422);
      expect(inactive.body.detail[0]).toMatchObject({ loc: ['body', 'action', 'assignee_id'], msg: 'Staff member is inactive and cannot be assigned' });
      const inactiveGql = await gql(`mutation ($b: String!, $s: String) { bulkUpdateConversations(businessId: $b, target: { ids: ["${conv(5)}"] }, action: { assigneeId: $s }) { changed } }`, {
        b: K,
        s: inbox.staff[2]!.id,
      });
      expect(inactiveGql.errors?.[0].extensions).toMatchObject({ code: 'STAFF_INACTIVE', issues: [{ loc: ['action', 'assigneeId'] }] });
      // Bad targets and actions.
      expect((await bulk({ ids: [conv(0)], filter: { view: 'open' }, action: { status: 'open' } })).status).toBe(422);
      expect((await bulk({ action: { status: 'open' } })).status).toBe(422);
      expect((await bulk({ ids: [conv(0)], action: {} })).status).toBe(422);
      expect((await bulk({ ids: Array.from({ length: 1001 }, () => conv(0)), action: { status: 'open' } })).status).toBe(422);
      const past = await bulk({ ids: [conv(0)], action: { status: 'snoozed', snoozed_until: '2001-01-01T00:00:00Z' } });
      expect(past.status).toBe(422);
      expect(past.body.detail[0].loc).toEqual(['body', 'action', 'snoozed_until']);
      expect((await bulk({ ids: [conv(0)], action: { status: 'open', snoozed_until: '2099-01-01T00:00:00Z' } })).status).toBe(422);
    });

    it('labels and changes status by filter, in chunks, with the snooze end scheduled as a single snooze does', async () => {
      // Label the conversations at location Alpha (230), then snooze those labelled and unassigned.
      const since = await last();
      const labelled = await bulk({ filter: { location_id: inbox.locations[0]!.id }, action: { add_label_ids: [label] } });
      expect(labelled.body).toEqual({ matched: 230, changed: 230, unchanged: 0, skipped: 0, failed: [] });
      const labelEvents = await eventsSince(since);
      expect(labelEvents).toHaveLength(230);
      expect(new Set(labelEvents.map((e) => e.conversationId)).size).toBe(230);
      expect(labelEvents[0]!.payload).toEqual({ change: 'labels', addedLabelIds: [label], removedLabelIds: [] });

      const until = new Date(Date.now() + 3_600_000);
      const snoozed = await gql(
        `mutation ($b: String!, $f: ConversationFilterInput, $u: DateTime) { bulkUpdateConversations(businessId: $b, target: { filter: $f }, action: { status: snoozed, snoozedUntil: $u }) { matched changed unchanged skipped } }`,
        { b: K, f: { labelIds: [label], unassigned: true }, u: until.toISOString() },
      );
      expect(snoozed.errors).toBeUndefined();
      const assignedAlpha = await t.deps.prisma.conversation.count({ where: { businessId: K, locationId: inbox.locations[0]!.id, assigneeId: { not: null } } });
      expect(snoozed.data!.bulkUpdateConversations).toEqual({ matched: 230 - assignedAlpha, changed: 230 - assignedAlpha, unchanged: 0, skipped: 0 });
      const jobs = await t.deps.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key LIKE 'end_snooze:%' AND task_identifier = 'end_snooze'`);
      expect(jobs.rows[0]!.n).toBe(230 - assignedAlpha);
      // The filter now matches none that still need it: snoozed conversations are not in the inbox view... archive them all by label.
      const archived = await bulk({ filter: { label_ids: [label], view: 'snoozed' }, action: { status: 'archived', remove_label_ids: [label] } });
      expect(archived.body).toMatchObject({ matched: 230 - assignedAlpha, changed: 230 - assignedAlpha });
      // Archiving removed the snooze jobs, as updateConversationStatus does.
      expect((await t.deps.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'end_snooze'`)).rows[0]!.n).toBe(0);
      // Again: the filter matches nothing any more.
      expect((await bulk({ filter: { label_ids: [label], view: 'snoozed' }, action: { status: 'archived' } })).body).toMatchObject({ matched: 0, changed: 0 });
      // The list filter's bad input is a 422 naming it.
      const bad = await bulk({ filter: { view: 'mentions' }, action: { status: 'open' } });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['body', 'filter', 'viewer_staff_id']);
      const badIds = await bulk({ ids: ['nope'], action: { status: 'open' } });
      expect(badIds.body.detail[0].loc).toEqual(['body', 'ids', 0]);
    });

    it('two bulk actions at once on overlapping sets end consistent, with one event per real change', async () => {
      const a = Array.from({ length: 300 }, (_, i) => conv(i + 100));
      const b = Array.from({ length: 300 }, (_, i) => conv(i + 150)).reverse();
      const jonas = inbox.staff[1]!.id;
      await bulk({ ids: a.concat(b), action: { remove_label_ids: [label2], status: 'open' } });
      const since = await last();
      const [r1, r2, r3, r4] = await Promise.all([
        bulk({ ids: a, action: { add_label_ids: [label2], assignee_id: jonas } }),
        bulk({ ids: b, action: { add_label_ids: [label2], assignee_id: jonas } }),
        bulk({ ids: a, action: { status: 'archived' } }),
        bulk({ ids: b, action: { status: 'archived' } }),
      ]);
      for (const r of [r1, r2, r3, r4]) {
        expect(r.status).toBe(200);
        expect(r.body.failed).toEqual([]);
        expect(r.body.matched).toBe(300);
      }
      const union = new Set([...a, ...b]);
      // Each conversation of the union changed once per action kind, whoever got there first.
      expect(r1.body.changed + r2.body.changed).toBe(union.size);
      expect(r3.body.changed + r4.body.changed).toBe(union.size);
      const events = await eventsSince(since);
      const per = (change: string) => events.filter((e) => e.payload.change === change).map((e) => e.conversationId);
      for (const change of ['labels', 'assignment', 'status']) {
        const ids = per(change);
        expect(ids, change).toHaveLength(union.size);
        expect(new Set(ids)).toEqual(union);
      }
      expect(await t.deps.prisma.conversationLabel.count({ where: { labelId: label2 } })).toBe(union.size);
      expect(await t.deps.prisma.conversation.count({ where: { id: { in: [...union] }, status: 'archived', assigneeId: jonas } })).toBe(union.size);
    });
  });
});
