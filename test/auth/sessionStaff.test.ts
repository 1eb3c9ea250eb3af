// A session acts as its own staff member, over REST and GraphQL alike: it writes notes, sends,
// records and reads as that staff member, and naming another one is 403 STAFF_FORBIDDEN. An API
// key names the staff member it acts for, or none. (The rule: actingStaffId in domain/auth/principal.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { buildInbox } from '../helpers/inboxFixture.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

describe('a session acts as its own staff member', () => {
  let t: TestApp;
  let key: string;
  let session: Record<string, string>;
  let maya: string;
  let jonas: string;
  let inbox: Awaited<ReturnType<typeof buildInbox>>;
  const conv = (i: number) => inbox.conversations[i]!.conversationId;

  beforeAll(async () => {
    t = await startTestApp();
    inbox = await buildInbox(t.deps, 'crew', [
      {
        client: { firstName: 'Ada', lastName: 'One', phone: '+14155550601' },
        messages: [
          { direction: 'inbound', body: 'Hello', minutesAgo: 30 },
          { direction: 'inbound', body: 'Anyone?', minutesAgo: 29 },
        ],
      },
      { client: { firstName: 'Bo', lastName: 'Two', phone: '+14155550602' }, messages: [{ direction: 'inbound', body: 'Hi there', minutesAgo: 20 }] },
      { client: { firstName: 'Cy', lastName: 'Three', phone: '+14155550603' }, messages: [{ direction: 'inbound', body: 'Question', minutesAgo: 10 }] },
    ]);
    [maya, jonas] = [inbox.staff[0]!.id, inbox.staff[1]!.id];
    await t.deps.prisma.location.update({ where: { id: inbox.locations[0]!.id }, data: { smsPhoneNumber: '+15005550006' } });
    key = (await createApiKey(t.deps, { name: 't', businessId: 'crew' })).key;
    const issued = await t.app.inject({ method: 'POST', url: '/auth/token', headers: { 'x-api-key': key }, payload: { business_id: 'crew', staff_id: maya } });
    session = { authorization: `Bearer ${issued.json().access_token}` };
  });
  afterAll(() => t.close());

  const rest = (url: string, payload: object, headers: Record<string, string> = session) => t.app.inject({ method: 'POST', url, payload, headers });
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = session) =>
    (await t.app.inject({ method: 'POST', url: '/graphql', payload: { query, variables }, headers })).json();
  const notes = () => t.deps.prisma.message.count({ where: { businessId: 'crew', channel: 'note' } });
  const readPosition = (conversationId: string, staffId: string) => t.deps.prisma.conversationRead.findUnique({ where: { conversationId_staffId: { conversationId, staffId } } });
  const ADD_NOTE = 'mutation($input: AddNoteInput!) { addNote(input: $input) { id authorStaff { staffId } } }';
  const MARK_READ = 'mutation($input: MarkMessagesReadInput!) { markMessagesRead(input: $input) { updated staffUpdated } }';
  const SEND_SMS = 'mutation($input: SendSmsInput!) { sendSms(input: $input) { messageIds } }';

  describe('notes', () => {
    it('REST: a session is the author of its notes, may name itself, and may not name a colleague', async () => {
      const own = await rest(`/businesses/crew/conversations/${conv(0)}/notes`, { body: 'Called her back' });
      expect(own.statusCode).toBe(201);
      expect(own.json().author_staff_id).toBe(maya);
      const named = await rest(`/businesses/crew/conversations/${conv(0)}/notes`, { body: 'Me again', author_staff_id: maya });
      expect(named.json().author_staff_id).toBe(maya);

      const before = await notes();
      const other = await rest(`/businesses/crew/conversations/${conv(0)}/notes`, { body: 'Jonas said so', author_staff_id: jonas });
      expect(other.statusCode).toBe(403);
      expect(other.json()).toMatchObject({ code: 'STAFF_FORBIDDEN', detail: expect.stringContaining(maya) });
      expect(await notes()).toBe(before);
    });

    it('GraphQL: the same', async () => {
      const own = await gql(ADD_NOTE, { input: { conversationId: conv(0), body: 'From the inbox page' } });
      expect(own.data.addNote.authorStaff.staffId).toBe(maya);
      const before = await notes();
      const other = await gql(ADD_NOTE, { input: { conversationId: conv(0), body: 'As Jonas', authorStaffId: jonas } });
      expect(other.data).toBeNull();
      expect(other.errors[0].extensions).toMatchObject({ code: 'STAFF_FORBIDDEN' });
      expect(await notes()).toBe(before);
    });

    it('an API key credits the staff member it names, or nobody', async () => {
      const apiKey = { 'x-api-key': key };
      expect((await rest(`/businesses/crew/conversations/${conv(0)}/notes`, { body: 'By Jonas', author_staff_id: jonas }, apiKey)).json().author_staff_id).toBe(jonas);
      expect((await rest(`/businesses/crew/conversations/${conv(0)}/notes`, { body: 'By the system' }, apiKey)).json().author_staff_id ?? null).toBeNull();
      expect((await gql(ADD_NOTE, { input: { conversationId: conv(0), body: 'By Jonas', authorStaffId: jonas } }, { authorization: `Bearer ${key}` })).data.addNote.authorStaff.staffId).toBe(jonas);
    });
  });

  describe('read positions', () => {
    it("REST: marking read by a session moves its staff member's read position, and no one else's", async () => {
      expect(await readPosition(conv(1), maya)).toBeNull();
      const res = await rest('/businesses/crew/messages/read-status', { conversation_id: conv(1) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ updated: 1, staff_updated: 1 });
      expect(await readPosition(conv(1), maya)).toMatchObject({ unreadCount: 0 });
      expect(await readPosition(conv(1), jonas)).toBeNull();

      const other = await rest('/businesses/crew/messages/read-status', { conversation_id: conv(1), read: false, staff_id: jonas });
      expect([other.statusCode, other.json().code]).toEqual([403, 'STAFF_FORBIDDEN']);
      expect(await readPosition(conv(1), jonas)).toBeNull();
    });

    it('GraphQL: the same', async () => {
      const res = await gql(MARK_READ, { input: { businessId: 'crew', read: true, conversationId: conv(2) } });
      expect(res.data.markMessagesRead).toEqual({ updated: 1, staffUpdated: 1 });
      expect(await readPosition(conv(2), maya)).toMatchObject({ unreadCount: 0 });
      const other = await gql(MARK_READ, { input: { businessId: 'crew', read: false, conversationId: conv(2), staffId: jonas } });
      expect(other.errors[0].extensions).toMatchObject({ code: 'STAFF_FORBIDDEN' });
      expect(await readPosition(conv(2), jonas)).toBeNull();
    });

    it('an API key moves only the read position it names', async () => {
      const res = await rest('/businesses/crew/messages/read-status', { conversation_id: conv(0), staff_id: jonas }, { 'x-api-key': key });
      expect(res.json()).toEqual({ updated: 2, staff_updated: 2 });
      expect(await readPosition(conv(0), jonas)).toMatchObject({ unreadCount: 0 });
      expect(await readPosition(conv(0), maya)).toBeNull();
    });
  });

  describe('sending and recording', () => {
    it('a session sends and records as itself over REST and GraphQL, never as a colleague', async () => {
      const sent = await rest('/sms/send', { to: '+14155550601', body: 'On our way', location_id: inbox.locations[0]!.id });
      expect(sent.statusCode).toBe(202);
      expect((await t.deps.prisma.message.findUniqueOrThrow({ where: { id: sent.json().message_ids[0] } })).authorStaffId).toBe(maya);
      const asJonas = await rest('/sms/send', { to: '+14155550601', body: 'As Jonas', staff_id: jonas, location_id: inbox.locations[0]!.id });
      expect([asJonas.statusCode, asJonas.json().code]).toEqual([403, 'STAFF_FORBIDDEN']);
      const recorded = await rest('/sms/record', { to: '+14155550602', body: 'From my phone', staff_id: jonas });
      expect([recorded.statusCode, recorded.json().code]).toEqual([403, 'STAFF_FORBIDDEN']);
      const processed = await rest('/messages/crew/process', { channel: 'note', conversation_id: conv(1), body: 'via process', staff_id: jonas });
      expect([processed.statusCode, processed.json().code]).toEqual([403, 'STAFF_FORBIDDEN']);
      const processedOwn = await rest('/messages/crew/process', { channel: 'note', conversation_id: conv(1), body: 'via process' });
      expect((await t.deps.prisma.message.findUniqueOrThrow({ where: { id: processedOwn.json().messages[0].message_id } })).authorStaffId).toBe(maya);

      const gqlSent = await gql(SEND_SMS, { input: { businessId: 'crew', recipients: [{ to: '+14155550603' }], body: 'Ready', locationId: inbox.locations[0]!.id } });
      expect((await t.deps.prisma.message.findUniqueOrThrow({ where: { id: gqlSent.data.sendSms.messageIds[0] } })).authorStaffId).toBe(maya);
      const gqlAsJonas = await gql(SEND_SMS, { input: { businessId: 'crew', recipients: [{ to: '+14155550603' }], body: 'As Jonas', staffId: jonas, locationId: inbox.locations[0]!.id } });
      expect(gqlAsJonas.errors[0].extensions).toMatchObject({ code: 'STAFF_FORBIDDEN' });
    });
  });
});
