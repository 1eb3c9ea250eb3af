// updateClient and mergeClients over REST and GraphQL: profile edits with normalised contacts, a
// contact another client has is a 409 naming it (also when two edits race for it), merges that keep
// every message and combine conversations at the same location, consent, events, other businesses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTransaction } from '../../src/db/transaction.js';
import { findOrCreateClient } from '../../src/domain/clients/findOrCreateClient.js';
import { createOrGetConversation } from '../../src/domain/conversations/createOrGetConversation.js';
import { appendMessage } from '../../src/domain/messages/appendMessage.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';

describe('client edits and merges', () => {
  let t: TestApp;
  let biz: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  let l1: string;
  let l2: string;
  let staffId: string;

  const key = (k: string) => ({ 'x-api-key': k });
  const patch = (clientId: string, body: unknown, business = biz) =>
    t.app.inject({ method: 'PATCH', url: `/business-clients/${business.id}/clients/${clientId}`, headers: key(business.apiKey), payload: body as object });
  const merge = (keep: string, mergeId: string, business = biz) =>
    t.app.inject({ method: 'POST', url: `/business-clients/${business.id}/clients/merge`, headers: key(business.apiKey), payload: { keep_id: keep, merge_id: mergeId } });
  const client = async (phone: string, businessId = biz.id) => (await runTransaction(t.deps, (tx) => findOrCreateClient(tx, { businessId, phone }))).client;
  const conversation = (clientId: string, locationId: string) => runTransaction(t.deps, async (tx) => (await createOrGetConversation(tx, { businessId: biz.id, clientId, locationId })).conversation);
  const add = (c: { id: string; clientId: string; locationId: string }, at: string, direction: 'inbound' | 'outbound', body: string) =>
    runTransaction(t.deps, (tx) =>
      appendMessage(tx, {
        businessId: biz.id,
        conversationId: c.id,
        clientId: c.clientId,
        locationId: c.locationId,
        channel: 'sms',
        direction,
        status: direction === 'inbound' ? 'received' : 'sent',
        body,
        createdAt: new Date(at),
        ...(direction === 'outbound' ? { authorStaffId: staffId } : {}),
      }),
    );
  const events = (type: string) => t.deps.prisma.inboxEvent.findMany({ where: { businessId: biz.id, type }, orderBy: { id: 'asc' } });

  beforeAll(async () => {
    t = await startTestApp();
    biz = await createBusiness(t.deps, 'ce-a');
    other = await createBusiness(t.deps, 'ce-b');
    l1 = (await t.deps.prisma.location.create({ data: { businessId: biz.id, name: 'Uptown' } })).id;
    l2 = (await t.deps.prisma.location.create({ data: { businessId: biz.id, name: 'Downtown' } })).id;
    staffId = (await t.deps.prisma.staff.create({ data: { businessId: biz.id, firstName: 'Ana' } })).id;
  });
  afterAll(() => t?.close());

  describe('updateClient', () => {
    it('edits names, phones (normalised), emails (lower-cased), type, groups, notes and home location, with a client.updated event', async () => {
      const c = await client('+12025550110');
      const res = await patch(c.id, {
        first_name: ' Rosa ',
        last_name: 'Mitchell',
        phones: ['(202) 555-0111', '+12025550110'],
        emails: ['Rosa@Example.COM'],
        type: 'vip',
        groups: ['color', 'color', 'cuts'],
        notes: 'Prefers mornings',
        home_location_id: l2,
        external_id_is_not_allowed: undefined,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        id: c.id,
        first_name: 'Rosa',
        last_name: 'Mitchell',
        name: 'Rosa Mitchell',
        phones: ['+12025550111', '+12025550110'],
        emails: ['rosa@example.com'],
        type: 'vip',
        groups: ['color', 'cuts'],
        notes: 'Prefers mornings',
        home_location_id: l2,
        merged_into_id: null,
      });
      const [event] = (await events('client.updated')).filter((e) => (e.payload as { clientId?: string }).clientId === c.id);
      expect(event?.payload).toEqual({ clientId: c.id, change: 'profile', fields: ['firstName', 'lastName', 'phones', 'emails', 'type', 'groups', 'notes', 'homeLocationId'] });

      // Null is "not given"; an empty string or list clears.
      const cleared = await patch(c.id, { first_name: null, notes: '', groups: [], home_location_id: '' });
      expect(cleared.statusCode, cleared.body).toBe(200);
      expect(cleared.json()).toMatchObject({ first_name: 'Rosa', notes: null, groups: [], home_location_id: null });
    });

    it('answers 409 naming the client that has the phone or email, and changes nothing', async () => {
      const holder = await client('+12025550120');
      await patch(holder.id, { emails: ['taken@example.com'] });
      const c = await client('+12025550121');
      const phone = await patch(c.id, { phones: ['+12025550121', '202-555-0120'] });
      expect(phone.statusCode).toBe(409);
      expect(phone.json().detail ?? phone.body).toContain(holder.id);
      expect(phone.body).toContain('+12025550120');
      const email = await patch(c.id, { emails: ['TAKEN@example.com'] });
      expect(email.statusCode).toBe(409);
      expect(email.body).toContain(holder.id);
      expect(email.body).toContain('taken@example.com');
      expect((await t.deps.prisma.client.findUniqueOrThrow({ where: { id: c.id } })).phones).toEqual(['+12025550121']);
    });

    it('lets one of two racing edits take a phone: the other gets 409, never two clients with it', async () => {
      for (let round = 0; round < 3; round++) {
        const a = await client(`+1202555014${round}`);
        const b = await client(`+1202555015${round}`);
        const wanted = `+1202555016${round}`;
        const answers = await Promise.all([patch(a.id, { phones: [wanted] }), patch(b.id, { phones: [wanted] })]);
        expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
        expect(await t.deps.prisma.client.count({ where: { businessId: biz.id, phones: { has: wanted } } })).toBe(1);
      }
    });

    it("refuses bad input (422) and another business's client (404)", async () => {
      const c = await client('+12025550130');
      expect((await patch(c.id, {})).statusCode).toBe(422);
      expect((await patch(c.id, { phones: ['not a phone'] })).statusCode).toBe(422);
      expect((await patch(c.id, { emails: ['nope'] })).statusCode).toBe(422);
      expect((await patch(c.id, { home_location_id: 'x' })).statusCode).toBe(422);
      expect((await patch(c.id, { first_name: 1 })).statusCode).toBe(422);
      expect((await patch(c.id, { unknown: 'x' })).statusCode).toBe(422);
      const theirs = await client('+12025550131', other.id);
      expect((await patch(theirs.id, { first_name: 'X' })).statusCode).toBe(404);
      expect((await patch(c.id, { first_name: 'X' }, other)).statusCode).toBe(404);
      expect((await t.deps.prisma.client.findUniqueOrThrow({ where: { id: theirs.id } })).firstName).toBeNull();
      const homeElsewhere = await t.deps.prisma.location.create({ data: { businessId: other.id, name: 'Theirs' } });
      expect((await patch(c.id, { home_location_id: homeElsewhere.id })).statusCode).toBe(404);
    });

    it('works over GraphQL', async () => {
      const c = await client('+12025550170');
      const res = await t.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: key(biz.apiKey),
        payload: {
          query: `mutation($i: UpdateClientInput!) { updateClient(input: $i) { clientId firstName phones notes mergedIntoId } }`,
          variables: { i: { businessId: biz.id, clientId: c.id, firstName: 'Gus', phones: ['202 555 0171'], notes: 'n' } },
        },
      });
      expect(res.json()).toEqual({ data: { updateClient: { clientId: c.id, firstName: 'Gus', phones: ['+12025550171'], notes: 'n', mergedIntoId: null } } });
    });
  });

  describe('mergeClients', () => {
    it('moves every message, combines the conversations at the same location, recomputes summary, unread counts and read positions', async () => {
      const keep = await client('+12025550201');
      const gone = await client('+12025550202');
      expect((await patch(keep.id, { first_name: 'Rosa', groups: ['a'], emails: ['rosa.m@example.com'] })).statusCode).toBe(200);
      await patch(gone.id, { last_name: 'M', groups: ['b'], notes: 'from the other' });
      await t.deps.prisma.client.update({ where: { id: gone.id }, data: { smsOptOut: true, smsOptOutAt: new Date('2026-01-01T00:00:00Z') } });
      const k1 = await conversation(keep.id, l1);
      const g1 = await conversation(gone.id, l1);
      const g2 = await conversation(gone.id, l2);
      await add(k1, '2026-01-05T10:00:00Z', 'inbound', 'k1 in');
      await add(k1, '2026-01-05T10:30:00Z', 'outbound', 'k1 out');
      await add(g1, '2026-01-05T10:10:00Z', 'inbound', 'g1 in early');
      await add(g1, '2026-01-05T11:00:00Z', 'inbound', 'g1 in latest');
      await add(g2, '2026-01-05T09:00:00Z', 'inbound', 'g2 in');
      // The staff member read k1 (nothing unread there) and has no position in g1.
      await t.deps.prisma.conversation.update({ where: { id: k1.id }, data: { unreadCount: 0 } });
      await t.deps.prisma.message.updateMany({ where: { conversationId: k1.id }, data: { seenAt: new Date() } });
      await t.deps.prisma.conversationRead.create({ data: { conversationId: k1.id, staffId, businessId: biz.id, lastReadAt: new Date('2026-01-05T10:30:00Z'), unreadCount: 0 } });
      const messagesBefore = await t.deps.prisma.message.findMany({ where: { businessId: biz.id, clientId: { in: [keep.id, gone.id] } }, select: { id: true } });
      // Labels: one on each side, one on both; the combined conversation ends with all three, once each.
      const [vip, late, both] = await Promise.all(['VIP', 'Late', 'Both'].map((name) => t.deps.prisma.label.create({ data: { businessId: biz.id, name, color: '#112233' } })));
      await t.deps.prisma.conversationLabel.createMany({
        data: [
          { conversationId: k1.id, labelId: vip!.id, businessId: biz.id },
          { conversationId: k1.id, labelId: both!.id, businessId: biz.id },
          { conversationId: g1.id, labelId: late!.id, businessId: biz.id },
          { conversationId: g1.id, labelId: both!.id, businessId: biz.id },
        ],
      });

      const res = await merge(keep.id, gone.id);
      expect(res.statusCode, res.body).toBe(200);
      const labelsAfter = await t.deps.prisma.conversationLabel.findMany({ where: { conversationId: k1.id }, select: { labelId: true } });
      expect(labelsAfter.map((l) => l.labelId).sort()).toEqual([vip!.id, late!.id, both!.id].sort());
      const body = res.json();
      expect(body.moved_conversation_ids).toEqual([g2.id]);
      expect(body.combined_conversations).toEqual([{ from_id: g1.id, into_id: k1.id }]);
      expect(body.client).toMatchObject({
        id: keep.id,
        first_name: 'Rosa',
        last_name: 'M',
        phones: ['+12025550201', '+12025550202'],
        emails: ['rosa.m@example.com'],
        groups: ['a', 'b'],
        notes: 'from the other',
        sms_opt_out: true,
        sms_opt_out_at: '2026-01-01T00:00:00.000Z',
      });

      // Every message kept, all on the kept client; the combined conversation holds four.
      const after = await t.deps.prisma.message.findMany({ where: { id: { in: messagesBefore.map((m) => m.id) } }, select: { clientId: true, conversationId: true, body: true } });
      expect(after).toHaveLength(5);
      expect(new Set(after.map((m) => m.clientId))).toEqual(new Set([keep.id]));
      expect(
        after
          .filter((m) => m.conversationId === k1.id)
          .map((m) => m.body)
          .sort(),
      ).toEqual(['g1 in early', 'g1 in latest', 'k1 in', 'k1 out']);
      expect(await t.deps.prisma.conversation.findUnique({ where: { id: g1.id } })).toBeNull();
      const combined = await t.deps.prisma.conversation.findUniqueOrThrow({ where: { id: k1.id } });
      expect(combined).toMatchObject({
        clientId: keep.id,
        lastMessagePreview: 'g1 in latest',
        lastMessageDirection: 'inbound',
        unreadCount: 2,
        lastInboundAt: new Date('2026-01-05T11:00:00Z'),
        lastOutboundAt: new Date('2026-01-05T10:30:00Z'),
        lastActivityAt: new Date('2026-01-05T11:00:00Z'),
      });
      const read = await t.deps.prisma.conversationRead.findUniqueOrThrow({ where: { conversationId_staffId: { conversationId: k1.id, staffId } } });
      expect(read.unreadCount).toBe(2);
      expect((await t.deps.prisma.conversation.findUniqueOrThrow({ where: { id: g2.id } })).clientId).toBe(keep.id);

      // The merged client: marked, contacts gone, out of lists; its id answers with the pointer.
      const merged = await t.deps.prisma.client.findUniqueOrThrow({ where: { id: gone.id } });
      expect(merged).toMatchObject({ mergedIntoId: keep.id, phones: [], emails: [] });
      const list = await t.app.inject({ method: 'GET', url: `/business-clients/${biz.id}/clients?limit=100`, headers: key(biz.apiKey) });
      expect(list.json().items.map((c: { id: string }) => c.id)).not.toContain(gone.id);
      const detail = await t.app.inject({ method: 'GET', url: `/business-clients/${biz.id}/clients/${gone.id}`, headers: key(biz.apiKey) });
      expect(detail.json()).toMatchObject({ id: gone.id, merged_into_id: keep.id });
      // A new message from the merged client's number finds the kept client.
      expect((await client('+12025550202')).id).toBe(keep.id);

      const mergedEvent = (await events('client.merged')).find((e) => (e.payload as { mergedClientId?: string }).mergedClientId === gone.id);
      expect(mergedEvent?.payload).toEqual({ clientId: keep.id, mergedClientId: gone.id, movedConversationIds: [g2.id], combinedConversations: [{ fromId: g1.id, intoId: k1.id }] });
      const updated = (await events('conversation.updated')).filter((e) => e.conversationId === k1.id);
      expect(updated.map((e) => (e.payload as { change: string; mergedConversationId: string }).mergedConversationId)).toEqual([g1.id]);

      // Merging again, into itself, or across businesses.
      expect((await merge(keep.id, gone.id)).statusCode).toBe(409);
      expect((await merge(gone.id, keep.id)).statusCode).toBe(409);
      expect((await merge(keep.id, keep.id)).statusCode).toBe(422);
      const theirs = await client('+12025550299', other.id);
      expect((await merge(keep.id, theirs.id)).statusCode).toBe(404);
      expect((await merge(keep.id, gone.id, other)).statusCode).toBe(404);
    });

    it('serialises opposite concurrent merges of the same two clients: one merges, the other is refused, no deadlock', async () => {
      for (let round = 0; round < 3; round++) {
        const a = await client(`+1202555030${round}`);
        const b = await client(`+1202555031${round}`);
        await add(await conversation(a.id, l1), '2026-01-06T10:00:00Z', 'inbound', 'a');
        await add(await conversation(b.id, l1), '2026-01-06T10:01:00Z', 'inbound', 'b');
        const answers = await Promise.all([merge(a.id, b.id), merge(b.id, a.id)]);
        expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
        expect(await t.deps.prisma.message.count({ where: { clientId: { in: [a.id, b.id] } } })).toBe(2);
        expect(await t.deps.prisma.conversation.count({ where: { clientId: { in: [a.id, b.id] } } })).toBe(1);
      }
    });

    it("never deadlocks with notes written at the same time on the kept client's conversation", async () => {
      for (let round = 0; round < 4; round++) {
        const a = await client(`+1202555050${round}`);
        const b = await client(`+1202555051${round}`);
        const kept = await conversation(a.id, l1);
        await add(kept, '2026-01-07T10:00:00Z', 'inbound', 'a');
        await add(await conversation(b.id, l1), '2026-01-07T10:01:00Z', 'inbound', 'b');
        const note = (i: number) => t.app.inject({ method: 'POST', url: `/businesses/${biz.id}/conversations/${kept.id}/notes`, headers: key(biz.apiKey), payload: { body: `note ${i}` } });
        const answers = await Promise.all([note(1), merge(a.id, b.id), note(2), note(3)]);
        expect(answers.map((r) => r.statusCode)).toEqual([201, 200, 201, 201]);
        expect(await t.deps.prisma.message.count({ where: { conversationId: kept.id } })).toBe(5);
      }
    });

    it('works over GraphQL', async () => {
      const a = await client('+12025550401');
      const b = await client('+12025550402');
      const res = await t.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: key(biz.apiKey),
        payload: {
          query: `mutation($i: MergeClientsInput!) { mergeClients(input: $i) { client { clientId phones } movedConversationIds combinedConversations { fromId intoId } } }`,
          variables: { i: { businessId: biz.id, keepId: a.id, mergeId: b.id } },
        },
      });
      expect(res.json()).toEqual({ data: { mergeClients: { client: { clientId: a.id, phones: ['+12025550401', '+12025550402'] }, movedConversationIds: [], combinedConversations: [] } } });
    });
  });
});
