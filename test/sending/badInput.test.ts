import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSendingFixture, type SendingFixture } from './fixture.js';

// Bad input on every sending route answers 422 in FastAPI's shape, never a 500.
describe('bad input on the sending routes', () => {
  let f: SendingFixture;
  const UNKNOWN = '01900000-0000-7000-8000-000000000000';
  const routes = () => ['/sms/send', '/sms/record', '/sms/status', '/email/send', '/email/record', '/email/status', `/messages/${f.businessId}/messages/retry`, `/messages/${f.businessId}/process`];
  const raw = async (url: string, payload: string, contentType = 'application/json') => {
    const res = await f.app.inject({ method: 'POST', url, headers: { 'x-api-key': f.apiKey, 'content-type': contentType }, payload });
    return { status: res.statusCode, json: res.body ? JSON.parse(res.body) : null };
  };

  beforeAll(async () => {
    f = await startSendingFixture();
  });
  afterAll(() => f.close());

  it('answers 422 for bodies that are not JSON objects', async () => {
    for (const url of routes()) {
      for (const payload of ['{"to": ', '[]', '"text"', '42', 'null', '{"body": "x",}']) {
        const res = await raw(url, payload);
        expect(res.status, `${url} ${payload}`).toBe(422);
        expect(Array.isArray(res.json.detail), `${url} ${payload}`).toBe(true);
      }
    }
  });

  it('answers 422 naming the field for wrong types, bad formats and unknown fields', async () => {
    const cases: [string, unknown, (string | number)[]][] = [
      ['/sms/send', { to: '+14155550801' }, ['body', 'body']],
      ['/sms/send', { to: { number: '+14155550801' }, body: 'x' }, ['body', 'to']],
      ['/sms/send', { to: '+14155550801', body: 'x'.repeat(1601) }, ['body', 'body']],
      ['/sms/send', { to: '+14155550801', body: 'x', media_urls: ['not a url'] }, ['body', 'media_urls', 0]],
      ['/sms/send', { to: '+14155550801', body: 'x', media_urls: Array(11).fill('https://x.test/a.png') }, ['body', 'media_urls']],
      ['/sms/send', { to: '+14155550801', body: 'x', location_id: 'downtown' }, ['body', 'location_id']],
      ['/sms/send', { to: '+14155550801', body: 'x', send_at: '28/11/2026' }, ['body', 'send_at']],
      ['/sms/send', { to: '+14155550801', body: 'x', sendAt: '2026-11-28T10:00:00Z' }, ['body', 'sendAt']],
      ['/sms/send', { recipients: [], body: 'x' }, ['body', 'recipients']],
      ['/sms/send', { recipients: [{ to: 'abc' }], body: 'x' }, ['body', 'recipients', 0, 'to']],
      ['/sms/send', { recipients: [{ phone: '+14155550801' }], body: 'x' }, ['body', 'recipients', 0, 'phone']],
      ['/sms/send', { body: 'x' }, ['body', 'recipients']],
      ['/sms/send', { to: '+1', body: 'x' }, ['body', 'recipients', 0, 'to']],
      ['/sms/send', { to: '+14155550801', body: '   ' }, ['body', 'body']],
      ['/sms/send', { to: '+14155550801', body: 'x', request_id: '' }, ['body', 'request_id']],
      ['/sms/send', { to: '+14155550801', body: 'x', metadata: 'yes' }, ['body', 'metadata']],
      ['/email/send', { to: 'a@example.com', html: '<p>x</p>' }, ['body', 'subject']],
      ['/email/send', { to: 'a@example.com', subject: '', text: 'x' }, ['body', 'subject']],
      ['/email/send', { to: 'a@@example', subject: 'x', text: 'x' }, ['body', 'recipients', 0, 'to']],
      ['/email/send', { to: 'a@example.com', subject: 'x'.repeat(999), text: 'x' }, ['body', 'subject']],
      ['/sms/record', { direction: 'inbound', from: '+14155550801', body: { text: 'x' } }, ['body', 'body']],
      ['/sms/record', { direction: 'inbound', from: '+14155550801', body: 'x', occurred_at: 'yesterday' }, ['body', 'occurred_at']],
      ['/email/record', { to: 'x@example.com', subject: 'x', text: 'x', client_id: '123' }, ['body', 'client_id']],
      ['/sms/status', { message_id: UNKNOWN }, ['body', 'status']],
      ['/sms/status', { message_id: UNKNOWN, status: 'delivered', payload: [] }, ['body', 'payload']],
      ['/email/status', { message_id: 'x', status: 'delivered' }, ['body', 'message_id']],
      [`/messages/${'spa'}/messages/retry`, { message_ids: [] }, ['body', 'message_ids']],
      [`/messages/${'spa'}/messages/retry`, { message_ids: ['nope'] }, ['body', 'message_ids', 0]],
      [`/messages/${'spa'}/messages/retry`, { limit: 0 }, ['body', 'limit']],
      [`/messages/${'spa'}/messages/retry`, { since: 'last week' }, ['body', 'since']],
      [`/messages/${'spa'}/process`, { channel: 'sms', to: '+14155550801', body: 'x', mode: 'maybe' }, ['body', 'mode']],
      [`/messages/${'spa'}/process`, { channel: 'note', conversation_id: UNKNOWN, body: 'x', mention_staff_ids: ['x'] }, ['body', 'mention_staff_ids', 0]],
    ];
    for (const [url, body, loc] of cases) {
      const res = await f.post(url, body);
      expect(res.status, `${url} ${JSON.stringify(body).slice(0, 80)}`).toBe(422);
      expect(
        res.json.detail.map((d: any) => d.loc),
        `${url} ${JSON.stringify(body).slice(0, 80)}`,
      ).toContainEqual(loc);
    }
    expect((await f.post(`/messages/${f.businessId}/messages/nope/retry`, undefined)).status).toBe(422);
  });

  it('never answers 500, whatever the values', async () => {
    const weird: unknown[] = [
      null,
      true,
      0,
      -1,
      1e308,
      '',
      ' ',
      'x'.repeat(5000),
      '\u0000',
      '💥'.repeat(100),
      '+',
      '@',
      '../../etc',
      [],
      [null],
      {},
      { $gt: '' },
      'NaN',
      '2026-02-30T25:61:00Z',
      UNKNOWN,
      '00000000-0000-0000-0000-000000000000',
    ];
    const fields = [
      'to',
      'recipients',
      'client_id',
      'client_external_id',
      'body',
      'subject',
      'html',
      'text',
      'media_urls',
      'location_id',
      'location_external_id',
      'request_id',
      'send_at',
      'bypass_quiet_hours',
      'staff_id',
      'metadata',
      'direction',
      'from',
      'status',
      'provider',
      'provider_message_id',
      'message_id',
      'event_id',
      'occurred_at',
      'conversation_id',
      'channel',
      'mode',
      'message_ids',
      'limit',
      'since',
      'read',
    ];
    const base: Record<string, Record<string, unknown>> = {
      '/sms/send': { to: '+14155550899', body: 'x' },
      '/email/send': { to: 'fuzz@example.com', subject: 'x', text: 'x' },
      '/sms/record': { direction: 'inbound', from: '+14155550899', body: 'x' },
      '/email/record': { to: 'fuzz@example.com', subject: 'x', text: 'x' },
      '/sms/status': { message_id: UNKNOWN, status: 'delivered' },
      '/email/status': { message_id: UNKNOWN, status: 'delivered' },
    };
    base[`/messages/${f.businessId}/messages/retry`] = {};
    base[`/messages/${f.businessId}/process`] = { channel: 'sms', to: '+14155550899', body: 'x' };
    let n = 0;
    const failures: string[] = [];
    for (const url of routes()) {
      for (const field of fields) {
        for (const value of weird) {
          const res = await f.post(url, { ...base[url], [field]: value });
          if (res.status >= 500) failures.push(`${url} ${field}=${JSON.stringify(value)?.slice(0, 40)}: ${JSON.stringify(res.json).slice(0, 200)}`);
          n++;
        }
      }
    }
    expect(failures).toEqual([]);
    expect(n).toBeGreaterThan(5000);
  }, 300_000);
});
