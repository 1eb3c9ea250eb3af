// National phone numbers in the configured region (OMEGA_DEFAULT_PHONE_REGION), end to end: a salon
// in London sends to "07911 123456" as its staff write it, and the client is +447911123456.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness } from '../helpers/testApp.js';
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

describe("a business's own phone region (BusinessSettings.phoneRegion), with the deployment's default US", () => {
  let f: SendingFixture;
  const gql = (query: string, variables: Record<string, unknown>) =>
    f.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': f.apiKey }, payload: { query, variables } }).then((r) => r.json());
  const SET = `mutation ($input: UpdateBusinessSettingsInput!) { updateBusinessSettings(input: $input) { phoneRegion } }`;

  beforeAll(async () => {
    f = await startSendingFixture();
  });
  afterAll(() => f.close());

  it('reads national numbers in the business region once set (sends, records, conversations), and in the default again once cleared', async () => {
    const before = await f.post('/sms/send', { to: '(415) 555-0101', body: 'Hello', location_id: f.locationA });
    expect((await f.message(before.json.message_ids[0] as string)).toAddress).toBe('+14155550101');

    expect(await gql(SET, { input: { businessId: f.businessId, phoneRegion: 'au' } })).toEqual({ data: { updateBusinessSettings: { phoneRegion: 'AU' } } });
    const sydney = await f.post('/sms/send', { to: '0412 345 678', body: 'Your facial is at 10am', location_id: f.locationA });
    expect(sydney.status).toBe(202);
    expect((await f.message(sydney.json.message_ids[0] as string)).toAddress).toBe('+61412345678');
    // International numbers read the same whatever the region.
    const us = await f.post('/sms/send', { to: '+1 415 555 0102', body: 'Hello', location_id: f.locationA });
    expect((await f.message(us.json.message_ids[0] as string)).toAddress).toBe('+14155550102');
    const recorded = await f.post('/sms/record', { direction: 'inbound', from: '0412 345 679', to: '+15005550006', body: 'Running late', provider_message_id: 'SMau0001' });
    expect(recorded.status).toBeLessThan(300);
    const conversation = await f.post(`/businesses/${f.businessId}/conversations`, { phone: '0412 345 680' });
    expect(conversation.status).toBeLessThan(300);
    const client = await f.deps.prisma.client.findFirst({ where: { businessId: f.businessId, phones: { has: '+61412345680' } } });
    expect(client).not.toBeNull();

    expect(await gql(SET, { input: { businessId: f.businessId, phoneRegion: null } })).toEqual({ data: { updateBusinessSettings: { phoneRegion: null } } });
    const after = await f.post('/sms/send', { to: '(415) 555-0103', body: 'Hello', location_id: f.locationA });
    expect((await f.message(after.json.message_ids[0] as string)).toAddress).toBe('+14155550103');
  });

  it('refuses a region that is not a country of the numbering plan, naming the input field', async () => {
    const res = await gql(SET, { input: { businessId: f.businessId, phoneRegion: 'XX' } });
    expect(res.errors[0]).toMatchObject({ extensions: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(res.errors[0])).toContain('phoneRegion');
    expect(JSON.stringify(res.errors[0])).not.toContain('"body"');
  });

  it('answers a client error, never a 5xx, for a wrong type or a huge value, and refuses another business', async () => {
    const number = await gql(SET, { input: { businessId: f.businessId, phoneRegion: 44 } });
    expect(number.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const huge = await gql(SET, { input: { businessId: f.businessId, phoneRegion: 'G'.repeat(100_000) } });
    expect(huge.errors[0].extensions.code).toMatch(/^(BAD_USER_INPUT|VALIDATION_FAILED)$/);
    await createBusiness(f.deps, 'someone-else');
    const other = await gql(SET, { input: { businessId: 'someone-else', phoneRegion: 'GB' } });
    expect(other.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await f.deps.prisma.business.findUnique({ where: { id: 'someone-else' }, select: { settings: true } })).not.toMatchObject({ settings: { phoneRegion: 'GB' } });
  });
});
