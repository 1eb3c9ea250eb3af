// The inbox report against figures computed by hand on a small built inbox (README "Reports"):
// openings and a reopening, replies by two staff members, a note and an automatic (authorless)
// reply that do not count as responses, an archive; each groupBy, local days of the business time
// zone, filters, another business, bad ranges. Also the status history the triggers write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTransaction } from '../../src/db/transaction.js';
import { findOrCreateClient } from '../../src/domain/clients/findOrCreateClient.js';
import { createOrGetConversation } from '../../src/domain/conversations/createOrGetConversation.js';
import { updateConversationStatus } from '../../src/domain/conversations/updateConversationStatus.js';
import { appendMessage } from '../../src/domain/messages/appendMessage.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';

describe('inbox report', () => {
  let t: TestApp;
  let biz: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  let now = new Date('2026-01-05T16:00:00Z');
  const ids = { l1: '', l2: '', a: '', b: '', c1: '', c2: '' };

  const key = (k: string) => ({ 'x-api-key': k });
  const report = (query: string, apiKey = biz.apiKey, business = biz.id) => t.app.inject({ method: 'GET', url: `/businesses/${business}/reports/inbox?${query}`, headers: key(apiKey) });
  const ok = async (query: string) => {
    const res = await report(query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const d = (count: number, p50: number | null, p90: number | null) => ({ count, p50, p90 });
  const group = (r: { groups: { key: string | null }[] }, k: string | null) => r.groups.find((g) => g.key === k);

  beforeAll(async () => {
    t = await startTestApp({ clock: { now: () => now } });
    biz = await createBusiness(t.deps, 'rep-a');
    other = await createBusiness(t.deps, 'rep-b');
    await t.deps.prisma.business.update({ where: { id: biz.id }, data: { timeZone: 'America/New_York' } });
    ids.l1 = (await t.deps.prisma.location.create({ data: { businessId: biz.id, name: 'Uptown' } })).id;
    ids.l2 = (await t.deps.prisma.location.create({ data: { businessId: biz.id, name: 'Downtown' } })).id;
    ids.a = (await t.deps.prisma.staff.create({ data: { businessId: biz.id, firstName: 'Ana' } })).id;
    ids.b = (await t.deps.prisma.staff.create({ data: { businessId: biz.id, firstName: 'Ben' } })).id;

    const conversation = (phone: string, locationId: string) =>
      runTransaction(t.deps, async (tx) => {
        const { client } = await findOrCreateClient(tx, { businessId: biz.id, phone });
        const { conversation: c } = await createOrGetConversation(tx, { businessId: biz.id, clientId: client.id, locationId });
        return c;
      });
    const c1 = await conversation('+12025550101', ids.l1);
    const c2 = await conversation('+12025550102', ids.l2);
    ids.c1 = c1.id;
    ids.c2 = c2.id;
    await t.deps.prisma.conversation.update({ where: { id: c1.id }, data: { assigneeId: ids.a } });
    const add = (c: typeof c1, at: string, m: { channel: 'sms' | 'email' | 'voice' | 'note'; direction: 'inbound' | 'outbound' | 'internal'; staff?: string }) =>
      runTransaction(t.deps, (tx) =>
        appendMessage(tx, {
          businessId: biz.id,
          conversationId: c.id,
          clientId: c.clientId,
          locationId: c.locationId,
          channel: m.channel,
          direction: m.direction,
          status: m.direction === 'inbound' ? 'received' : m.direction === 'internal' ? 'recorded' : 'sent',
          body: `${m.channel} ${m.direction} at ${at}`,
          authorStaffId: m.staff ?? null,
          createdAt: new Date(at),
        }),
      );
    // C1 (Uptown, assigned to Ana). New York is UTC-5 in January.
    await add(c1, '2026-01-05T14:00:00Z', { channel: 'sms', direction: 'inbound' }); // opening
    await add(c1, '2026-01-05T14:10:00Z', { channel: 'note', direction: 'internal', staff: ids.a }); // a note: no reply
    await add(c1, '2026-01-05T14:20:00Z', { channel: 'sms', direction: 'outbound' }); // automatic reply: no author
    await add(c1, '2026-01-05T14:30:00Z', { channel: 'sms', direction: 'outbound', staff: ids.a }); // first response 1800 s
    await add(c1, '2026-01-05T15:00:00Z', { channel: 'sms', direction: 'inbound' });
    await add(c1, '2026-01-05T15:05:00Z', { channel: 'sms', direction: 'inbound' });
    await add(c1, '2026-01-05T15:20:00Z', { channel: 'email', direction: 'outbound', staff: ids.b }); // response 1200 s (from 15:00)
    now = new Date('2026-01-05T16:00:00Z');
    await updateConversationStatus(t.deps, { businessId: biz.id, conversationId: c1.id, status: 'archived' }); // resolution 7200 s
    await add(c1, '2026-01-06T04:30:00Z', { channel: 'sms', direction: 'inbound' }); // reopening, 23:30 on the 5th in New York
    await add(c1, '2026-01-06T05:30:00Z', { channel: 'sms', direction: 'outbound', staff: ids.b }); // first response 3600 s, on the 6th
    // C2 (Downtown, unassigned).
    await add(c2, '2026-01-06T15:00:00Z', { channel: 'email', direction: 'inbound' }); // opening
    await add(c2, '2026-01-06T15:40:00Z', { channel: 'voice', direction: 'outbound', staff: ids.a }); // first response 2400 s
  });
  afterAll(() => t?.close());

  it('totals over the two days', async () => {
    const r = await ok('from=2026-01-05&to=2026-01-06&group_by=day');
    expect(r).toMatchObject({ business_id: biz.id, time_zone: 'America/New_York', from: '2026-01-05', to: '2026-01-06', group_by: 'day' });
    expect(r.totals).toEqual({
      conversations_opened: 3,
      messages_in: 5,
      messages_out: 5,
      first_response: d(3, 2400, 3360),
      response: d(4, 2100, 3240),
      resolution: d(1, 7200, 7200),
    });
  });

  it('groups by local day of the business time zone (the 04:30 UTC reopening is on the 5th)', async () => {
    const r = await ok('from=2026-01-05&to=2026-01-06&group_by=day');
    expect(r.groups.map((g: { key: string }) => g.key)).toEqual(['2026-01-05', '2026-01-06']);
    expect(group(r, '2026-01-05')).toEqual({
      key: '2026-01-05',
      conversations_opened: 2,
      messages_in: 4,
      messages_out: 3,
      first_response: d(1, 1800, 1800),
      response: d(2, 1500, 1740),
      resolution: d(1, 7200, 7200),
    });
    expect(group(r, '2026-01-06')).toEqual({
      key: '2026-01-06',
      conversations_opened: 1,
      messages_in: 1,
      messages_out: 2,
      first_response: d(2, 3000, 3480),
      response: d(2, 3000, 3480),
      resolution: d(0, null, null),
    });
    // Only the 6th: the reopening (the 5th, local) is out.
    const sixth = await ok('from=2026-01-06&to=2026-01-06&group_by=day');
    expect(sixth.totals).toMatchObject({ conversations_opened: 1, messages_in: 1, messages_out: 2 });
  });

  it('groups by week (Monday)', async () => {
    const r = await ok('from=2026-01-01&to=2026-01-31&group_by=week');
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]).toMatchObject({ key: '2026-01-05', conversations_opened: 3, messages_in: 5, messages_out: 5, first_response: d(3, 2400, 3360) });
  });

  it('groups by staff: the replier for response times, the assignee for volumes and resolutions', async () => {
    const r = await ok('from=2026-01-05&to=2026-01-06&group_by=staff');
    expect(group(r, ids.a)).toEqual({
      key: ids.a,
      conversations_opened: 2,
      messages_in: 4,
      messages_out: 4,
      first_response: d(2, 2100, 2340),
      response: d(2, 2100, 2340),
      resolution: d(1, 7200, 7200),
    });
    expect(group(r, ids.b)).toEqual({
      key: ids.b,
      conversations_opened: 0,
      messages_in: 0,
      messages_out: 0,
      first_response: d(1, 3600, 3600),
      response: d(2, 2400, 3360),
      resolution: d(0, null, null),
    });
    expect(group(r, null)).toMatchObject({ conversations_opened: 1, messages_in: 1, messages_out: 1, first_response: d(0, null, null) });
  });

  it('groups by location and by channel', async () => {
    const byLocation = await ok('from=2026-01-05&to=2026-01-06&group_by=location');
    expect(group(byLocation, ids.l1)).toMatchObject({
      conversations_opened: 2,
      messages_in: 4,
      messages_out: 4,
      first_response: d(2, 2700, 3420),
      response: d(3, 1800, 3240),
      resolution: d(1, 7200, 7200),
    });
    expect(group(byLocation, ids.l2)).toMatchObject({ conversations_opened: 1, messages_in: 1, messages_out: 1, first_response: d(1, 2400, 2400), response: d(1, 2400, 2400) });
    const byChannel = await ok('from=2026-01-05&to=2026-01-06&group_by=channel');
    expect(group(byChannel, 'sms')).toMatchObject({
      conversations_opened: 2,
      messages_in: 4,
      messages_out: 3,
      first_response: d(2, 2700, 3420),
      response: d(2, 2700, 3420),
      resolution: d(1, 7200, 7200),
    });
    expect(group(byChannel, 'email')).toMatchObject({ conversations_opened: 1, messages_in: 1, messages_out: 1, first_response: d(0, null, null), response: d(1, 1200, 1200) });
    expect(group(byChannel, 'voice')).toMatchObject({ conversations_opened: 0, messages_in: 0, messages_out: 1, first_response: d(1, 2400, 2400) });
  });

  it('filters by staff, channel and location', async () => {
    const ben = await ok(`from=2026-01-05&to=2026-01-06&group_by=day&staff_ids=${ids.b}`);
    expect(ben.totals).toEqual({ conversations_opened: 0, messages_in: 0, messages_out: 0, first_response: d(1, 3600, 3600), response: d(2, 2400, 3360), resolution: d(0, null, null) });
    const email = await ok('from=2026-01-05&to=2026-01-06&group_by=day&channels=email');
    expect(email.totals).toMatchObject({ conversations_opened: 1, messages_in: 1, messages_out: 1, response: d(1, 1200, 1200) });
    const downtown = await ok(`from=2026-01-05&to=2026-01-06&group_by=channel&location_ids=${ids.l2}`);
    expect(downtown.totals).toMatchObject({ conversations_opened: 1, messages_in: 1, messages_out: 1, first_response: d(1, 2400, 2400), resolution: d(0, null, null) });
  });

  it('answers GraphQL with the same figures', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: key(biz.apiKey),
      payload: {
        query: `query($b: String!) { inboxReport(businessId: $b, from: "2026-01-05", to: "2026-01-06", groupBy: STAFF, filters: { channels: [sms, voice] }) {
          timeZone groups { key conversationsOpened firstResponse { count p50 p90 } }
          totals { conversationsOpened messagesIn messagesOut firstResponse { count p50 p90 } response { count p50 p90 } resolution { count p50 p90 } } } }`,
        variables: { b: biz.id },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json().data.inboxReport;
    expect(r.timeZone).toBe('America/New_York');
    expect(r.totals).toEqual({ conversationsOpened: 2, messagesIn: 4, messagesOut: 4, firstResponse: d(3, 2400, 3360), response: d(3, 2400, 3360), resolution: d(1, 7200, 7200) });
    expect(r.groups.find((g: { key: string }) => g.key === ids.b)).toEqual({ key: ids.b, conversationsOpened: 0, firstResponse: d(1, 3600, 3600) });
  });

  it("refuses another business's report, bad dates and ranges", async () => {
    expect((await report('from=2026-01-05&to=2026-01-06&group_by=day', other.apiKey)).statusCode).toBe(403);
    const theirs = await report('from=2026-01-05&to=2026-01-06&group_by=day', other.apiKey, other.id);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().totals.conversations_opened).toBe(0);
    expect((await report('from=2026-01-05&to=2026-01-06&group_by=day', biz.apiKey, 'nope')).statusCode).toBe(403);
    for (const q of [
      'from=2026-01-06&to=2026-01-05&group_by=day',
      'from=2025-01-01&to=2026-01-02&group_by=day',
      'from=2026-02-30&to=2026-03-01&group_by=day',
      'from=2026-01-01&to=2026-01-02&group_by=hour',
      'from=2026-01-01&group_by=day',
    ]) {
      const res = await report(q);
      expect(res.statusCode, q).toBe(422);
    }
    const unknownLocation = await ok(`from=2026-01-05&to=2026-01-06&group_by=day&location_ids=0190a000-0000-7000-8000-000000000001`);
    expect(unknownLocation.totals.conversations_opened).toBe(0);
    expect((await report('from=2026-01-01&to=2026-12-31&group_by=day')).statusCode).toBe(200);
  });

  it('keeps the status history: created, archived by a status update at the clock, reopened by the inbound message', async () => {
    const rows = await t.deps.prisma.conversationStatusChange.findMany({ where: { conversationId: ids.c1 }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.fromStatus, r.toStatus, r.reason])).toEqual([
      [null, 'open', 'created'],
      ['open', 'archived', 'status_update'],
      ['archived', 'open', 'inbound'],
    ]);
    expect(rows[1]!.changedAt.toISOString()).toBe('2026-01-05T16:00:00.000Z');
    expect(rows[1]!.openedAt?.toISOString()).toBe('2026-01-05T14:00:00.000Z');
    expect(rows[1]!.assigneeId).toBe(ids.a);
  });
});
