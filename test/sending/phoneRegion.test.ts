// National phone numbers in the configured region (OMEGA_DEFAULT_PHONE_REGION), end to end: a salon
// in London sends to "07911 123456" as its staff write it, and the client is +447911123456.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSendingFixture, type SendingFixture } from './fixture.js';

describe('sending with OMEGA_DEFAULT_PHONE_REGION=GB', () => {
  let f: SendingFixture;

  beforeAll(async () => {
    f = await startSendingFixture({ depsOptions: { phoneRegion: 'GB' } });
  });
  afterAll(() => f.close());

  it('reads a UK national number as +44 and sends to it', async () => {
    const res = await f.post('/sms/send', { to: '07911 123456', body: 'Your appointment is at 3pm', location_id: f.locationA });
    expect(res.status).toBe(202);
    const id = res.json.message_ids[0] as string;
    expect((await f.message(id)).toAddress).toBe('+447911123456');
    await f.runJobs();
    expect(await f.message(id)).toMatchObject({ status: 'delivered', toAddress: '+447911123456' });
    // The same client, however the number is written.
    const again = await f.post('/sms/send', { to: '+44 7911 123456', body: 'See you soon', location_id: f.locationA });
    expect((await f.message(again.json.message_ids[0] as string)).clientId).toBe((await f.message(id)).clientId);
  });

  it('still takes international numbers, and refuses a national number of a length GB does not have', async () => {
    const us = await f.post('/sms/send', { to: '+1 415 555 0101', body: 'Hello', location_id: f.locationA });
    expect(us.status).toBe(202);
    expect((await f.message(us.json.message_ids[0] as string)).toAddress).toBe('+14155550101');
    const tooLong = await f.post('/sms/send', { to: '07911 1234567', body: 'Hello', location_id: f.locationA });
    expect(tooLong.status).toBe(422);
    expect(tooLong.json.detail[0]).toMatchObject({ loc: ['body', 'recipients', 0, 'to'], input: '07911 1234567' });
  });
});
