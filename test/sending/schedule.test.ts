import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { quietHoursEnd } from '../../src/domain/sending/quietHoursEnd.js';
import { startFakeProviders, type FakeProviders } from '../helpers/msw.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

describe('quietHoursEnd', () => {
  const q = { start: '21:00', end: '08:00' };
  it('gives the end of a window that spans midnight, in the zone', () => {
    // 22:30 in New York (EST, UTC-5) on Nov 27 -> 08:00 on Nov 28.
    expect(quietHoursEnd(new Date('2026-11-28T03:30:00Z'), q, 'America/New_York')?.toISOString()).toBe('2026-11-28T13:00:00.000Z');
    // 06:00 in New York: the morning part of the window, ends the same day.
    expect(quietHoursEnd(new Date('2026-11-28T11:00:00Z'), q, 'America/New_York')?.toISOString()).toBe('2026-11-28T13:00:00.000Z');
    expect(quietHoursEnd(new Date('2026-11-28T15:00:00Z'), q, 'America/New_York')).toBeNull(); // 10:00
    expect(quietHoursEnd(new Date('2026-11-28T13:00:00Z'), q, 'America/New_York')).toBeNull(); // 08:00 sharp: open
    expect(quietHoursEnd(new Date('2026-11-29T02:00:00Z'), q, 'America/New_York')?.toISOString()).toBe('2026-11-29T13:00:00.000Z'); // 21:00 sharp
  });
  it('follows daylight saving time changes', () => {
    // 01:00 EST on the morning clocks go forward (2026-03-08): 08:00 is EDT (UTC-4).
    expect(quietHoursEnd(new Date('2026-03-08T06:00:00Z'), q, 'America/New_York')?.toISOString()).toBe('2026-03-08T12:00:00.000Z');
    // Paris, the night of 2026-10-25 (clocks go back at 03:00): 08:00 is CET (UTC+1).
    expect(quietHoursEnd(new Date('2026-10-24T22:00:00Z'), q, 'Europe/Paris')?.toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });
  it('follows daylight saving time in the southern hemisphere (Sydney: forward on 2026-10-04, back on 2026-04-05)', () => {
    // 23:00 AEDT (UTC+11) on Apr 4; the clocks go back at 03:00 that night: 08:00 is AEST (UTC+10).
    expect(quietHoursEnd(new Date('2026-04-04T12:00:00Z'), q, 'Australia/Sydney')?.toISOString()).toBe('2026-04-04T22:00:00.000Z');
    // 22:00 AEST (UTC+10) on Oct 3; the clocks go forward at 02:00: 08:00 is AEDT (UTC+11).
    expect(quietHoursEnd(new Date('2026-10-03T12:00:00Z'), q, 'Australia/Sydney')?.toISOString()).toBe('2026-10-03T21:00:00.000Z');
  });
  it('moves an end that the clocks skip forward by the gap, and takes the first of an end they repeat', () => {
    const small = { start: '01:00', end: '02:30' };
    // New York, 2026-03-08, 01:00 EST: 02:30 never happens (02:00 -> 03:00); the window ends at 03:30 EDT,
    // never inside it (it used to end at 01:30 EST, still in the window).
    expect(quietHoursEnd(new Date('2026-03-08T06:00:00Z'), small, 'America/New_York')?.toISOString()).toBe('2026-03-08T07:30:00.000Z');
    // Sydney, 2026-10-04, 01:30 AEST: the same, south of the equator (03:30 AEDT).
    expect(quietHoursEnd(new Date('2026-10-03T15:30:00Z'), small, 'Australia/Sydney')?.toISOString()).toBe('2026-10-03T16:30:00.000Z');
    // New York, 2026-11-01, 00:30 EDT: 01:30 happens twice (EDT, then EST); the window ends at the first.
    expect(quietHoursEnd(new Date('2026-11-01T04:30:00Z'), { start: '00:00', end: '01:30' }, 'America/New_York')?.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    // Sydney, 2026-04-05, 01:30 AEDT: 02:30 happens twice (AEDT, then AEST); the first.
    expect(quietHoursEnd(new Date('2026-04-04T14:30:00Z'), small, 'Australia/Sydney')?.toISOString()).toBe('2026-04-04T15:30:00.000Z');
  });
  it('refuses a zone it does not know', () => {
    expect(() => quietHoursEnd(new Date('2026-11-28T12:30:00Z'), q, 'Nowhere/Else')).toThrow(RangeError);
  });
  it('handles windows within one day and empty windows', () => {
    expect(quietHoursEnd(new Date('2026-11-28T12:30:00Z'), { start: '12:00', end: '14:00' }, 'UTC')?.toISOString()).toBe('2026-11-28T14:00:00.000Z');
    expect(quietHoursEnd(new Date('2026-11-28T12:30:00Z'), { start: '12:00', end: '12:00' }, 'UTC')).toBeNull();
  });
});

describe('scheduled sends and quiet hours', () => {
  let fake: FakeProviders;
  let f: SendingFixture;
  let now = new Date('2026-11-28T15:00:00Z'); // 10:00 in New York, 16:00 in Paris
  const clock = { now: () => now };

  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startSendingFixture({ channels: fake.channels(), clock });
    await f.deps.prisma.business.update({ where: { id: f.businessId }, data: { timeZone: 'America/Chicago', settings: { quietHours: { start: '21:00', end: '08:00' } } } });
  });
  afterAll(async () => {
    await f.close();
    fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    now = new Date('2026-11-28T15:00:00Z');
    await f.deps.pool.query('DELETE FROM graphile_worker._private_jobs');
  });

  it('holds a send_at message as scheduled until then, with its job waiting, and sends it when due', async () => {
    // Due in two hours, real time: graphile-worker compares run_at with the database's clock.
    now = new Date();
    const sendAt = new Date(Math.ceil((Date.now() + 2 * 3600_000) / 1000) * 1000).toISOString();
    await f.deps.prisma.business.update({ where: { id: f.businessId }, data: { settings: {} } });
    const res = await f.post('/sms/send', { to: '+14155550301', body: 'Reminder', send_at: sendAt, location_id: f.locationA });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: 'scheduled', messages: [{ status: 'scheduled', scheduled_at: sendAt }] });
    const id = res.json.message_ids[0];
    const [job] = await f.jobs();
    expect(job!.run_at.toISOString()).toBe(sendAt);
    expect(await f.message(id)).toMatchObject({ status: 'scheduled', scheduledAt: new Date(sendAt) });

    await f.runJobs(); // not due yet (database time)
    expect(fake.twilio).toHaveLength(0);
    await f.makeJobsDue();
    await f.runJobs();
    expect(fake.twilio).toHaveLength(1);
    expect(await f.message(id)).toMatchObject({ status: 'sent', attempts: 1 });
    await f.deps.prisma.business.update({ where: { id: f.businessId }, data: { settings: { quietHours: { start: '21:00', end: '08:00' } } } });
  });

  it('waits for the end of quiet hours in the recipient location’s time zone', async () => {
    now = new Date('2026-11-28T03:30:00Z'); // 22:30 in New York, 04:30 in Paris
    const ny = await f.post('/sms/send', { to: '+14155550302', body: 'Late promo', location_id: f.locationA });
    expect(ny.json.messages[0]).toMatchObject({ status: 'scheduled', scheduled_at: '2026-11-28T13:00:00.000Z' });
    const paris = await f.post('/sms/send', { to: '+33612345670', body: 'Promo', location_id: f.locationB });
    expect(paris.json.messages[0]).toMatchObject({ status: 'scheduled', scheduled_at: '2026-11-28T07:00:00.000Z' });
    const email = await f.post('/email/send', { to: 'night@example.com', subject: 'Promo', text: 'x', location_id: f.locationA });
    expect(email.json.messages[0]).toMatchObject({ status: 'scheduled', scheduled_at: '2026-11-28T13:00:00.000Z' });
    const runAts = (await f.jobs()).map((j) => j.run_at.toISOString()).sort();
    expect(runAts).toEqual(['2026-11-28T07:00:00.000Z', '2026-11-28T13:00:00.000Z', '2026-11-28T13:00:00.000Z']);
  });

  it('falls back to the business time zone when the location has none', async () => {
    const noZone = await f.deps.prisma.location.create({ data: { businessId: f.businessId, name: 'No zone', smsPhoneNumber: '+15005550016' } });
    now = new Date('2026-11-28T04:00:00Z'); // 22:00 in Chicago
    const res = await f.post('/sms/send', { to: '+14155550303', body: 'x', location_id: noZone.id });
    expect(res.json.messages[0]).toMatchObject({ status: 'scheduled', scheduled_at: '2026-11-28T14:00:00.000Z' });
  });

  it('pushes a send_at that falls inside quiet hours to their end, and sends urgent messages at once', async () => {
    const res = await f.post('/sms/send', { to: '+14155550304', body: 'x', location_id: f.locationA, send_at: '2026-11-29T02:30:00Z' }); // 21:30 NY
    expect(res.json.messages[0]).toMatchObject({ status: 'scheduled', scheduled_at: '2026-11-29T13:00:00.000Z' });
    now = new Date('2026-11-28T03:30:00Z');
    const urgent = await f.post('/sms/send', { to: '+14155550305', body: 'Your door code is 4412', location_id: f.locationA, bypass_quiet_hours: true });
    expect(urgent.json.messages[0]).toMatchObject({ status: 'queued', scheduled_at: null });
    const [job] = (await f.jobs()).filter((j) => j.payload.messageId === urgent.json.message_ids[0]);
    expect(job!.run_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('sends a past send_at at once and refuses one more than a year ahead', async () => {
    const past = await f.post('/sms/send', { to: '+14155550306', body: 'x', location_id: f.locationA, send_at: '2026-11-27T00:00:00Z' });
    expect(past.json.messages[0]).toMatchObject({ status: 'queued', scheduled_at: null });
    const far = await f.post('/sms/send', { to: '+14155550307', body: 'x', send_at: '2028-01-01T00:00:00Z' });
    expect(far.status).toBe(422);
    expect(far.json.detail[0].loc).toEqual(['body', 'send_at']);
    const bad = await f.post('/sms/send', { to: '+14155550307', body: 'x', send_at: 'tomorrow' });
    expect(bad.status).toBe(422);
  });
});
