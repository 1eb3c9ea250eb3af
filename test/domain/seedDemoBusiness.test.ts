// What `npm start` loads on a fresh database: the demo business, its conversations and their
// summaries (through appendMessage), once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUSINESS_ID, seedDemoBusiness } from '../../src/domain/businesses/seedDemoBusiness.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

describe('seedDemoBusiness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('loads the demo inbox once, with each conversation summarised as appendMessage keeps it', async () => {
    expect(await seedDemoBusiness(t.deps)).toBe(true);
    expect(await seedDemoBusiness(t.deps)).toBe(false);
    const p = t.deps.prisma;
    expect(await p.location.count({ where: { businessId: DEMO_BUSINESS_ID } })).toBe(2);
    expect(await p.staff.count({ where: { businessId: DEMO_BUSINESS_ID } })).toBe(3);
    expect(await p.client.count({ where: { businessId: DEMO_BUSINESS_ID } })).toBe(5);
    const conversations = await p.conversation.findMany({ where: { businessId: DEMO_BUSINESS_ID }, include: { client: true, lastMessage: true }, orderBy: { lastActivityAt: 'desc' } });
    expect(conversations.map((c) => [c.client.firstName, c.unreadCount, c.lastMessage?.direction, c.lastMessagePreview])).toEqual([
      ['Ava', 1, 'inbound', 'Running 10 minutes late, sorry!'],
      ['Liam', 1, 'inbound', 'Do you have any openings tomorrow morning?'],
      ['Olivia', 0, 'outbound', 'Of course, Olivia. You are booked for Friday 3pm.'],
      ['Emma', 0, 'outbound', 'Yes, there is a free lot behind the building.'],
    ]);
    expect(await p.message.count({ where: { businessId: DEMO_BUSINESS_ID } })).toBe(6);
    const events = await t.deps.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbox_events WHERE business_id = $1 AND type = 'message.created'`, [DEMO_BUSINESS_ID]);
    expect(events.rows[0]!.n).toBe(6);
  });
});
