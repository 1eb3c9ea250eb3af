// What a templated send costs the send batch: the reply is resolved once per request, outside the
// batch (one statement), and each recipient is rendered in memory, so a batch of 8 templated SMS
// costs the statements of a batch of 8 plain ones (test/sending/batchResolution.test.ts: 8, the messages in one statement); an
// email batch costs one more, for the thread of every conversation at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/tx.js';
import type { Deps } from '../../src/domain/deps.js';
import { resolveTemplateForSend } from '../../src/domain/savedReplies/resolveTemplateForSend.js';
import { queueBatch } from '../../src/domain/sending/queueBatch.js';
import type { QueueItem, ResolvedTemplate } from '../../src/domain/sending/sendRequest.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';

const B = 'tplcost';

/** A Prisma client whose transactions count their raw statements (tx.sql runs each as one $queryRawUnsafe). */
function countingPrisma(prisma: Deps['prisma'], counter: { n: number }): Deps['prisma'] {
  const counted = (tx: Tx['prisma']) =>
    new Proxy(tx, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop);
        if (typeof value !== 'function' || typeof prop !== 'string' || !/^\$(query|execute)Raw/.test(prop)) return value;
        return (...args: unknown[]) => {
          counter.n++;
          return value.apply(target, args);
        };
      },
    });
  return new Proxy(prisma, {
    get(target, prop) {
      if (prop !== '$transaction') return Reflect.get(target, prop);
      return (fn: (tx: Tx['prisma']) => Promise<unknown>, options: object) => target.$transaction((tx) => fn(counted(tx)), options);
    },
  });
}

describe('the cost of a templated send batch', () => {
  let t: TestApp;
  let staffId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await createBusiness(t.deps, B);
    await t.deps.prisma.location.create({ data: { businessId: B, name: 'Downtown', smsPhoneNumber: '+15005550006', emailFrom: 'downtown@cost.test' } });
    staffId = (await t.deps.prisma.staff.create({ data: { businessId: B, firstName: 'Maya' } })).id;
  });
  afterAll(() => t?.close());

  const template = async (channel: 'sms' | 'email'): Promise<ResolvedTemplate> => {
    const reply = await t.deps.prisma.savedReply.create({
      data: {
        businessId: B,
        name: channel,
        shortcut: `${channel}-cost`,
        channel,
        subject: channel === 'email' ? 'Hello {{client.first_name}}' : null,
        body: 'Hi {{client.first_name}}, {{staff.first_name}} at {{location.name}}',
      },
    });
    return resolveTemplateForSend(t.deps.sql, { businessId: B, templateId: reply.id, channel, staffId, body: null, subject: null, bodyField: 'body' });
  };

  it('queues 8 templated SMS in the 8 statements of 8 plain ones, each rendered with its own client', async () => {
    const tpl = await template('sms');
    const counter = { n: 0 };
    const deps: Deps = { ...t.deps, prisma: countingPrisma(t.deps.prisma, counter) };
    const items: QueueItem[] = Array.from({ length: 8 }, (_, i) => ({
      input: { businessId: B, channel: 'sms', recipients: [{ to: `+1415555070${i}` }], content: { body: null, subject: null, html: null, media: [] }, templateId: tpl.id, authorStaffId: staffId },
      recipients: [{ to: `+1415555070${i}`, firstName: `R${i}`, loc: ['recipients', 0] }],
      now: new Date(),
      template: tpl,
    }));
    const results = await queueBatch(deps, B, items);
    expect(counter.n).toBe(8);
    expect(results.map((r) => r.renderedBodies)).toEqual(Array.from({ length: 8 }, (_, i) => [`Hi R${i}, Maya at Downtown`]));
    const stored = await t.deps.prisma.message.findMany({ where: { id: { in: results.map((r) => r.messages[0]!.messageId) } }, select: { body: true } });
    expect(stored.map((m) => m.body).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `Hi R${i}, Maya at Downtown`));
  });

  it('queues 8 templated emails in one statement more (the threads of all their conversations)', async () => {
    const tpl = await template('email');
    const counter = { n: 0 };
    const deps: Deps = { ...t.deps, prisma: countingPrisma(t.deps.prisma, counter) };
    const items: QueueItem[] = Array.from({ length: 8 }, (_, i) => ({
      input: { businessId: B, channel: 'email', recipients: [{ to: `r${i}@cost.test` }], content: { body: null, subject: null, html: null, media: [] }, templateId: tpl.id, authorStaffId: staffId },
      recipients: [{ to: `r${i}@cost.test`, firstName: `R${i}`, loc: ['recipients', 0] }],
      now: new Date(),
      template: tpl,
    }));
    const results = await queueBatch(deps, B, items);
    expect(counter.n).toBe(9);
    const stored = await t.deps.prisma.message.findMany({ where: { id: { in: results.map((r) => r.messages[0]!.messageId) } }, select: { subject: true } });
    expect(stored.map((m) => m.subject).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `Hello R${i}`));
  });
});
