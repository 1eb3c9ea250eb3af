import { describe, expect, it } from 'vitest';
import type { ProviderSms } from '../../src/channels/types.js';
import { CLOCK_MARGIN_MS, matchInterruptedSms, utcDay, type InterruptedSms } from '../../src/domain/sending/matchInterruptedSms.js';

// Which of the provider's listed messages can be the interrupted attempt's: pure rules, no I/O.
describe('matchInterruptedSms', () => {
  const claimedAt = new Date('2026-11-28T10:00:00.500Z');
  const attempt: InterruptedSms = { to: '+14155550100', sender: { from: '+15005550006' }, body: 'See you at 3pm', numMedia: 0, claimedAt };
  const sms = (over: Partial<ProviderSms> = {}): ProviderSms => ({
    providerMessageId: `SM${'0'.repeat(31)}1`,
    direction: 'outbound',
    to: '+14155550100',
    from: '+15005550006',
    messagingServiceSid: null,
    body: 'See you at 3pm',
    numMedia: 0,
    status: 'sent',
    // Twilio's whole seconds: created 0.3 s after the claim, shown 0.5 s before it.
    createdAt: new Date('2026-11-28T10:00:00Z'),
    ...over,
  });

  it('matches the attempt’s message, even shown a little before the claim (whole seconds, clock skew)', () => {
    expect(matchInterruptedSms([sms()], attempt)).toEqual([sms()]);
    expect(matchInterruptedSms([sms({ createdAt: new Date(claimedAt.getTime() - CLOCK_MARGIN_MS) })], attempt)).toHaveLength(1);
  });

  it.each([
    ['a different body', { body: 'See you at 4pm' }],
    ['a body differing only in case', { body: 'see you at 3pm' }],
    ['another sender number', { from: '+15005550007' }],
    ['another recipient', { to: '+14155550101' }],
    ['an older message (before the claim, beyond the margin)', { createdAt: new Date(claimedAt.getTime() - CLOCK_MARGIN_MS - 1) }],
    ['an inbound message', { direction: 'inbound' as const }],
    ['another number of media', { numMedia: 1 }],
    ['an unreadable creation time', { createdAt: new Date(NaN) }],
  ])('does not match %s', (_label, over) => {
    expect(matchInterruptedSms([sms(over)], attempt)).toEqual([]);
  });

  it('matches a messaging service by the service, whatever number it picked, and not a plain number send', () => {
    const viaService: InterruptedSms = { ...attempt, sender: { messagingServiceSid: `MG${'b2'.repeat(16)}`, from: null } };
    expect(matchInterruptedSms([sms({ from: '+15005550042', messagingServiceSid: `MG${'b2'.repeat(16)}` })], viaService)).toHaveLength(1);
    expect(matchInterruptedSms([sms({ messagingServiceSid: `MG${'c3'.repeat(16)}` })], viaService)).toEqual([]);
    expect(matchInterruptedSms([sms({ messagingServiceSid: null })], viaService)).toEqual([]);
  });

  it('lists matches earliest first (the interrupted attempt’s message is the first after its claim)', () => {
    const later = sms({ providerMessageId: `SM${'0'.repeat(31)}2`, createdAt: new Date('2026-11-28T10:05:00Z') });
    const first = sms();
    expect(matchInterruptedSms([later, sms({ body: 'other' }), first], attempt)).toEqual([first, later]);
  });

  it('asks from the UTC day of the margin’s start (a claim just after midnight looks at the day before)', () => {
    expect(utcDay(new Date('2026-11-28T23:59:59.999Z')).toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(utcDay(new Date(new Date('2026-11-28T00:00:30Z').getTime() - CLOCK_MARGIN_MS)).toISOString()).toBe('2026-11-27T00:00:00.000Z');
  });
});
