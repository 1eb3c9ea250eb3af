import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimMessagesForSend, claimStatement } from '../../src/db/sql/claimMessagesForSend.js';
import { deliverMessage } from '../../src/domain/sending/deliverMessage.js';
import { startFakeProviders, type FakeProviders } from '../helpers/msw.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';
import { pgSql } from '../../src/db/sqlHandle.js';

describe('send jobs running at once share one claim statement', () => {
  let fake: FakeProviders;
  let f: SendingFixture;
  const claims: number[] = [];

  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startSendingFixture({ channels: fake.channels() });
    // Count the claim statements (and how many messages each names) on this app's pool.
    const pool = f.deps.pool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const q = args[0] as { name?: string; values?: string[] };
      if (q?.name?.startsWith('omega_claim_sms:')) claims.push((JSON.parse(q.values![0]!) as unknown[]).length);
      return query(...args);
    };
  });
  afterAll(async () => {
    await f.close();
    fake.close();
  });

  it('claims, sends and records each message once; one not waiting to be sent is skipped, in the same statement', async () => {
    const res = await f.post('/sms/send', {
      recipients: Array.from({ length: 6 }, (_, i) => ({ to: `+1415555${String(2000 + i)}` })),
      body: 'See you tomorrow',
      location_id: f.locationA,
    });
    expect(res.status).toBe(202);
    const ids: string[] = res.json.message_ids;
    const [first, ...rest] = ids;
    expect(await deliverMessage(f.deps, { messageId: first!, channel: 'sms', jobAttempt: 1, jobMaxAttempts: 3 })).toMatchObject({ outcome: 'sent' });
    claims.length = 0;
    fake.reset();

    // One claim statement at a time: the first claim starts at once, alone; the others arrive while
    // it runs and go together in the next statement.
    const unknown = randomUUID();
    const outcomes = await Promise.all([...rest, first!.toUpperCase(), unknown].map((messageId) => deliverMessage(f.deps, { messageId, channel: 'sms', jobAttempt: 1, jobMaxAttempts: 3 })));
    expect(claims).toEqual([1, 6]);
    expect(outcomes.slice(0, rest.length).map((o) => o.outcome)).toEqual(rest.map(() => 'sent'));
    expect(outcomes.slice(rest.length).map((o) => o.outcome)).toEqual(['skipped', 'skipped']);
    expect(fake.twilio.map((r) => r.to).sort()).toEqual(['+14155552001', '+14155552002', '+14155552003', '+14155552004', '+14155552005']);
    for (const id of ids) {
      expect(await f.message(id), id).toMatchObject({ status: 'sent', attempts: 1 });
      expect(
        (await f.events(id)).map((e) => e.type),
        id,
      ).toEqual(['attempt', 'sent']);
    }
  });

  it('is planned once per connection: PostgreSQL keeps its generic plan instead of planning every claim', async () => {
    const client = await f.deps.pool.connect();
    try {
      for (let i = 0; i < 12; i++) {
        const claims = Array.from({ length: 1 + (i % 4) }, () => ({ messageId: randomUUID(), jobAttempt: 1 }));
        expect(await claimMessagesForSend(pgSql(client), claims, claimStatement('sms', ['queued', 'sending']))).toEqual([]);
      }
      const { rows } = await client.query(`SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'omega_claim_sms:queued,sending'`);
      // PostgreSQL tries five custom plans, then keeps the generic one when it costs no more.
      expect(rows).toEqual([{ generic_plans: '7', custom_plans: '5' }]);
    } finally {
      client.release();
    }
  });
});
