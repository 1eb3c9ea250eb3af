import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';

const UPDATE = `mutation ($i: UpdateBusinessSettingsInput!) {
  updateBusinessSettings(input: $i) { businessId timeZone quietHours { start end } defaultSenderLocationId }
}`;

describe('business settings (updateBusinessSettings)', () => {
  let t: TestApp;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let service: string;
  let locationId: string;
  let otherLocationId: string;
  const update = (input: Record<string, unknown>, key = a.apiKey) =>
    t.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': key }, payload: { query: UPDATE, variables: { i: input } } });

  beforeAll(async () => {
    t = await startTestApp();
    a = await createBusiness(t.deps, 'set-a');
    b = await createBusiness(t.deps, 'set-b');
    service = await createServiceKey(t.deps);
    locationId = (await t.deps.prisma.location.create({ data: { businessId: 'set-a', name: 'Main' } })).id;
    otherLocationId = (await t.deps.prisma.location.create({ data: { businessId: 'set-b', name: 'Theirs' } })).id;
  });
  afterAll(() => t.close());

  it('sets quiet hours, time zone and default sender, and leaves omitted ones unchanged', async () => {
    const res = await update({ businessId: 'set-a', timeZone: 'America/Chicago', quietHours: { start: '21:00', end: '08:00' }, defaultSenderLocationId: locationId });
    expect(res.json().data.updateBusinessSettings).toEqual({
      businessId: 'set-a',
      timeZone: 'America/Chicago',
      quietHours: { start: '21:00', end: '08:00' },
      defaultSenderLocationId: locationId,
    });
    const partial = await update({ businessId: 'set-a', quietHours: { start: '22:30', end: '07:00' } });
    expect(partial.json().data.updateBusinessSettings).toMatchObject({ timeZone: 'America/Chicago', quietHours: { start: '22:30', end: '07:00' }, defaultSenderLocationId: locationId });
    const cleared = await update({ businessId: 'set-a', quietHours: null, defaultSenderLocationId: null });
    expect(cleared.json().data.updateBusinessSettings).toMatchObject({ quietHours: null, defaultSenderLocationId: null, timeZone: 'America/Chicago' });
    const row = await t.deps.prisma.business.findUniqueOrThrow({ where: { id: 'set-a' } });
    expect(row.settings).toEqual({ quietHours: null, defaultSenderLocationId: null });
  });

  it('refuses bad values with VALIDATION_FAILED naming each field', async () => {
    const res = await update({ businessId: 'set-a', timeZone: 'Nowhere/Land', quietHours: { start: '25:00', end: '8' } });
    const error = res.json().errors[0];
    expect(error.extensions.code).toBe('VALIDATION_FAILED');
    expect(error.extensions.issues.map((i: { loc: string[] }) => i.loc.join('.'))).toEqual(['input.timeZone', 'input.quietHours.start', 'input.quietHours.end']);
    const other = await update({ businessId: 'set-a', defaultSenderLocationId: otherLocationId });
    expect(other.json().errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(other.json().errors[0].message).toMatch(/not a location of business "set-a"/);
  });

  it("refuses another business's settings, and lets a service key change any", async () => {
    const res = await update({ businessId: 'set-a', timeZone: 'UTC' }, b.apiKey);
    expect(res.json().errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.deps.prisma.business.findUniqueOrThrow({ where: { id: 'set-a' } })).timeZone).toBe('America/Chicago');
    const ok = await update({ businessId: 'set-b', timeZone: 'Asia/Tokyo' }, service);
    expect(ok.json().data.updateBusinessSettings.timeZone).toBe('Asia/Tokyo');
    const missing = await update({ businessId: 'nope', timeZone: 'UTC' }, service);
    expect(missing.json().errors[0].extensions.code).toBe('BUSINESS_NOT_FOUND');
  });
});
