import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorker } from '../helpers/jobs.js';
import { waitFor } from '../helpers/waitFor.js';
import { startCampaignFixture, type CampaignFixture } from './fixture.js';

// Pause, resume and cancel checked at the fake Twilio (slow answers: 150 ms each) with the real
// worker: after a pause or cancel commits, no message is claimed; what the fake receives later is
// only sends claimed before (in flight), all within a second; a resumed campaign sends the rest,
// nobody twice.
describe('pausing, resuming and canceling a sending campaign', () => {
  let f: CampaignFixture;
  const log = pino({ level: 'silent' });

  beforeAll(async () => {
    f = await startCampaignFixture({ latencyMs: 150 });
  });
  afterAll(async () => f?.close());

  async function startWith(count: number): Promise<string> {
    const clients = [];
    for (let i = 0; i < count; i++) clients.push(await f.addClient({}));
    const created = await f.rest('POST', `/businesses/${f.businessId}/campaigns`, { name: `P${f.n++}`, channel: 'sms', body: 'Flash sale', audience: { client_ids: clients } });
    const started = await f.rest('POST', `/businesses/${f.businessId}/campaigns/${created.json.id}/start`, {});
    expect(started.json.status).toBe('sending');
    return created.json.id;
  }

  /** Every create the fake received after `at` + grace; and each create's message claimed no later than `at`. */
  async function checkStoppedAt(id: string, at: Date, graceMs: number) {
    const creates = f.creates();
    const late = creates.filter((c) => c.at.getTime() > at.getTime() + graceMs);
    expect(late).toEqual([]);
    const { rows } = await f.deps.pool.query<{ id: string; claimed_at: Date }>(`SELECT id::text, claimed_at FROM messages WHERE campaign_id = $1 AND claimed_at IS NOT NULL`, [id]);
    const claimedAfter = rows.filter((r) => r.claimed_at.getTime() > at.getTime() + 20);
    expect(claimedAfter).toEqual([]);
    return creates.length;
  }

  it('pause: nothing more goes out within a second; resume: the rest, nobody twice; completed', async () => {
    f.fake.reset();
    const id = await startWith(24);
    await withWorker(f.deps, { concurrency: 2, deadAfterSeconds: 60, log }, async () => {
      await waitFor('a few sends at the fake', () => f.creates().length >= 3, 15_000);
      const paused = await f.rest('POST', `/businesses/${f.businessId}/campaigns/${id}/pause`);
      expect(paused.json.status).toBe('paused');
      const pausedAt = new Date(paused.json.paused_at);
      await new Promise((r) => setTimeout(r, 1500));
      const sentWhilePausing = await checkStoppedAt(id, pausedAt, 1000);
      expect(sentWhilePausing).toBeLessThan(24);
      // Still waiting, not failed: queued messages and pending recipients.
      const waiting = await f.deps.prisma.message.count({ where: { campaignId: id, status: { in: ['queued', 'scheduled'] } } });
      const pending = await f.deps.prisma.campaignRecipient.count({ where: { campaignId: id, state: 'pending' } });
      expect(waiting + pending).toBe(24 - sentWhilePausing);

      const resumed = await f.rest('POST', `/businesses/${f.businessId}/campaigns/${id}/resume`);
      expect(resumed.json.status).toBe('sending');
      await waitFor('the campaign to complete', async () => (await f.campaignStatus(id)) === 'completed', 30_000);
    });
    expect(f.fake.stats()).toEqual({ creates: 24, sentMessages: 24, duplicates: 0 });
    const res = await f.rest('GET', `/businesses/${f.businessId}/campaigns/${id}`);
    expect(res.json.progress).toMatchObject({ recipients: 24, sent: 24, queued: 0, pending: 0 });
    const { rows } = await f.deps.pool.query(
      `SELECT payload->>'previousStatus' AS previous, payload->>'status' AS status FROM inbox_events WHERE type = 'campaign.updated' AND payload->>'campaignId' = $1 ORDER BY id`,
      [id],
    );
    expect(rows.map((r) => `${r.previous}->${r.status}`)).toEqual(['draft->sending', 'sending->paused', 'paused->sending', 'sending->completed']);
  });

  it('cancel: its waiting messages are canceled (with events), pending recipients skipped, nothing sent after', async () => {
    f.fake.reset();
    const id = await startWith(24);
    let canceledAt = new Date();
    await withWorker(f.deps, { concurrency: 2, deadAfterSeconds: 60, log }, async () => {
      await waitFor('a few sends at the fake', () => f.creates().length >= 3, 15_000);
      const canceled = await f.rest('POST', `/businesses/${f.businessId}/campaigns/${id}/cancel`);
      expect(canceled.json.status).toBe('canceled');
      canceledAt = new Date(canceled.json.canceled_at);
      await new Promise((r) => setTimeout(r, 1500));
    });
    const sent = await checkStoppedAt(id, canceledAt, 1000);
    expect(sent).toBeLessThan(24);
    expect(f.fake.stats().duplicates).toBe(0);
    const res = await f.rest('GET', `/businesses/${f.businessId}/campaigns/${id}`);
    expect(res.json.status).toBe('canceled');
    const p = res.json.progress;
    expect(p.queued + p.sending + p.pending).toBe(0);
    expect(p.sent + p.canceled + p.skipped).toBe(24);
    const { rows } = await f.deps.pool.query(
      `SELECT count(*)::int AS n FROM inbox_events e JOIN messages m ON m.id = e.message_id
        WHERE m.campaign_id = $1 AND e.type = 'message.status_changed' AND e.payload->>'status' = 'canceled'`,
      [id],
    );
    expect(rows[0].n).toBe(p.canceled);
    const skipped = await f.deps.prisma.campaignRecipient.findMany({ where: { campaignId: id, state: 'skipped' } });
    expect(skipped.every((r) => r.reason === 'canceled')).toBe(true);
  });
});
