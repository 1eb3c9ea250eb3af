// What Omega logs: the request id on every line of a request, the job id and task on every line of
// a job, client mistakes below error, and no credentials or message bodies.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/observability/logRedaction.js';
import { withWorker } from '../helpers/jobs.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';

/** A logger with Omega's options (level, redaction) whose lines are kept. */
function capturingLog(level: 'info' | 'debug') {
  const raw: string[] = [];
  let pending = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      raw.push(...lines);
      done();
    },
  });
  return { log: pino(loggerOptions(level), stream), raw, lines: () => raw.map((l) => JSON.parse(l) as Record<string, any>) };
}

const SECRET_KEY = 'omk_secret_key_never_logged_0123456789';
const BODY = 'Private message body: gate code 4711';

describe('log lines', () => {
  const http = capturingLog('debug');
  let t: TestApp;
  let biz: { id: string; apiKey: string };
  let locationId: string;
  beforeAll(async () => {
    t = await startTestApp({ appOptions: { logger: http.log } });
    biz = await createBusiness(t.deps, 'logs-biz');
    locationId = (await t.deps.prisma.location.create({ data: { businessId: biz.id, name: 'Main', externalId: 'main', timeZone: 'UTC', smsPhoneNumber: '+15005550006' } })).id;
  });
  afterAll(() => t.close());

  it('carry the request id on every line of a request, and log client mistakes below warn', async () => {
    http.raw.length = 0;
    const ok = await t.app.inject({ method: 'GET', url: `/businesses/${biz.id}/locations`, headers: { 'x-api-key': biz.apiKey, 'x-request-id': 'req-known-1' } });
    expect(ok.statusCode).toBe(200);
    const unauthorized = await t.app.inject({
      method: 'GET',
      url: `/businesses/${biz.id}/locations`,
      headers: { 'x-api-key': SECRET_KEY, authorization: `Bearer ${SECRET_KEY}`, cookie: `omega_session=${SECRET_KEY}` },
    });
    expect(unauthorized.statusCode).toBe(401);
    const invalid = await t.app.inject({ method: 'POST', url: '/sms/send', headers: { 'x-api-key': biz.apiKey, 'content-type': 'application/json' }, payload: { to: 'not a number', body: BODY } });
    expect(invalid.statusCode).toBe(422);
    const gqlBad = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': biz.apiKey }, payload: { query: '{ nope }' } });
    expect(gqlBad.json().errors[0].message).toMatch(/nope/);

    const lines = http.lines().filter((l) => l.req || l.res || l.reqId);
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const line of lines) expect(line.reqId, JSON.stringify(line)).toEqual(expect.any(String));
    expect(lines.filter((l) => l.reqId === 'req-known-1').length).toBeGreaterThanOrEqual(2);
    // 401, 422 and a bad query are the client's mistakes: nothing at warn (40) or above.
    expect(http.lines().filter((l) => l.level >= 40)).toEqual([]);
    const all = http.raw.join('\n');
    expect(all).not.toContain(SECRET_KEY);
    expect(all).not.toContain(BODY);
  });

  it('redact credentials and bodies wherever they sit in a logged object', () => {
    const c = capturingLog('debug');
    c.log.error(
      {
        req: { headers: { authorization: 'Basic QUM6c2VjcmV0', cookie: 'omega_session=abc', 'x-api-key': SECRET_KEY } },
        err: { message: 'Twilio said no', config: { headers: { Authorization: 'Basic QUM6c2VjcmV0' }, auth: { username: 'AC1', password: 'tok' }, data: `Body=${BODY}` } },
        sms: { to: '+15005550006', body: BODY },
        provider: { authToken: 'tok-123', apiKey: SECRET_KEY },
      },
      'provider call failed',
    );
    const [line] = c.lines();
    expect(line).toMatchObject({ msg: 'provider call failed', sms: { to: '+15005550006', body: '[Redacted]' }, err: { message: 'Twilio said no' } });
    for (const secret of ['QUM6c2VjcmV0', 'omega_session=abc', SECRET_KEY, 'tok-123', BODY]) expect(c.raw[0]).not.toContain(secret);
  });

  it('carry the job id and task on every line written while a job runs, and no message body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/sms/send',
      headers: { 'x-api-key': biz.apiKey, 'content-type': 'application/json' },
      payload: { to: '+14155550391', body: BODY, location_id: locationId },
    });
    expect(res.statusCode).toBe(202);
    const messageId = res.json().messages[0].message_id as string;
    const worker = capturingLog('debug');
    await withWorker(t.deps, { concurrency: 2, deadAfterSeconds: 60, log: worker.log }, async () => {
      await waitFor('the SMS to be sent', async () => (await t.deps.prisma.message.findUniqueOrThrow({ where: { id: messageId } })).status !== 'queued', 10_000);
      await waitFor('the send line', () => worker.raw.some((l) => l.includes(messageId)));
    });
    const jobLines = worker.lines().filter((l) => l.taskIdentifier === 'send_sms');
    expect(jobLines.length).toBeGreaterThan(0);
    for (const line of jobLines) expect(line.jobId, JSON.stringify(line)).toEqual(expect.any(String));
    const sent = worker.lines().find((l) => typeof l.msg === 'string' && l.msg.includes(`message ${messageId}`));
    expect(sent).toMatchObject({ taskIdentifier: 'send_sms', jobId: expect.any(String), label: 'send' });
    expect(worker.raw.join('\n')).not.toContain(BODY);
  });
});
