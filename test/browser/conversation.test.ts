// The conversation pane in Chromium, as two staff members use it at once: a reply by SMS that the
// other sees live with its delivery tick moving to delivered, a note with an @mention that reaches
// the one mentioned (and their Mentions count), a failed message with its reason and a Retry that
// works, and the pane at phone width. Outbound messages go through the worker's real send and
// delivery-report tasks (runJobs) with the sandbox SMS provider; the one failure is the provider's
// answer for one number, once.
import type { Request } from 'playwright-core';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxSmsChannel } from '../../src/channels/sandbox/createSandboxSmsChannel.js';
import type { SmsChannel } from '../../src/channels/types.js';
import type { Deps } from '../../src/domain/deps.js';
import { browserAvailable } from '../helpers/browser.js';
import {
  listRow,
  startInboxBrowserApp,
  TWILIO_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN,
  UI_TIMEOUT,
  viewCount,
  waitForViewCount,
  type InboxBrowserApp,
  type InboxPage,
  expectClean,
} from '../helpers/inboxBrowser.js';
import { runJobs } from '../helpers/jobs.js';

/** The GraphQL operation a request of the app carries (urql: GET ?operationName= for queries, else the JSON body), or null. */
function operationName(r: Request): string | null {
  const url = new URL(r.url());
  if (url.pathname !== '/graphql') return null;
  const fromUrl = url.searchParams.get('operationName');
  if (fromUrl) return fromUrl;
  try {
    return (JSON.parse(r.postData() ?? '{}') as { operationName?: string }).operationName ?? null;
  } catch {
    return null;
  }
}

const pane = (p: InboxPage) => p.page.locator('[data-conversation-pane]');
const message = (p: InboxPage, text: string) => p.page.locator('[data-message-id]', { hasText: text });

async function openConversation(p: InboxPage, clientName: string): Promise<string> {
  await listRow(p.page, clientName).click();
  await pane(p).locator('.pane-title', { hasText: clientName }).waitFor({ timeout: UI_TIMEOUT });
  return (await pane(p).getAttribute('data-conversation-id'))!;
}

describe.skipIf(!browserAvailable())('the conversation pane', () => {
  let app: InboxBrowserApp;
  let worker: Deps;
  /** Numbers whose next send the provider refuses (then accepts), to show a failure and its retry. */
  const refuseOnce = new Set<string>();
  const signIn: InboxBrowserApp['signIn'] = (...args) => app.signIn(...args);

  beforeAll(async () => {
    app = await startInboxBrowserApp();
    // The worker sends through the sandbox provider (nothing leaves the machine), delivery reports at once.
    const sandbox = createSandboxSmsChannel({ reportAfterMs: 0 });
    const sms: SmsChannel = {
      ...sandbox,
      async send(request) {
        if (refuseOnce.delete(request.to)) return { ok: false, kind: 'permanent', provider: 'sandbox', code: '30007', message: 'Message filtered by the carrier', httpStatus: 400 };
        return sandbox.send(request);
      },
    };
    worker = { ...app.t.deps, channels: { ...app.t.deps.channels, sms } };
    // Quiet hours around now in the business's time zone, so the composer warns and "send anyway" is used.
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
    const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
    await app.graphql(`mutation($input: UpdateBusinessSettingsInput!) { updateBusinessSettings(input: $input) { id } }`, {
      input: { businessId: app.businessId, quietHours: { start: hh(hour - 1), end: hh(hour + 2) } },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('shows one staff member’s SMS reply live to the other, its tick moving to delivered', async () => {
    const [maya, jonas] = await Promise.all([signIn(app.staff.maya), signIn(app.staff.jonas)]);
    const conversationId = await openConversation(maya, 'Emma Brown');
    expect(await openConversation(jonas, 'Emma Brown')).toBe(conversationId);
    // From here, Jonas's pane follows the events alone: it never asks for the conversation again.
    const jonasOperations: string[] = [];
    const mayaOperations: string[] = [];
    jonas.page.on('request', (r) => {
      const op = operationName(r);
      if (op) jonasOperations.push(op);
    });
    maya.page.on('request', (r) => {
      const op = operationName(r);
      if (op) mayaOperations.push(op);
    });

    // The composer counts segments (an em dash makes it Unicode) and warns of quiet hours.
    const body = 'See you at 3 — your chair is ready';
    await maya.page.locator('#composer-input').fill(body);
    await expect.poll(() => maya.page.getByTestId('segment-counter').textContent()).toContain('1 SMS · Unicode');
    await maya.page.getByTestId('quiet-hours').waitFor({ timeout: UI_TIMEOUT });
    expect(await maya.page.getByTestId('quiet-hours').textContent()).toContain('will be scheduled');
    await maya.page.getByTestId('bypass-quiet-hours').check();
    await maya.page.locator('#composer-input').press('Control+Enter');

    // Both see it at once (Maya's from the send, Jonas's from the live event), queued.
    for (const p of [maya, jonas]) {
      await message(p, body).waitFor({ timeout: UI_TIMEOUT });
      expect(await message(p, body).locator('.cp-author').textContent()).toBe('Maya Lopez');
    }
    expect(await maya.page.locator('#composer-input').inputValue()).toBe('');
    const tick = (p: InboxPage) => message(p, body).getByTestId('status-tick').getAttribute('data-tick');
    expect(['pending', 'sent', 'delivered']).toContain(await tick(jonas));

    // The worker sends it and the sandbox reports it delivered: the tick moves for both, no reload.
    await runJobs(worker, { only: ['send_sms', 'sandbox_delivery_report'] });
    for (const p of [maya, jonas]) await expect.poll(() => tick(p), { timeout: UI_TIMEOUT }).toBe('delivered');
    expect(await message(jonas, body).count()).toBe(1);
    expect(mayaOperations).toContain('PaneSendSms'); // the requests are seen, and named
    expect(jonasOperations.filter((op) => op === 'ConversationPane' || op === 'OlderMessages')).toEqual([]);
    await app.screenshot(jonas.page, 'conversation-delivered');
    await expectClean(maya, jonas);
  });

  it('brings a note with an @mention to the one mentioned, and into their Mentions count', async () => {
    const [maya, jonas] = await Promise.all([signIn(app.staff.maya), signIn(app.staff.jonas)]);
    await openConversation(maya, 'Olivia Smith');
    await openConversation(jonas, 'Olivia Smith');
    const mentionsBefore = await viewCount(jonas.page, 'mentions');

    await maya.page.getByTestId('composer-mode-note').click();
    const input = maya.page.locator('#composer-input');
    await input.pressSequentially('Can @Jon');
    await maya.page.getByTestId('mention-menu').getByText('Jonas Berg').waitFor({ timeout: UI_TIMEOUT });
    await input.press('Enter');
    await input.pressSequentially('call her back about Friday?');
    expect(await input.inputValue()).toBe('Can @Jonas Berg call her back about Friday?');
    await maya.page.getByTestId('send-button').click();

    const note = message(jonas, 'call her back about Friday?');
    await note.waitFor({ timeout: UI_TIMEOUT });
    expect(await note.getAttribute('data-channel')).toBe('note');
    expect(await note.locator('.cp-mention-me').textContent()).toBe('@Jonas Berg');
    await waitForViewCount(jonas.page, 'mentions', mentionsBefore + 1);
    await app.screenshot(jonas.page, 'conversation-mention');
    await expectClean(maya, jonas);
  });

  it('shows a failed message with the provider’s reason, and Retry sends it', async () => {
    const maya = await signIn(app.staff.maya);
    // Liam's message is unread; opening the conversation marks it read and the badge clears live.
    expect(Number(await listRow(maya.page, 'Liam Johnson').getAttribute('data-unread'))).toBeGreaterThan(0);
    await openConversation(maya, 'Liam Johnson');
    await expect.poll(() => listRow(maya.page, 'Liam Johnson').getAttribute('data-unread'), { timeout: UI_TIMEOUT }).toBe('0');
    refuseOnce.add('+14155550102');
    const body = 'Your gift card is ready to collect';
    await maya.page.locator('#composer-input').fill(body);
    await maya.page.getByTestId('bypass-quiet-hours').check({ timeout: UI_TIMEOUT }); // quiet hours now (beforeAll)
    await maya.page.getByTestId('send-button').click();
    await message(maya, body).waitFor({ timeout: UI_TIMEOUT });

    await runJobs(worker, { only: ['send_sms', 'sandbox_delivery_report'] });
    const sent = message(maya, body);
    await expect.poll(() => sent.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('failed');
    expect(await sent.getByTestId('failure-reason').textContent()).toBe('Message filtered by the carrier (30007)');
    await app.screenshot(maya.page, 'conversation-failed');

    await sent.getByTestId('retry-button').click();
    await expect.poll(() => sent.getAttribute('data-status'), { timeout: UI_TIMEOUT }).not.toBe('failed');
    await runJobs(worker, { only: ['send_sms', 'sandbox_delivery_report'] });
    await expect.poll(() => sent.getByTestId('status-tick').getAttribute('data-tick'), { timeout: UI_TIMEOUT }).toBe('delivered');
    expect(await sent.getByTestId('failure-reason').count()).toBe(0);
    await expectClean(maya);
  });

  it('sends a saved reply as the client gets it, and snoozing moves the conversation into the other’s Snoozed view', async () => {
    await app.graphql(`mutation($input: CreateSavedReplyInput!) { createSavedReply(input: $input) { id } }`, {
      input: { businessId: app.businessId, name: 'Running late', shortcut: 'late', channel: 'sms', body: 'Hi {{client.first_name}}, no problem: see you soon at {{location.name}}.' },
    });
    const [maya, jonas] = await Promise.all([signIn(app.staff.maya), signIn(app.staff.jonas)]);
    await openConversation(maya, 'Ava Miller');
    // "/" in the empty composer opens the saved replies (the button does too); typing filters them.
    await maya.page.getByTestId('saved-replies').waitFor({ timeout: UI_TIMEOUT });
    await maya.page.locator('#composer-input').pressSequentially('/');
    await maya.page.getByRole('textbox', { name: 'Saved replies' }).pressSequentially('runn');
    await maya.page.keyboard.press('Enter');
    const preview = maya.page.getByTestId('saved-reply-preview');
    await expect.poll(() => preview.locator('.cp-preview-body').textContent(), { timeout: UI_TIMEOUT }).toMatch(/^Hi Ava, no problem: see you soon at .+\.$/);
    const rendered = (await preview.locator('.cp-preview-body').textContent())!;
    await maya.page.getByTestId('bypass-quiet-hours').check({ timeout: UI_TIMEOUT }); // quiet hours now (beforeAll)
    await maya.page.getByTestId('send-button').click();
    await message(maya, rendered).waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => listRow(jonas.page, 'Ava Miller').locator('.row-preview').textContent(), { timeout: UI_TIMEOUT }).toContain('Hi Ava');

    const snoozedBefore = await viewCount(jonas.page, 'snoozed');
    await maya.page.getByTestId('pane-snooze').click();
    await maya.page.getByRole('option', { name: 'Tomorrow (9:00)' }).click();
    await expect.poll(() => maya.page.locator('.cp-subtitle').textContent(), { timeout: UI_TIMEOUT }).toContain('Snoozed until');
    // The API's inbox view keeps snoozed conversations (everything but archived); the Snoozed view gains it.
    await waitForViewCount(jonas.page, 'snoozed', snoozedBefore + 1);
    await expectClean(maya, jonas);
  });

  it('shows the API’s refusal of an email, schedules it with a subject for later, and edits the client in the panel', async () => {
    const maya = await signIn(app.staff.maya);
    await openConversation(maya, 'Emma Brown');
    await maya.page.getByTestId('composer-mode-email').click();
    await maya.page.locator('#composer-input').fill('We look forward to seeing you.');
    // Without a subject and no earlier email to reply to, the API refuses it: its message is shown.
    await maya.page.getByTestId('send-button').click();
    const refused = maya.page.getByTestId('composer-error');
    await refused.waitFor({ timeout: UI_TIMEOUT });
    expect(await refused.textContent()).toContain('has no earlier email in its conversation to reply to');
    await maya.page.getByTestId('composer-subject').fill('Your booking on Friday');
    await maya.page.getByTestId('schedule-button').click();
    expect(await maya.page.getByTestId('send-button').textContent()).toBe('Schedule');
    await maya.page.getByTestId('send-button').click();
    const email = message(maya, 'We look forward to seeing you.');
    await email.waitFor({ timeout: UI_TIMEOUT });
    expect(await refused.count()).toBe(0);
    expect(await email.getAttribute('data-channel')).toBe('email');
    expect(await email.locator('.cp-subject').textContent()).toBe('Your booking on Friday');
    expect(await email.getAttribute('data-status')).toBe('scheduled');
    expect(await email.locator('.cp-scheduled').textContent()).toMatch(/^Scheduled for /);

    // The client panel edits the client (updateClient): her groups.
    const panel = maya.page.getByTestId('client-panel');
    await panel.getByTestId('edit-client').click();
    await panel.getByLabel('Groups (comma-separated)').fill('new, prefers-email');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.locator('.badge', { hasText: 'prefers-email' }).waitFor({ timeout: UI_TIMEOUT });
    const saved = await app.graphql(`{ clients(businessId: "${app.businessId}", search: "Emma Brown", first: 1) { edges { node { groups } } } }`);
    expect(saved.clients.edges[0].node.groups).toEqual(['new', 'prefers-email']);
    await expectClean(maya);
  });

  it('pins, mutes and marks a conversation unread from the pane', async () => {
    const maya = await signIn(app.staff.maya);
    await openConversation(maya, 'Olivia Smith');
    const more = async (action: string) => {
      await maya.page.getByTestId('pane-more').click();
      await maya.page.getByRole('option', { name: action }).click();
    };
    await more('Pin');
    await expect.poll(() => maya.page.locator('.cp-subtitle').textContent(), { timeout: UI_TIMEOUT }).toContain('Pinned');
    await more('Mute');
    await expect.poll(() => maya.page.locator('.cp-subtitle').textContent(), { timeout: UI_TIMEOUT }).toContain('Muted');
    await more('Unpin');
    await expect.poll(() => maya.page.locator('.cp-subtitle').textContent(), { timeout: UI_TIMEOUT }).not.toContain('Pinned');
    // Mark unread closes the conversation; its row shows it unread again.
    await more('Mark unread');
    await pane(maya).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await expect.poll(async () => Number(await listRow(maya.page, 'Olivia Smith').getAttribute('data-unread')), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    await expectClean(maya);
  });

  it('shows a client’s phone call live in the conversation', async () => {
    const jonas = await signIn(app.staff.jonas);
    await openConversation(jonas, 'Emma Brown');
    const before = await jonas.page.locator('[data-message-id][data-channel="voice"]').count();
    // Emma calls the Uptown number (her conversation's location): Twilio's signed voice webhook (the call becomes a voice message).
    const url = `${app.baseUrl}/voice-calls/twiml`;
    const params: Record<string, string> = {
      AccountSid: TWILIO_ACCOUNT_SID,
      ApiVersion: '2010-04-01',
      CallSid: `CA${'e2'.repeat(16)}`,
      CallStatus: 'ringing',
      Direction: 'inbound',
      From: '+14155550103',
      Caller: '+14155550103',
      To: '+15005550007',
      Called: '+15005550007',
    };
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);
    const calls = jonas.page.locator('[data-message-id][data-channel="voice"]');
    await expect.poll(() => calls.count(), { timeout: UI_TIMEOUT }).toBe(before + 1);
    expect(await calls.last().locator('.cp-call').textContent()).toMatch(/call/i);
    // A client message to the open conversation is read at once: no unread badge stays on its row.
    await app.twilioInbound({ from: '+14155550103', to: '+15005550007', body: 'Did you get my call?' });
    await message(jonas, 'Did you get my call?').waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => listRow(jonas.page, 'Emma Brown').getAttribute('data-unread'), { timeout: UI_TIMEOUT }).toBe('0');
    await app.screenshot(jonas.page, 'conversation-call');
    await expectClean(jonas);
  });

  it('fills a phone-width screen with the conversation, the composer in reach and no horizontal scroll', async () => {
    const aiko = await signIn(app.staff.aiko, { viewport: { width: 390, height: 844 } });
    await openConversation(aiko, 'Emma Brown');
    const back = aiko.page.getByTestId('pane-back');
    expect(await back.isVisible()).toBe(true);
    const composer = await aiko.page.locator('#composer-input').boundingBox();
    expect(composer).not.toBeNull();
    expect(composer!.y + composer!.height).toBeLessThanOrEqual(844);
    expect(composer!.x + composer!.width).toBeLessThanOrEqual(390);
    expect(await aiko.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await app.screenshot(aiko.page, 'conversation-phone');
    // The client panel, beside the pane on a wide screen, opens over it here.
    await aiko.page.getByTestId('pane-client-details').click();
    await aiko.page.getByTestId('client-drawer').getByTestId('client-name').getByText('Emma Brown').waitFor({ timeout: UI_TIMEOUT });
    expect(await aiko.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await app.screenshot(aiko.page, 'conversation-phone-client');
    await aiko.page.getByTestId('pane-client-details').click();
    await aiko.page.locator('#composer-input').fill('A draft for later');
    await back.click();
    await listRow(aiko.page, 'Emma Brown').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    // The unsent text waits in its conversation.
    await openConversation(aiko, 'Emma Brown');
    expect(await aiko.page.locator('#composer-input').inputValue()).toBe('A draft for later');
    await expectClean(aiko);
  });
});
