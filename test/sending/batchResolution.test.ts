// The set-based client and conversation resolution of queueBatch: findOrCreateClients and
// createOrGetConversations against a real PostgreSQL, their rules, their behaviour under concurrent
// transactions, and the statements a batch costs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/tx.js';
import { findOrCreateClient } from '../../src/domain/clients/findOrCreateClient.js';
import { findOrCreateClients } from '../../src/domain/clients/findOrCreateClients.js';
import { createOrGetConversations } from '../../src/domain/conversations/createOrGetConversations.js';
import type { Deps } from '../../src/domain/deps.js';
import { queueBatch } from '../../src/domain/sending/queueBatch.js';
import type { QueueItem } from '../../src/domain/sending/sendRequest.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';
import { runTransaction } from '../../src/db/transaction.js';
import { waitFor } from '../helpers/waitFor.js';

const B = 'batchres';

/** `tx`, counting the statements sent through it (every statement of these paths is raw SQL). */
function counted(tx: Tx['prisma'], counter: { n: number }): Tx['prisma'] {
  return new Proxy(tx, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function' || typeof prop !== 'string' || !/^\$(query|execute)Raw/.test(prop)) return value;
      return (...args: unknown[]) => {
        counter.n++;
        return value.apply(target, args);
      };
    },
  });
}

/** A Prisma client whose transactions count their raw statements (tx.sql runs each as one $queryRawUnsafe). */
function countingPrisma(prisma: Deps['prisma'], counter: { n: number }): Deps['prisma'] {
  return new Proxy(prisma, {
    get(target, prop) {
      if (prop !== '$transaction') return Reflect.get(target, prop);
      return (fn: (tx: Tx['prisma']) => Promise<unknown>, options: object) => target.$transaction((tx) => fn(counted(tx, counter)), options);
    },
  });
}

describe('batch resolution of clients and conversations', () => {
  let t: TestApp;
  let locationA: string;
  let locationB: string;
  let foreignLocation: string;

  /** fn in its own transaction, with the number of statements it sent. */
  async function inTx<T>(fn: (tx: Tx) => Promise<T>): Promise<{ result: T; statements: number }> {
    const counter = { n: 0 };
    const result = await runTransaction({ ...t.deps, prisma: countingPrisma(t.deps.prisma, counter) }, fn);
    return { result, statements: counter.n };
  }

  /** Waits until `n` transactions of this database wait for a lock another one holds. */
  const lockWaits = (n: number) =>
    waitFor(`${n} transactions to wait for a lock`, async () => {
      const { rows } = await t.deps.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      return rows[0]!.n >= n;
    });

  beforeAll(async () => {
    t = await startTestApp();
    await createBusiness(t.deps, B);
    await createBusiness(t.deps, 'other');
    await createBusiness(t.deps, 'empty');
    locationA = (await t.deps.prisma.location.create({ data: { businessId: B, name: 'A', smsPhoneNumber: '+15005550101' } })).id;
    locationB = (await t.deps.prisma.location.create({ data: { businessId: B, name: 'B', smsPhoneNumber: '+15005550102' } })).id;
    foreignLocation = (await t.deps.prisma.location.create({ data: { businessId: 'other', name: 'X' } })).id;
  });
  afterAll(() => t.close());

  it('resolves mixed refs in one call: found by id, phone, email or external id, new phones and emails appended, new clients created once', async () => {
    const byPhone = await t.deps.prisma.client.create({ data: { businessId: B, phones: ['+14155550001'], firstName: 'Phone' } });
    const byEmail = await t.deps.prisma.client.create({ data: { businessId: B, emails: ['mail@example.com'] } });
    const byExt = await t.deps.prisma.client.create({ data: { businessId: B, externalId: 'ext-1', phones: ['+14155550002'] } });
    const { result, statements } = await inTx((tx) =>
      findOrCreateClients(tx, [
        { businessId: B, phone: '+14155550001', email: 'new@example.com' },
        { businessId: B, email: 'mail@example.com' },
        { businessId: B, externalId: 'ext-1', phone: '+14155550003' },
        { businessId: B, phone: '+14155550100', firstName: 'New', lastName: 'One', homeLocationId: locationB },
        { businessId: B, clientId: byPhone.id, phone: '+14155559999' },
        { businessId: B, email: 'twice@example.com', firstName: 'Twice' },
        { businessId: B, email: 'twice@example.com', firstName: 'Ignored' },
      ]),
    );
    // The locks, the read, and one write for both the inserts and the appends.
    expect(statements).toBe(3);
    const [phone, email, ext, created, id, twice, again] = result;
    expect(phone).toMatchObject({ created: false, client: { id: byPhone.id, phones: ['+14155550001'], emails: ['new@example.com'] } });
    expect(email).toEqual({ created: false, client: byEmail });
    expect(ext).toMatchObject({ created: false, client: { id: byExt.id, phones: ['+14155550002', '+14155550003'] } });
    expect(created).toMatchObject({ created: true, client: { firstName: 'New', lastName: 'One', phones: ['+14155550100'], emails: [], homeLocationId: locationB } });
    // By Omega id: as this call leaves it (the new email above), and no phone appended.
    expect(id).toEqual({ created: false, client: phone!.client });
    expect(twice).toMatchObject({ created: true, client: { firstName: 'Twice', emails: ['twice@example.com'] } });
    expect(again).toEqual({ created: false, client: twice!.client });
    expect(await t.deps.prisma.client.count({ where: { businessId: B, emails: { has: 'twice@example.com' } } })).toBe(1);
    // Every row as Prisma reads it (same fields, types and values).
    for (const { client } of result) expect(client).toEqual(await t.deps.prisma.client.findUniqueOrThrow({ where: { id: client.id } }));
  });

  it('gives the same client to two refs of a contact, appending what the second adds', async () => {
    const { result } = await inTx((tx) =>
      findOrCreateClients(tx, [
        { businessId: B, externalId: 'ext-2', phone: '+14155550200' },
        { businessId: B, externalId: 'ext-2', phone: '+14155550201' },
        { businessId: B, phone: '+14155550201' },
      ]),
    );
    expect(result.map((r) => r.created)).toEqual([true, false, false]);
    expect(new Set(result.map((r) => r.client.id)).size).toBe(1);
    expect(result[0]!.client).toMatchObject({ externalId: 'ext-2', phones: ['+14155550200', '+14155550201'] });
  });

  it('fails the whole call for an unknown client id or a ref naming nothing, creating nothing', async () => {
    const unknown = inTx((tx) =>
      findOrCreateClients(tx, [
        { businessId: B, phone: '+14155550300' },
        { businessId: B, clientId: '00000000-0000-7000-8000-000000000000' },
      ]),
    );
    await expect(unknown).rejects.toMatchObject({ code: 'CLIENT_NOT_FOUND' });
    // A client of another business is not found either.
    const foreign = await t.deps.prisma.client.create({ data: { businessId: 'other', phones: ['+14155550301'] } });
    await expect(inTx((tx) => findOrCreateClients(tx, [{ businessId: B, clientId: foreign.id }]))).rejects.toMatchObject({ code: 'CLIENT_NOT_FOUND' });
    await expect(inTx((tx) => findOrCreateClients(tx, [{ businessId: B, firstName: 'Nobody' }]))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await t.deps.prisma.client.count({ where: { businessId: B, phones: { has: '+14155550300' } } })).toBe(0);
  });

  it('creates one client per contact when concurrent transactions name the same new contacts in opposite orders', async () => {
    const x = { businessId: B, phone: '+14155550400' };
    const y = { businessId: B, email: 'race@example.com' };
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = runTransaction(t.deps, async (tx) => {
      const found = await findOrCreateClients(tx, [x, y]);
      locked();
      await gate;
      return found;
    });
    await holding;
    let secondDone = false;
    const second = inTx((tx) => findOrCreateClients(tx, [y, x])).finally(() => (secondDone = true));
    const single = runTransaction(t.deps, (tx) => findOrCreateClient(tx, x));
    await lockWaits(2);
    // The second waits for the first's locks (it must not read before the first commits).
    expect(secondDone).toBe(false);
    release();
    const [a, b, c] = await Promise.all([first, second, single]);
    expect(a.map((r) => r.created)).toEqual([true, true]);
    expect(b.result.map((r) => [r.client.id, r.created])).toEqual([
      [a[1]!.client.id, false],
      [a[0]!.client.id, false],
    ]);
    expect(b.statements).toBe(2);
    expect(c).toEqual({ created: false, client: a[0]!.client });
    expect(await t.deps.prisma.client.count({ where: { businessId: B, OR: [{ phones: { has: x.phone } }, { emails: { has: y.email } }] } })).toBe(2);
  });

  it('creates conversations once and finds them after, in one statement, the location resolved per key', async () => {
    const home = await t.deps.prisma.client.create({ data: { businessId: B, phones: ['+14155550500'], homeLocationId: locationB } });
    const plain = await t.deps.prisma.client.create({ data: { businessId: B, phones: ['+14155550501'] } });
    const keys = [
      { businessId: B, clientId: home.id },
      { businessId: B, clientId: plain.id },
      { businessId: B, clientId: plain.id, locationId: locationB },
      { businessId: B, clientId: plain.id, locationId: locationA },
    ];
    const first = await inTx((tx) => createOrGetConversations(tx, keys));
    expect(first.statements).toBe(1);
    // The client's home location, else the first location; the same key twice: one row, created once.
    expect(first.result.map((r) => [r.conversation.clientId, r.conversation.locationId, r.created])).toEqual([
      [home.id, locationB, true],
      [plain.id, locationA, true],
      [plain.id, locationB, true],
      [plain.id, locationA, false],
    ]);
    expect(first.result[3]!.conversation).toEqual(first.result[1]!.conversation);
    for (const { conversation } of first.result) expect(conversation).toEqual(await t.deps.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } }));

    const again = await inTx((tx) => createOrGetConversations(tx, keys));
    expect(again.statements).toBe(1);
    expect(again.result.map((r) => [r.conversation.id, r.created])).toEqual(first.result.map((r) => [r.conversation.id, false]));

    // The business's default location when the client has no home location.
    await t.deps.prisma.business.update({ where: { id: B }, data: { settings: { defaultLocationId: locationB } } });
    const other = await t.deps.prisma.client.create({ data: { businessId: B, phones: ['+14155550502'] } });
    const [byDefault] = (await inTx((tx) => createOrGetConversations(tx, [{ businessId: B, clientId: other.id }]))).result;
    expect(byDefault!.conversation.locationId).toBe(locationB);
    await t.deps.prisma.business.update({ where: { id: B }, data: { settings: {} } });
  });

  it('refuses a location of another business, or a business without locations, creating nothing', async () => {
    const client = await t.deps.prisma.client.create({ data: { businessId: B, phones: ['+14155550600'] } });
    const foreign = inTx((tx) =>
      createOrGetConversations(tx, [
        { businessId: B, clientId: client.id, locationId: locationA },
        { businessId: B, clientId: client.id, locationId: foreignLocation },
      ]),
    );
    await expect(foreign).rejects.toMatchObject({ code: 'LOCATION_NOT_FOUND' });
    expect(await t.deps.prisma.conversation.count({ where: { clientId: client.id } })).toBe(0);

    const lonely = await t.deps.prisma.client.create({ data: { businessId: 'empty', phones: ['+14155550601'] } });
    await expect(inTx((tx) => createOrGetConversations(tx, [{ businessId: 'empty', clientId: lonely.id }]))).rejects.toMatchObject({ code: 'BUSINESS_HAS_NO_LOCATION' });
  });

  it('finds a conversation committed by another transaction after its statement began (second read), created for one caller only', async () => {
    const client = await t.deps.prisma.client.create({ data: { businessId: B, phones: ['+14155550700'] } });
    const key = { businessId: B, clientId: client.id, locationId: locationA };
    let inserted!: () => void;
    const holding = new Promise<void>((resolve) => (inserted = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = runTransaction(t.deps, async (tx) => {
      const found = await createOrGetConversations(tx, [key]);
      inserted();
      await gate;
      return found;
    });
    await holding;
    // Its insert waits for the first transaction's uncommitted row, then skips it.
    const second = inTx((tx) => createOrGetConversations(tx, [key]));
    await lockWaits(1);
    release();
    const [[a], b] = await Promise.all([first, second]);
    expect(a!.created).toBe(true);
    expect(b.result).toEqual([{ created: false, conversation: a!.conversation }]);
    expect(b.statements).toBe(2);
  });

  it('queues a batch of 8 new recipients in 8 statements, and 7 when they are known', async () => {
    const counter = { n: 0 };
    const deps: Deps = { ...t.deps, prisma: countingPrisma(t.deps.prisma, counter) };
    const item = (i: number): QueueItem => ({
      input: { businessId: B, channel: 'sms', recipients: [{ to: `+1415555080${i}` }], content: { body: `Hello ${i}`, subject: null, html: null, media: [] } },
      recipients: [{ to: `+1415555080${i}`, firstName: `R${i}`, loc: ['body'] }],
      now: new Date(),
    });
    const items = Array.from({ length: 8 }, (_, i) => item(i));

    const first = await queueBatch(deps, B, items);
    // Context, client locks, read and insert, conversations, jobs, conversation locks, and the 8
    // messages in one statement (appendOutboundMessages; 8 before it).
    expect(counter.n).toBe(8);
    expect(first.flatMap((r) => r.messages.map((m) => m.created))).toEqual(Array(8).fill(true));
    expect(new Set(first.map((r) => r.messages[0]!.clientId)).size).toBe(8);
    for (const [i, r] of first.entries()) {
      const client = await t.deps.prisma.client.findUniqueOrThrow({ where: { id: r.messages[0]!.clientId } });
      expect(client).toMatchObject({ phones: [items[i]!.recipients[0]!.to], firstName: `R${i}` });
    }

    counter.n = 0;
    const second = await queueBatch(deps, B, items);
    expect(counter.n).toBe(7);
    expect(second.map((r) => [r.messages[0]!.clientId, r.messages[0]!.conversationId])).toEqual(first.map((r) => [r.messages[0]!.clientId, r.messages[0]!.conversationId]));
  });

  it('fails the whole batch for an opted-out recipient: nothing of it is committed', async () => {
    const optedOut = await t.deps.prisma.client.create({ data: { businessId: B, phones: ['+14155550900'], smsOptOut: true } });
    const item = (to: string): QueueItem => ({
      input: { businessId: B, channel: 'sms', recipients: [{ to }], content: { body: 'Hi', subject: null, html: null, media: [] } },
      recipients: [{ to, loc: ['body'] }],
      now: new Date(),
    });
    await expect(queueBatch(t.deps, B, [item('+14155550901'), item('+14155550900')])).rejects.toMatchObject({ code: 'CLIENT_OPTED_OUT' });
    expect(await t.deps.prisma.conversation.count({ where: { clientId: optedOut.id } })).toBe(0);
    expect(await t.deps.prisma.client.count({ where: { businessId: B, phones: { has: '+14155550901' } } })).toBe(0);
  });
});
