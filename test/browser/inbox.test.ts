// The inbox web app in Chromium, as staff use it: signed in through sign-in links, two staff
// members at once, with client messages arriving through Twilio's signed webhook. Everything
// asserted is what a person sees (rows, counts, banners), waited for with a deadline.
import type { Locator, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.js';
import { listRow, startInboxBrowserApp, UI_TIMEOUT, viewCount, waitForViewCount, type InboxBrowserApp, type InboxPage, expectClean } from '../helpers/inboxBrowser.js';
import { waitFor } from '../helpers/waitFor.js';

/** A locator's text now, or null while it is not there (a poll must not wait inside one try). */
const text = (locator: Locator) =>
  locator
    .first()
    .textContent({ timeout: 250 })
    .catch(() => null);

const rowNames = (p: InboxPage) => p.page.locator('[data-testid="conversation-list"] .row .row-name').allTextContents();

describe.skipIf(!browserAvailable())('the inbox web app', () => {
  let app: InboxBrowserApp;
  const signIn: InboxBrowserApp['signIn'] = (...args) => app.signIn(...args);

  beforeAll(async () => {
    app = await startInboxBrowserApp({ demoSignIn: true });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('shows a client message from a signed Twilio webhook live to two staff members, new clients and known ones', async () => {
    const [maya, jonas] = await Promise.all([signIn(app.staff.maya), signIn(app.staff.jonas)]);
    await app.screenshot(maya.page, 'inbox-list');

    const sent = await app.twilioInbound({ from: '+14155550177', body: 'Hi, do you do gift cards?' });
    expect(sent.status).toBe(200);
    for (const p of [maya, jonas]) {
      const row = p.page.locator('[data-testid="conversation-list"] .row').first();
      await expect.poll(() => text(row.locator('.row-preview')), { timeout: UI_TIMEOUT }).toContain('Hi, do you do gift cards?');
      await expect.poll(() => row.getAttribute('data-unread'), { timeout: UI_TIMEOUT }).toBe('1');
    }

    // A known client's message moves their conversation to the top, with its unread badge.
    await app.twilioInbound({ from: '+14155550103', body: 'Running late, be there at 3:15' });
    for (const p of [maya, jonas]) {
      const top = p.page.locator('[data-testid="conversation-list"] .row').first();
      await expect.poll(() => text(top.locator('.row-preview')), { timeout: UI_TIMEOUT }).toContain('Running late, be there at 3:15');
      expect(await top.locator('.row-name').textContent()).toBe('Emma Brown');
      await expect.poll(() => text(top.locator('.unread-dot')), { timeout: UI_TIMEOUT }).toBe('1');
    }
    // Each conversation is listed once, however many events came (a client may have one per location).
    const ids = await maya.page.locator('[data-testid="conversation-list"] .row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-conversation-id')));
    expect(new Set(ids).size).toBe(ids.length);

    await maya.page.locator('[data-testid="conversation-list"] .row').first().click();
    await maya.page.locator('[data-message-id]', { hasText: 'Running late, be there at 3:15' }).waitFor({ timeout: UI_TIMEOUT });
    await app.screenshot(maya.page, 'inbox-conversation');
    await expectClean(maya, jonas);
  });

  it('moves a conversation between views live when it is assigned and archived, and the counts follow', async () => {
    const [maya, jonas] = await Promise.all([signIn(app.staff.maya, { path: '/inbox/unassigned' }), signIn(app.staff.jonas, { path: '/inbox/mine' })]);
    await listRow(maya.page, 'Liam Johnson').waitFor({ timeout: UI_TIMEOUT });
    const unassignedBefore = await viewCount(maya.page, 'unassigned');
    const archivedBefore = await viewCount(jonas.page, 'archived');
    expect(await rowNames(jonas)).not.toContain('Liam Johnson');

    // Maya opens it and assigns it to Jonas from the keyboard (a, type, Enter).
    await listRow(maya.page, 'Liam Johnson').click();
    await maya.page.keyboard.press('a');
    await maya.page.getByRole('textbox', { name: 'Assign to…' }).fill('Jonas');
    await maya.page.keyboard.press('Enter');

    await listRow(jonas.page, 'Liam Johnson').waitFor({ timeout: UI_TIMEOUT });
    await listRow(maya.page, 'Liam Johnson').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await waitForViewCount(maya.page, 'unassigned', unassignedBefore - 1);
    await waitForViewCount(jonas.page, 'mine', 1);

    // Archived from Maya's keyboard (e): it leaves Jonas's Mine and counts in Archived.
    await maya.page.keyboard.press('e');
    await listRow(jonas.page, 'Liam Johnson').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await waitForViewCount(jonas.page, 'archived', archivedBefore + 1);
    await jonas.page.locator('.nav-item[data-view="archived"]').click();
    await listRow(jonas.page, 'Liam Johnson').waitFor({ timeout: UI_TIMEOUT });
    await expectClean(maya, jonas);
  });

  it('shows a banner when the socket drops and resumes after its last event: nothing missed, nothing twice', async () => {
    let offline = false;
    const sockets: { page: WebSocketRoute; server: WebSocketRoute; open: boolean }[] = [];
    const subscribes: string[] = [];
    const received: string[] = [];
    const maya = await signIn(app.staff.maya, {
      setup: (w) =>
        w.context.routeWebSocket('**/graphql', (ws) => {
          // While "offline" every connection is dropped at once, as a lost network would.
          if (offline) return void ws.close({ code: 1012, reason: 'offline (test)' });
          const socket = { page: ws, server: ws.connectToServer(), open: true };
          sockets.push(socket);
          ws.onMessage((m) => {
            if (String(m).includes('"subscribe"')) subscribes.push(String(m));
            socket.server.send(m);
          });
          // What the page received: frames of a socket dropped below are not delivered.
          socket.server.onMessage((m) => {
            if (!socket.open) return;
            received.push(String(m));
            ws.send(m);
          });
        }),
    });
    const created = () => received.filter((m) => m.includes('"MESSAGE_CREATED"')).map((m) => JSON.parse(m).payload.data.inboxEvents as { cursor: string; messageId: string });

    await app.twilioInbound({ from: '+14155550104', body: 'Before the drop' });
    await waitFor('the first event', () => created().length === 1, UI_TIMEOUT);
    const lastCursor = created()[0]!.cursor;

    offline = true;
    for (const s of sockets.filter((x) => x.open)) {
      s.open = false;
      await s.page.close({ code: 1012, reason: 'dropped (test)' });
      await s.server.close();
    }
    await maya.page.getByTestId('connection-banner').waitFor({ timeout: UI_TIMEOUT });
    await app.screenshot(maya.page, 'inbox-reconnecting');
    const bodies = ['While away 1', 'While away 2', 'While away 3'];
    for (const body of bodies) expect((await app.twilioInbound({ from: '+14155550104', body })).status).toBe(200);
    offline = false;

    await maya.page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await waitFor(
      'the three messages sent while offline',
      () => created().length === 5,
      UI_TIMEOUT,
      () => JSON.stringify(created()),
    );
    // Resumed one event early (after the cursor it had before the last one: here the starting
    // cursor of its first subscription), so the server's first answer, the last event again,
    // confirmed the resume before the banner went away (web/src/live/resume.ts). The app drops that
    // repeat by its cursor: each message shows once (below).
    const startCursor = /"after":"([^"]+)"/.exec(subscribes[0]!)?.[1];
    expect(startCursor).toBeTruthy();
    expect(subscribes.at(-1)).toContain(`"after":"${startCursor}"`);
    expect(created()[1]!.cursor).toBe(lastCursor);
    const ids = created().map((e) => e.messageId);
    expect(new Set(ids).size).toBe(4);
    await expect.poll(() => text(listRow(maya.page, 'Noah Davis').locator('.row-preview')), { timeout: UI_TIMEOUT }).toContain('While away 3');
    await listRow(maya.page, 'Noah Davis').click();
    for (const body of bodies) await expect.poll(() => maya.page.locator('[data-message-id]', { hasText: body }).count(), { timeout: UI_TIMEOUT }).toBe(1);
    await expectClean(maya);
  });

  it('signs out: the session ends, the server closes the subscription (4401) and the app goes to the sign-in page', async () => {
    // The page's socket goes through the test: what the server does to it is recorded, and the page
    // closing its own side (it does on the sign-in page) is not passed on, so only the server can
    // close the server's side, as it must when the session ends.
    const serverCloses: (number | undefined)[] = [];
    const frames: string[] = [];
    const maya = await signIn(app.staff.maya, {
      setup: (w) =>
        w.context.routeWebSocket('**/graphql', (ws) => {
          const server = ws.connectToServer();
          ws.onMessage((m) => {
            frames.push(`> ${String(m)}`);
            server.send(m);
          });
          server.onMessage((m) => {
            frames.push(`< ${String(m)}`);
            ws.send(m);
          });
          server.onClose((code, reason) => {
            serverCloses.push(code);
            void ws.close({ code, reason }).catch(() => undefined);
          });
          ws.onClose(() => undefined);
        }),
    });
    await waitFor('the subscription', () => frames.some((f) => f.startsWith('> ') && f.includes('"subscribe"')), UI_TIMEOUT);
    // An unsent reply, left in the composer.
    await listRow(maya.page, 'Olivia Smith').click();
    await maya.page.locator('#composer-input').fill('Maya’s unsent reply');
    const stillMaya = () =>
      maya.page.evaluate(async () => {
        const res = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
          body: JSON.stringify({ query: '{ viewer { kind staffId } }' }),
        });
        return { status: res.status, body: await res.text() };
      });

    // Signing out when Omega cannot be reached says so, and stays signed in (the session still works).
    const at = maya.page.url();
    await maya.page.route('**/session/expire', (route) => route.abort('internetdisconnected'), { times: 1 });
    await maya.page.getByTestId('sign-out').click();
    await expect.poll(() => text(maya.page.locator('.toast-error')), { timeout: UI_TIMEOUT }).toBe('Omega could not be reached. Check your connection and try again.');
    expect(maya.page.url()).toBe(at);
    await maya.page.locator('.me-name', { hasText: 'Maya' }).waitFor({ timeout: UI_TIMEOUT });
    expect((await stillMaya()).body).toContain(app.staff.maya);
    expect(serverCloses).toEqual([]);

    // Again, with Omega there: the session ends, the server closes the socket with 4401 (unauthorized).
    await maya.page.getByTestId('sign-out').click();
    await maya.page.waitForURL((url) => url.pathname === '/inbox/sign-in', { timeout: UI_TIMEOUT });
    await waitFor('the server to close the socket', () => serverCloses.length > 0, UI_TIMEOUT);
    expect(serverCloses).toEqual([4401]);
    const after = frames.length;
    await app.twilioInbound({ from: '+14155550101', body: 'After sign-out' });
    expect((await stillMaya()).body).not.toContain(app.staff.maya);
    // Opening the inbox (another tab of this browser) asks to sign in again.
    const other = await maya.context.newPage();
    await other.goto(`${app.baseUrl}/inbox`);
    await other.waitForURL((url) => url.pathname === '/inbox/sign-in', { timeout: UI_TIMEOUT });
    await other.close();
    expect(frames.slice(after).filter((f) => f.includes('After sign-out'))).toEqual([]);
    await app.screenshot(maya.page, 'sign-in');

    // The next person to sign in on this tab (no reload) is themselves, with nothing of the last
    // session: not Maya's unsent reply either.
    await maya.page.goto(await app.signInLink(app.staff.jonas));
    await maya.page.locator('.me-name', { hasText: 'Jonas Berg' }).waitFor({ timeout: UI_TIMEOUT });
    await listRow(maya.page, 'Olivia Smith').click();
    await maya.page.locator('[data-conversation-pane] .pane-title', { hasText: 'Olivia Smith' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await maya.page.locator('#composer-input').inputValue()).toBe('');
    await expectClean(maya);
  });

  it('tells a person that a used sign-in link was used, in words', async () => {
    const link = await app.signInLink(app.staff.aiko);
    const first = await app.browser.open();
    const second = await app.browser.open();
    try {
      await first.page.goto(link);
      await first.page.waitForURL((url) => url.pathname === '/inbox', { timeout: UI_TIMEOUT });
      await second.page.goto(link);
      await expect.poll(() => text(second.page.getByRole('alert')), { timeout: UI_TIMEOUT }).toBe('This sign-in link was already used. Ask for a new one.');
      expect(second.page.url()).not.toContain('#token');
    } finally {
      await first.context.close();
      await second.context.close();
    }
  });

  it('signs in as a demo staff member in one click on the demo', async () => {
    const w = await app.browser.open();
    try {
      await w.page.goto(`${app.baseUrl}/inbox`);
      await w.page.waitForURL((url) => url.pathname === '/inbox/sign-in', { timeout: UI_TIMEOUT });
      await w.page.getByRole('button', { name: /Jonas Berg/ }).click();
      await w.page.waitForURL((url) => url.pathname === '/inbox', { timeout: UI_TIMEOUT });
      await w.page.locator('.me-name', { hasText: 'Jonas Berg' }).waitFor({ timeout: UI_TIMEOUT });
    } finally {
      await w.context.close();
    }
  });

  it('loads the inbox again when its cursor expired while it was away (CURSOR_EXPIRED)', async () => {
    const sockets: WebSocketRoute[] = [];
    // Sockets opened from this index on answer their first `subscribe` as the API answers a cursor
    // older than the log keeps. Only sockets opened after the drop: a `subscribe` still on its way
    // through the old socket when it is closed must not take that answer (it would be lost with it).
    let expireFrom = Infinity;
    let expired = false;
    let forwarded = 0;
    const maya = await signIn(app.staff.maya, {
      setup: (w) =>
        w.context.routeWebSocket('**/graphql', (ws) => {
          const index = sockets.push(ws) - 1;
          const server = ws.connectToServer();
          ws.onMessage((m) => {
            const msg = JSON.parse(String(m));
            if (msg.type === 'subscribe') {
              if (index >= expireFrom && !expired) {
                expired = true;
                ws.send(JSON.stringify({ id: msg.id, type: 'error', payload: [{ message: 'cursor is older than the event log keeps', extensions: { code: 'CURSOR_EXPIRED' } }] }));
                return;
              }
              forwarded += 1;
            }
            server.send(m);
          });
        }),
    });
    let asked = 0;
    maya.page.on('request', (r) => {
      // (urql sends queries as GET when they fit in the URL.)
      if (new URL(r.url()).pathname === '/graphql' && decodeURIComponent(r.url() + (r.postData() ?? '')).includes('inboxEventCursor')) asked += 1;
    });
    // The list can be painted before the app has subscribed: drop the socket only once it has.
    await waitFor('the live subscription', () => forwarded >= 1, UI_TIMEOUT);
    expireFrom = sockets.length;
    for (const s of sockets) await s.close({ code: 1012, reason: 'dropped (test)' });
    await waitFor('a new cursor (the state loaded again)', () => asked >= 1, UI_TIMEOUT);
    expect(expired).toBe(true);
    await maya.page.locator('[data-testid="conversation-list"][aria-busy="false"] .row').first().waitFor({ timeout: UI_TIMEOUT });
    // Live again on the new cursor: a new message shows.
    await app.twilioInbound({ from: '+14155550105', body: 'After the reload' });
    await expect.poll(() => text(listRow(maya.page, 'Ava Miller').first().locator('.row-preview')), { timeout: UI_TIMEOUT }).toContain('After the reload');
    await expect.poll(() => maya.page.getByTestId('connection-banner').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expectClean(maya);
  });

  it('filters the list by location, and keeps to the filter as events arrive', async () => {
    const maya = await signIn(app.staff.maya);
    await maya.page.getByRole('button', { name: 'Filters' }).click();
    const location = maya.page.getByRole('combobox', { name: 'Location' });
    const uptown = await location.locator('option').evaluateAll((options) => (options as HTMLOptionElement[]).find((o) => o.text.startsWith('Uptown Studio'))!.value);
    await location.selectOption(uptown);
    await expect.poll(() => maya.page.locator('[data-testid="conversation-list"][aria-busy="false"] .row').count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    const uptownIds = await maya.page.locator('[data-testid="conversation-list"] .row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-conversation-id')));
    const api = await app.graphql('query ($b: String!, $l: String!) { conversations(businessId: $b, first: 50, filter: { locationId: $l }) { edges { node { conversationId } } } }', {
      b: app.businessId,
      l: uptown,
    });
    expect(uptownIds).toEqual(api.conversations.edges.map((e: any) => e.node.conversationId));
    await app.screenshot(maya.page, 'inbox-filtered');

    // A new client writing to Downtown's number stays out of the Uptown list, once its event is here.
    await app.twilioInbound({ from: '+14155550166', body: 'Downtown only' });
    await waitFor('the event in the page', () => maya.wsFrames.some((f) => f.startsWith('< ') && f.includes('Downtown only')), UI_TIMEOUT);
    await maya.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(await maya.page.locator('[data-testid="conversation-list"] .row', { hasText: 'Downtown only' }).count()).toBe(0);
    expect(await maya.page.locator('[data-testid="conversation-list"] .row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-conversation-id')))).toEqual(uptownIds);
    await expectClean(maya);
  });

  it('works at phone width (390x844): the list, then a conversation with a way back, no horizontal scroll', async () => {
    const maya = await signIn(app.staff.maya, { viewport: { width: 390, height: 844 } });
    const noSideScroll = () => maya.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth);
    expect(await noSideScroll()).toBe(true);
    await app.screenshot(maya.page, 'phone-list');
    await listRow(maya.page, 'Olivia Smith').click();
    const list = maya.page.getByTestId('conversation-list');
    await expect.poll(() => list.isVisible(), { timeout: UI_TIMEOUT }).toBe(false);
    await maya.page.locator('[data-message-id]').first().waitFor({ timeout: UI_TIMEOUT });
    const composer = maya.page.locator('#composer-input');
    await composer.waitFor({ timeout: UI_TIMEOUT });
    expect(await composer.isVisible()).toBe(true);
    const box = await composer.boundingBox();
    expect(box && box.y + box.height <= 844 && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    expect(await noSideScroll()).toBe(true);
    await app.screenshot(maya.page, 'phone-conversation');
    await maya.page.getByRole('button', { name: 'Back to the list' }).click();
    await expect.poll(() => list.isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    await expectClean(maya);
  });

  it('pages the list as it scrolls (keyset, no row twice), moves with j/k and searches messages and clients', async () => {
    const to = '+15005550006';
    await Promise.all(
      Array.from({ length: 36 }, (_, i) =>
        app.graphql('mutation ($input: RecordSmsInput!) { recordSms(input: $input) { messageId } }', {
          input: { businessId: app.businessId, direction: 'inbound', from: `+1415555${String(2000 + i)}`, to, body: `Paging test ${i}` },
        }),
      ),
    );
    const total = (await app.graphql('query ($b: String!) { conversationFilters(businessId: $b) { views { value count } } }', { b: app.businessId })).conversationFilters.views.find(
      (v: any) => v.value === 'inbox',
    ).count as number;
    expect(total).toBeGreaterThan(30);
    const maya = await signIn(app.staff.maya);
    const rows = maya.page.locator('[data-testid="conversation-list"] .row');
    expect(await rows.count()).toBe(30);
    await rows.last().scrollIntoViewIfNeeded();
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(total);
    const ids = await rows.evaluateAll((els) => els.map((r) => r.getAttribute('data-conversation-id')));
    expect(new Set(ids).size).toBe(total);

    // j opens the first conversation, j the next, k back.
    await maya.page.locator('body').click({ position: { x: 5, y: 5 } });
    await maya.page.keyboard.press('j');
    await maya.page.waitForURL((url) => url.pathname.endsWith(`/c/${ids[0]}`), { timeout: UI_TIMEOUT });
    await maya.page.keyboard.press('j');
    await maya.page.waitForURL((url) => url.pathname.endsWith(`/c/${ids[1]}`), { timeout: UI_TIMEOUT });
    await maya.page.keyboard.press('k');
    await maya.page.waitForURL((url) => url.pathname.endsWith(`/c/${ids[0]}`), { timeout: UI_TIMEOUT });

    // r puts the cursor in the composer; Escape leaves it.
    await maya.page.locator('#composer-input').waitFor({ timeout: UI_TIMEOUT });
    await maya.page.keyboard.press('r');
    await expect.poll(() => maya.page.evaluate(() => document.activeElement?.id), { timeout: UI_TIMEOUT }).toBe('composer-input');
    await maya.page.keyboard.press('Escape');
    expect(await maya.page.evaluate(() => document.activeElement?.id)).not.toBe('composer-input');

    // / focuses search; a message's words and a client's name both find them.
    await maya.page.keyboard.press('/');
    await maya.page.keyboard.type('paging test');
    await maya.page.waitForURL((url) => url.pathname === '/inbox/search' && url.searchParams.get('q') === 'paging test', { timeout: UI_TIMEOUT });
    const results = maya.page.getByTestId('search-results');
    await expect.poll(() => text(results.locator('.snippet mark').first()), { timeout: UI_TIMEOUT }).toMatch(/paging/i);
    await maya.page.getByRole('searchbox').fill('Olivia');
    await expect.poll(() => text(results.locator('.row-client .row-name').first()), { timeout: UI_TIMEOUT }).toBe('Olivia Smith');
    await app.screenshot(maya.page, 'inbox-search');
    await results.locator('.row-client').first().click();
    await maya.page.waitForURL((url) => url.pathname.startsWith('/inbox/search/c/'), { timeout: UI_TIMEOUT });
    await expectClean(maya);
  }, 60_000);
});
