// searchConversations ranks only the most recent MESSAGE_CANDIDATES matching messages of a business
// (looked for in windows of recent days, then all time), merged with client matches by trigram.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_CANDIDATES } from '../../src/db/sql/searchMessages.js';
import { searchConversations } from '../../src/domain/conversations/searchConversations.js';
import { buildInbox } from '../helpers/inboxFixture.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

const DAY = 24 * 60;

describe('searchConversations', () => {
  let t: TestApp;
  let inbox: Awaited<ReturnType<typeof buildInbox>>;
  const search = (query: string, limit = 20, offset = 0) => searchConversations(t.deps, { businessId: 'sq', query, limit, offset });
  const ids = (hits: Awaited<ReturnType<typeof search>>) => hits.map((h) => h.conversation.id);

  beforeAll(async () => {
    t = await startTestApp();
    inbox = await buildInbox(t.deps, 'sq', [
      // 0: a rare word, only in a message of more than a year ago.
      {
        client: { firstName: 'Valentina', lastName: 'Okafor', phone: '+14155550100' },
        messages: [
          { direction: 'inbound', body: 'Do you do balayage on weekends?', minutesAgo: 400 * DAY },
          { direction: 'outbound', body: 'Yes, Saturdays.', minutesAgo: 400 * DAY - 5 },
        ],
      },
      // 1: "stone" in its messages, 5 and 20 days ago; the better match is the older one.
      {
        client: { firstName: 'Grace', lastName: 'Hopper', phone: '+14155550101' },
        messages: [
          { direction: 'inbound', body: 'Is the hot stone massage good for back pain? Hot stone or deep tissue?', minutesAgo: 20 * DAY },
          { direction: 'inbound', body: 'Booked the stone one', minutesAgo: 5 * DAY },
        ],
      },
      // 2: "Stone" is the client's last name; the messages do not say it.
      { client: { firstName: 'Emma', lastName: 'Stone', phone: '+14155550102' }, messages: [{ direction: 'inbound', body: 'A facial, please', minutesAgo: 60 }] },
      // 3: client and message both match "stone".
      { client: { firstName: 'Oliver', lastName: 'Stone', phone: '+14155550103' }, messages: [{ direction: 'inbound', body: 'Hot stone massage on Friday?', minutesAgo: 3 * DAY }] },
      // 4: an old "pedicure" request that more than MESSAGE_CANDIDATES newer ones (conversation 5) push out.
      { client: { firstName: 'Nora', lastName: 'Lind', phone: '+14155550104' }, messages: [{ direction: 'inbound', body: 'Can I get a pedicure?', minutesAgo: 40 * DAY }] },
      { client: { firstName: 'Henry', lastName: 'Berg', phone: '+14155550105', email: 'h.berg.spa@example.org' }, messages: [{ direction: 'inbound', body: 'Hello', minutesAgo: 10 }] },
      // 6 and 7: one last name, two clients.
      { client: { firstName: 'Ava', lastName: 'Lindqvist', phone: '+14155550106' }, messages: [{ direction: 'inbound', body: 'Thanks!', minutesAgo: 30 }] },
      { client: { firstName: 'Noah', lastName: 'Lindqvist', phone: '+14155550107' }, messages: [{ direction: 'inbound', body: 'See you then', minutesAgo: 20 }] },
    ]);
    // More than MESSAGE_CANDIDATES recent "pedicure" messages in conversation 5, within the last day.
    const c5 = inbox.conversations[5]!;
    await t.deps.pool.query(
      `INSERT INTO messages (business_id, conversation_id, client_id, channel, direction, status, body, created_at, updated_at)
       SELECT 'sq', $1::uuid, $2::uuid, 'sms', 'inbound', 'received', 'Another pedicure, number ' || i, now() - i * interval '1 minute', now()
         FROM generate_series(1, $3::int) AS i`,
      [c5.conversationId, c5.clientId, MESSAGE_CANDIDATES + 20],
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds a message older than every window when few messages match', async () => {
    const hits = await search('balayage');
    expect(ids(hits)).toEqual([inbox.conversations[0]!.conversationId]);
    expect(hits[0]).toMatchObject({ matched: 'messages', messageId: inbox.conversations[0]!.messageIds[0] });
    expect(hits[0]!.snippet).toContain('<mark>balayage</mark>');
  });

  it('merges message and client matches: best message per conversation, client-only and both', async () => {
    const hits = await search('stone');
    const c = inbox.conversations;
    expect(new Set(ids(hits))).toEqual(new Set([c[1]!.conversationId, c[2]!.conversationId, c[3]!.conversationId]));
    const by = new Map(hits.map((h) => [h.conversation.id, h]));
    // Conversation 1: its 20-day-old message says "stone" twice and ranks above the newer one.
    expect(by.get(c[1]!.conversationId)).toMatchObject({ matched: 'messages', messageId: c[1]!.messageIds[0] });
    expect(by.get(c[1]!.conversationId)!.snippet).toContain('<mark>stone</mark>');
    expect(by.get(c[2]!.conversationId)).toMatchObject({ matched: 'client', messageId: null, snippet: null });
    expect(by.get(c[3]!.conversationId)).toMatchObject({ matched: 'both', messageId: c[3]!.messageIds[0] });
    // Both matches add up: the conversation matching by client and message ranks first.
    expect(hits[0]!.conversation.id).toBe(c[3]!.conversationId);
    // Pages follow the same order.
    const pages = [...(await search('stone', 2, 0)), ...(await search('stone', 2, 2))];
    expect(ids(pages)).toEqual(ids(hits));
  });

  it('finds clients by a misspelt name, and by part of a name, phone or email', async () => {
    const c = inbox.conversations;
    const first = async (query: string) => (await search(query))[0];
    expect(await first('Valentna Okafr')).toMatchObject({ matched: 'client', conversation: { id: c[0]!.conversationId } });
    expect(await first('valentina okafor')).toMatchObject({ matched: 'client', conversation: { id: c[0]!.conversationId } });
    expect(await first('berg.spa@exam')).toMatchObject({ matched: 'client', conversation: { id: c[5]!.conversationId } });
    expect(ids(await search('(415) 555-0104'))).toEqual([c[4]!.conversationId]);
    expect(ids(await search('5550104'))).toEqual([c[4]!.conversationId]);
    // Several words: each must be like a word of the name; a misspelt word (less similar on its own)
    // still finds the name through the whole text when no client has every word.
    expect(new Set(ids(await search('lindqvist')))).toEqual(new Set([c[6]!.conversationId, c[7]!.conversationId]));
    expect(ids(await search('Ava Lindqvist'))).toEqual([c[6]!.conversationId]);
    expect(ids(await search('ava lindkvist'))).toEqual([c[6]!.conversationId]);
    // Similarity is over names only: a misspelt email is no match.
    expect(await search('h.berq.spa@example.org')).toEqual([]);
  });

  it(`ranks only the ${MESSAGE_CANDIDATES} most recent matching messages`, async () => {
    const hits = await search('pedicure');
    expect(ids(hits)).toEqual([inbox.conversations[5]!.conversationId]);
    // The older request is found again once the newer ones no longer match.
    await t.deps.pool.query(`UPDATE messages SET body = 'Another manicure' WHERE conversation_id = $1::uuid AND body LIKE 'Another pedicure%'`, [inbox.conversations[5]!.conversationId]);
    expect(ids(await search('pedicure'))).toEqual([inbox.conversations[4]!.conversationId]);
  });

  it('draws the bound at the same message when the matches span several windows of days', async () => {
    const c = inbox.conversations;
    const insert = (conversation: (typeof c)[number], body: string, minutesAgo: string, count = 1) =>
      t.deps.pool.query(
        `INSERT INTO messages (business_id, conversation_id, client_id, channel, direction, status, body, created_at, updated_at)
         SELECT 'sq', $1::uuid, $2::uuid, 'sms', 'inbound', 'received', $3::text || ' ' || i, now() - (${minutesAgo}) * interval '1 minute', now()
           FROM generate_series(1, $4::int) AS i`,
        [conversation.conversationId, conversation.clientId, body, count],
      );
    // 50 matches today, then MESSAGE_CANDIDATES - 51 three days ago: with conversation 1's the
    // candidates are full; conversation 3's is one minute older than the bound.
    await insert(c[5]!, 'eyebrow tint', 'i', 50);
    await insert(c[5]!, 'eyebrow wax', `${3 * DAY} + i`, MESSAGE_CANDIDATES - 51);
    await insert(c[1]!, 'eyebrow shaping', `${3 * DAY + MESSAGE_CANDIDATES}`);
    await insert(c[3]!, 'eyebrow question', `${3 * DAY + MESSAGE_CANDIDATES + 1}`);
    const hits = await search('eyebrow');
    expect(new Set(ids(hits))).toEqual(new Set([c[5]!.conversationId, c[1]!.conversationId]));
  });
});
