// appendOutboundMessages (the set-based append of a send batch) writes, for outbound SMS and email,
// exactly the rows appendMessage writes one by one: the messages, their conversations' summaries,
// the report facts (staff replies, the day's volumes) and the inbox events, in the same order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/generated/prisma/client.js';
import type { NewMessage } from '../../src/db/sql/insertMessage.js';
import { runTransaction } from '../../src/db/transaction.js';
import type { Tx } from '../../src/db/tx.js';
import { appendMessage } from '../../src/domain/messages/appendMessage.js';
import { appendOutboundMessages } from '../../src/domain/messages/appendOutboundMessages.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

class Rollback extends Error {
  constructor(readonly rows: unknown) {
    super('rollback');
  }
}

describe('appendOutboundMessages: one statement per wave, the rows of appendMessage', () => {
  let f: SendingFixture;
  let messages: NewMessage[];

  beforeAll(async () => {
    f = await startSendingFixture();
    const prisma = f.deps.prisma;
    const staff = await prisma.staff.create({ data: { businessId: f.businessId, firstName: 'Maya' } });
    const conversations: Conversation[] = [];
    for (let i = 0; i < 4; i++) {
      const client = await prisma.client.create({ data: { businessId: f.businessId, phones: [`+1415555060${i}`], emails: [`c${i}@example.com`] } });
      conversations.push(
        await prisma.conversation.create({
          data: {
            businessId: f.businessId,
            clientId: client.id,
            locationId: f.locationA,
            // One conversation is waiting for a reply (opened by an inbound message), one has a later message already.
            ...(i === 1 ? { openedAt: new Date('2026-12-01T10:00:00Z'), waitingSince: new Date('2026-12-01T10:00:00Z'), lastInboundAt: new Date('2026-12-01T10:00:00Z') } : {}),
            ...(i === 2 ? { lastMessageAt: new Date('2030-01-01T00:00:00Z'), lastActivityAt: new Date('2030-01-01T00:00:00Z'), lastMessagePreview: 'future' } : {}),
          },
        }),
      );
    }
    const { rows } = await f.deps.pool.query<{ id: string }>('SELECT omega_uuid_v7()::text AS id FROM generate_series(1, 6)');
    const base = Date.parse('2026-12-04T12:00:00Z');
    const m = (i: number, conversation: (typeof conversations)[number], extra: Partial<NewMessage> = {}): NewMessage => ({
      id: rows[i]!.id,
      businessId: f.businessId,
      conversationId: conversation.id,
      clientId: conversation.clientId,
      locationId: f.locationA,
      channel: 'sms',
      direction: 'outbound',
      status: 'queued',
      body: `Message ${i} with a body long enough to be cut for the preview? No, short.`,
      fromAddress: '+15005550006',
      toAddress: `+1415555060${i}`,
      requestId: 'bulk-1',
      idempotencyKey: `sms:bulk-1:${i}`,
      createdAt: new Date(base + i),
      metadata: { n: i },
      ...extra,
    });
    messages = [
      m(0, conversations[0]!),
      m(1, conversations[1]!, { authorStaffId: staff.id }),
      m(2, conversations[2]!),
      m(3, conversations[3]!, { channel: 'email', subject: 'Hello', html: '<p>Hi</p>', body: null, toAddress: 'c3@example.com', status: 'scheduled', scheduledAt: new Date(base + 3_600_000) }),
      // A second message to a conversation of the batch: the next wave.
      m(4, conversations[0]!, { authorStaffId: staff.id, body: 'Second to the first client' }),
      m(5, conversations[1]!, { media: [{ url: 'https://example.com/a.png', contentType: 'image/png' }] }),
    ];
  });
  afterAll(() => f.close());

  /** The rows a way of appending leaves, read inside its transaction (rolled back after). */
  async function rowsOf(append: (tx: Tx) => Promise<void>) {
    try {
      await runTransaction(f.deps, async (tx) => {
        await append(tx);
        // Rows as JSON ({row}: to_jsonb of a table with a tsvector, which Prisma cannot read, flattened).
        const q = async (text: string) =>
          (await tx.sql.query<Record<string, unknown>>(text)).map((r) => {
            const plain = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
            const { row, ...rest } = plain;
            return row ? { ...(row as Record<string, unknown>), ...rest } : plain;
          });
        throw new Rollback({
          messages: await q(`SELECT to_jsonb(m) - 'search_tsv' AS row, m.search_tsv::text AS tsv FROM messages m WHERE business_id = 'spa' ORDER BY created_at, id`),
          conversations: await q(`SELECT to_jsonb(c) - 'search_tsv' AS row FROM conversations c WHERE business_id = 'spa' ORDER BY id`),
          replies: await q(`SELECT * FROM report_replies WHERE business_id = 'spa' ORDER BY message_id`),
          days: await q(`SELECT * FROM report_conversation_days WHERE business_id = 'spa' ORDER BY conversation_id, day`),
          events: await q(`SELECT business_id, type, conversation_id, message_id, payload FROM inbox_events WHERE business_id = 'spa' ORDER BY id`),
        });
      });
    } catch (err) {
      if (err instanceof Rollback) return err.rows as Record<string, Record<string, unknown>[]>;
      throw err;
    }
    throw new Error('unreachable');
  }

  it('writes what appendMessage writes, message by message', async () => {
    const oneByOne = await rowsOf(async (tx) => {
      for (const m of messages) await appendMessage(tx, m);
    });
    const together = await rowsOf((tx) => appendOutboundMessages(tx, f.businessId, messages));
    // updated_at is the transaction's time (now()) in both; compared apart.
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ updated_at: _u, ...r }) => r);
    for (const table of ['messages', 'conversations', 'replies', 'days', 'events']) {
      expect(strip(together[table]!), table).toEqual(strip(oneByOne[table]!));
    }
    expect(together['messages']).toHaveLength(6);
    expect(together['replies']).toHaveLength(2);
    expect(together['events']!.map((e) => e['message_id'])).toEqual(messages.map((m) => m.id));
    // The conversation with a later message kept its preview; the waiting one was answered.
    const byId = new Map(together['conversations']!.map((c) => [c['id'], c]));
    expect(byId.get(messages[2]!.conversationId)).toMatchObject({ last_message_preview: 'future' });
    const answered = byId.get(messages[1]!.conversationId)!;
    expect(answered['waiting_since']).toBeNull();
    expect(Date.parse(String(answered['first_reply_at']))).toBe(messages[1]!.createdAt!.getTime());
  });
});
