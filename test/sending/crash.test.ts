import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { releaseDeadWorkers } from '../../src/db/sql/workerHeartbeats.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioSmsChannel } from '../../src/channels/twilio/createTwilioSmsChannel.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

const MESSAGES = 40;
const ANSWER_BEFORE_HANG = 15;

/** A fake Twilio on 127.0.0.1 that answers the first requests and then holds the rest unanswered. */
function fakeTwilio() {
  const requests: string[] = [];
  const held: http.ServerResponse[] = [];
  let hang = false;
  let answerEverything = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const messageId = new URL(form.get('StatusCallback')!).searchParams.get('message_id')!;
      requests.push(messageId);
      if (!answerEverything && (hang || requests.length > ANSWER_BEFORE_HANG)) {
        hang = true;
        held.push(res);
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued', from: form.get('From'), to: form.get('To') }));
    });
  });
  return {
    server,
    requests,
    held,
    resume() {
      hang = false;
      for (const res of held.splice(0)) res.destroy();
    },
    answerAll() {
      answerEverything = true;
    },
  };
}

describe('a worker killed mid-batch and restarted', () => {
  let f: SendingFixture;
  let twilio: ReturnType<typeof fakeTwilio>;
  let twilioUrl: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    twilio = fakeTwilio();
    await new Promise<void>((resolve) => twilio.server.listen(0, '127.0.0.1', resolve));
    twilioUrl = `http://127.0.0.1:${(twilio.server.address() as { port: number }).port}`;
    f = await startSendingFixture({
      channels: { sms: createTwilioSmsChannel({ accountSid: `AC${'c3'.repeat(16)}`, authToken: 'crash-test', publicBaseUrl: 'https://omega.test', defaultSender: null, apiBaseUrl: twilioUrl }) },
    });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await f.close();
    twilio.server.closeAllConnections();
    await new Promise((r) => twilio.server.close(r));
  });

  it('loses no message, records each once, and re-sends only those whose provider call was in flight', async () => {
    const res = await f.post('/sms/send', {
      recipients: Array.from({ length: MESSAGES }, (_, i) => ({ to: `+1415555${String(7000 + i)}` })),
      body: 'Your appointment is tomorrow',
      location_id: f.locationA,
    });
    expect(res.status).toBe(202);
    const ids: string[] = res.json.message_ids;

    child = spawn(process.execPath, ['--import', 'tsx', 'test/sending/fixtures/workerProcess.ts'], {
      env: { ...process.env, WORKER_DATABASE_URL: f.db.url, FAKE_TWILIO_URL: twilioUrl },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    // Wait until the worker is stuck in provider calls (5 at a time), then kill it without warning.
    const deadline = Date.now() + 30_000;
    while (twilio.held.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(twilio.held.length).toBe(5);
    // Let the answered ones record their outcome (the held ones cannot: their calls never return).
    while (Date.now() < deadline) {
      const { rows } = await f.deps.pool.query(`SELECT count(*)::int AS n FROM messages WHERE business_id = $1 AND status = 'sent'`, [f.businessId]);
      if (rows[0].n >= ANSWER_BEFORE_HANG) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const inFlight = new Set(twilio.requests.slice(ANSWER_BEFORE_HANG));
    twilio.resume();

    // At the kill: the messages whose provider call was in flight are `sending`; the answered ones
    // are sent; the others still queued. Nothing is lost or doubled.
    const { rows: atKill } = await f.deps.pool.query(`SELECT id::text, status::text FROM messages WHERE id = ANY($1::uuid[])`, [ids]);
    const sending = atKill.filter((m) => m.status === 'sending').map((m) => m.id);
    expect(new Set(sending)).toEqual(inFlight);
    expect(atKill.filter((m) => m.status === 'sent')).toHaveLength(ANSWER_BEFORE_HANG);
    expect(atKill.filter((m) => m.status === 'queued')).toHaveLength(MESSAGES - ANSWER_BEFORE_HANG - inFlight.size);

    // The dead worker's jobs stay locked (graphile-worker would free them after 4 hours) until its
    // last heartbeat's deadline (OMEGA_WORKER_DEAD_AFTER_SECONDS later; here: moved to the past)
    // has passed; then release_dead_workers frees them.
    const { rows: lockers } = await f.deps.pool.query(`SELECT DISTINCT locked_by FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL`);
    expect(lockers.length).toBeGreaterThan(0);
    expect(await releaseDeadWorkers(f.deps.pool)).toEqual([]); // before its deadline
    await f.deps.pool.query(`UPDATE worker_heartbeats SET dead_at = now() - interval '1 second'`);
    const released = await releaseDeadWorkers(f.deps.pool);
    for (const l of lockers) expect(released).toContain(l.locked_by);
    expect((await f.deps.pool.query(`SELECT 1 FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL`)).rowCount).toBe(0);

    twilio.answerAll();
    await f.runJobs();

    const { rows: after } = await f.deps.pool.query(
      `SELECT m.id::text, m.status::text, m.attempts, m.provider_message_id,
              (SELECT count(*)::int FROM message_events e WHERE e.message_id = m.id AND e.type = 'sent') AS sent_events
         FROM messages m WHERE m.business_id = $1`,
      [f.businessId],
    );
    expect(after).toHaveLength(MESSAGES); // every message recorded once
    for (const m of after) {
      expect(m.status, m.id).toBe('sent');
      expect(m.sent_events, m.id).toBe(1);
      expect(m.provider_message_id, m.id).toMatch(/^SM/);
      expect(m.attempts, m.id).toBe(inFlight.has(m.id) ? 2 : 1);
    }
    const perMessage = new Map<string, number>();
    for (const id of twilio.requests) perMessage.set(id, (perMessage.get(id) ?? 0) + 1);
    for (const id of ids) expect(perMessage.get(id), id).toBe(inFlight.has(id) ? 2 : 1);
    const resent = (await f.deps.pool.query(`SELECT message_id::text FROM message_events WHERE type = 'attempt' AND (payload->>'afterInterruptedSend')::boolean`)).rows.map((r) => r.message_id);
    expect(new Set(resent)).toEqual(inFlight);
    expect(await f.jobs()).toHaveLength(0);
  }, 90_000);
});
