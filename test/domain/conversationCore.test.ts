import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateClient } from '../../src/domain/clients/findOrCreateClient.js';
import { createOrGetConversation } from '../../src/domain/conversations/createOrGetConversation.js';
import { appendMessage } from '../../src/domain/messages/appendMessage.js';
import { normalizeEmail } from '../../src/domain/contacts/normalizeEmail.js';
import { isNationalPhone, normalizePhone } from '../../src/domain/contacts/normalizePhone.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { runTransaction } from '../../src/db/transaction.js';

describe('clients, conversations and messages core', () => {
  let t: TestApp;
  let locationA: string;
  let locationB: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.deps.prisma.business.create({ data: { id: 'core', name: 'Core' } });
    locationA = (await t.deps.prisma.location.create({ data: { businessId: 'core', name: 'A' } })).id;
    locationB = (await t.deps.prisma.location.create({ data: { businessId: 'core', name: 'B' } })).id;
  });
  afterAll(() => t.close());

  it('normalises phones to E.164 and emails to lower case', () => {
    expect(normalizePhone('(415) 555-0101', 'US')).toBe('+14155550101');
    expect(normalizePhone('+44 20 7946 0958', 'US')).toBe('+442079460958');
    expect(normalizePhone('0044 20 7946 0958', 'US')).toBe('+442079460958');
    expect(normalizePhone('1-415-555-0101', 'US')).toBe('+14155550101');
    expect(normalizePhone('not a phone', 'US')).toBeNull();
    expect(normalizePhone('12', 'US')).toBeNull();
    expect(normalizeEmail('  Olivia@Example.COM ')).toBe('olivia@example.com');
    expect(normalizeEmail('nope@')).toBeNull();
  });

  it('reads national phone numbers in the configured region (libphonenumber): GB, AU, DE, US', () => {
    // A London mobile and landline, a Sydney mobile, a Berlin landline, each as its people write it.
    expect(normalizePhone('07911 123456', 'GB')).toBe('+447911123456');
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(normalizePhone('0412 345 678', 'AU')).toBe('+61412345678');
    expect(normalizePhone('(02) 9374 4000', 'AU')).toBe('+61293744000');
    expect(normalizePhone('030 12345678', 'DE')).toBe('+493012345678');
    expect(normalizePhone('0151 23456789', 'DE')).toBe('+4915123456789');
    expect(normalizePhone('(415) 555-0101', 'US')).toBe('+14155550101');
    // International numbers read the same in every region; "00" starts one everywhere.
    for (const region of ['GB', 'AU', 'DE', 'US'] as const) {
      expect(normalizePhone('+1 415 555 0101', region)).toBe('+14155550101');
      expect(normalizePhone('00 44 7911 123456', region)).toBe('+447911123456');
      expect(normalizePhone('tel:+61412345678', region)).toBe('+61412345678');
    }
    // A UK national number means another one in the US, and is not a possible US number.
    expect(normalizePhone('07911 123456', 'US')).toBeNull();
    // Possible, not only valid: test ranges and Twilio's magic numbers keep working.
    expect(normalizePhone('555-123-4567', 'US')).toBe('+15551234567');
    expect(normalizePhone('+15005550006', 'GB')).toBe('+15005550006');
    // Impossible lengths and unknown country codes are not phones.
    expect(normalizePhone('+44 7911', 'GB')).toBeNull();
    expect(normalizePhone('+999 123456789', 'GB')).toBeNull();
    expect(normalizePhone('0412', 'AU')).toBeNull();
  });

  it('tells national numbers (read in a region) from international ones and non-numbers (read the same everywhere)', () => {
    for (const national of ['07911 123456', '(415) 555-0101', 'tel:0412 345 678']) expect(isNationalPhone(national)).toBe(true);
    for (const other of ['+44 7911 123456', '0044 7911 123456', 'whatsapp:+14155550101', 'call me', '']) expect(isNationalPhone(other)).toBe(false);
  });

  it('creates one client for concurrent first contacts from the same number', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => runTransaction(t.deps, (db) => findOrCreateClient(db, { businessId: 'core', phone: '+14155550199' }))));
    expect(new Set(results.map((r) => r.client.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const count = await t.deps.prisma.client.count({ where: { businessId: 'core', phones: { has: '+14155550199' } } });
    expect(count).toBe(1);
  });

  it('creates one conversation per client and location under concurrent calls', async () => {
    const { client } = await runTransaction(t.deps, (db) => findOrCreateClient(db, { businessId: 'core', email: 'race@example.com' }));
    const results = await Promise.all(
      Array.from({ length: 10 }, () => runTransaction(t.deps, (db) => createOrGetConversation(db, { businessId: 'core', clientId: client.id, locationId: locationB }))),
    );
    expect(new Set(results.map((r) => r.conversation.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    // Without a location: the first location (the client has no home location and there is no default).
    const other = await runTransaction(t.deps, (db) => createOrGetConversation(db, { businessId: 'core', clientId: client.id }));
    expect(other.conversation.locationId).toBe(locationA);
  });

  it('keeps the conversation summary: unread, reopen on inbound, replied on outbound, late arrivals', async () => {
    const { client } = await runTransaction(t.deps, (db) => findOrCreateClient(db, { businessId: 'core', phone: '+14155550150' }));
    const { conversation } = await runTransaction(t.deps, (db) => createOrGetConversation(db, { businessId: 'core', clientId: client.id }));
    await t.deps.prisma.conversation.update({ where: { id: conversation.id }, data: { status: 'archived' } });
    const base = { businessId: 'core', conversationId: conversation.id, clientId: client.id, locationId: conversation.locationId };

    await runTransaction(t.deps, (db) => appendMessage(db, { ...base, channel: 'sms', direction: 'inbound', status: 'received', body: 'Hello there' }));
    let c = await t.deps.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(c).toMatchObject({ status: 'open', unreadCount: 1, lastMessagePreview: 'Hello there', lastMessageDirection: 'inbound' });
    expect(c.lastMessageId).not.toBeNull();
    expect(c.lastActivityAt.getTime()).toBeGreaterThanOrEqual(c.lastMessageAt!.getTime());

    await runTransaction(t.deps, (db) => appendMessage(db, { ...base, channel: 'sms', direction: 'outbound', status: 'queued', body: 'Hi! How can we help?' }));
    c = await t.deps.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(c).toMatchObject({ unreadCount: 1, lastMessagePreview: 'Hi! How can we help?', lastMessageDirection: 'outbound' });
    expect(c.lastOutboundAt).not.toBeNull();

    // A note changes neither preview nor unread count; an old message recorded late keeps the preview.
    await runTransaction(t.deps, (db) => appendMessage(db, { ...base, channel: 'note', direction: 'internal', status: 'recorded', body: 'VIP, be nice' }));
    await runTransaction(t.deps, (db) => appendMessage(db, { ...base, channel: 'sms', direction: 'inbound', status: 'received', body: 'old one', createdAt: new Date(Date.now() - 86_400_000) }));
    c = await t.deps.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(c).toMatchObject({ unreadCount: 2, lastMessagePreview: 'Hi! How can we help?' });

    const events = await t.deps.pool.query(`SELECT type, payload FROM inbox_events WHERE conversation_id = $1 ORDER BY id`, [conversation.id]);
    expect(events.rows.map((e) => e.type)).toEqual(['message.created', 'message.created', 'message.created', 'message.created']);
    expect(events.rows[0].payload).toMatchObject({ direction: 'inbound', reopened: true, conversationStatus: 'open' });
    expect(events.rows[1].payload).toMatchObject({ reopened: false });
  });

  it('rolls back the message, summary and event together', async () => {
    const { client } = await runTransaction(t.deps, (db) => findOrCreateClient(db, { businessId: 'core', phone: '+14155550151' }));
    const { conversation } = await runTransaction(t.deps, (db) => createOrGetConversation(db, { businessId: 'core', clientId: client.id }));
    const before = await t.deps.pool.query('SELECT count(*)::int AS n FROM inbox_events');
    await expect(
      runTransaction(t.deps, async (db) => {
        await appendMessage(db, { businessId: 'core', conversationId: conversation.id, clientId: client.id, channel: 'sms', direction: 'inbound', status: 'received', body: 'x' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await t.deps.prisma.message.count({ where: { conversationId: conversation.id } })).toBe(0);
    expect((await t.deps.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).unreadCount).toBe(0);
    expect((await t.deps.pool.query('SELECT count(*)::int AS n FROM inbox_events')).rows[0].n).toBe(before.rows[0].n);
  });
});
