// The inbox web app end to end: the real app (its built web/dist served by the gateway) on a
// database of this file's own with the demo business, listening on 127.0.0.1, and headless Chromium
// (test/helpers/browser.ts: every page watched for foreign requests, CSP violations and page
// errors). Staff sign in as people do, through a sign-in link; a signed Twilio inbound webhook
// brings client messages in.
import { expect } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import twilio from 'twilio';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { DEMO_BUSINESS_ID, seedDemoBusiness } from '../../src/domain/businesses/seedDemoBusiness.js';
import { launchBrowser, type TestBrowser, type WatchedPage } from './browser.js';
import { startTestApp, type TestApp } from './testApp.js';
import { waitFor } from './waitFor.js';

export const TWILIO_ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const TWILIO_AUTH_TOKEN = 'inbox-browser-auth-token';
/** Where tests save screenshots (git-ignored; CI keeps it as an artefact). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const WEB_DIST_INDEX = fileURLToPath(new URL('../../web/dist/index.html', import.meta.url));

/** Waits in the browser tests are bounded: what never shows fails the test, it does not hang. */
export const UI_TIMEOUT = 15_000;

export interface InboxStaff {
  maya: string;
  jonas: string;
  aiko: string;
}

export interface InboxPage extends WatchedPage {
  staffId: string;
}

export interface SignInOptions {
  /** Where to go once signed in (default /inbox). */
  path?: string;
  viewport?: { width: number; height: number };
  /** Runs on the new page before it opens anything (e.g. context.routeWebSocket). */
  setup?(page: WatchedPage): Promise<void>;
}

export interface InboxBrowserApp {
  t: TestApp;
  browser: TestBrowser;
  /** http://127.0.0.1:<port> (also the app's PUBLIC_BASE_URL). */
  baseUrl: string;
  businessId: string;
  /** A business key of the demo business. */
  apiKey: string;
  staff: InboxStaff;
  /** A sign-in link for a staff member (POST /auth/sign-in-links with the business key). */
  signInLink(staffId: string): Promise<string>;
  /**
   * A new browser context signed in as `staffId` by opening a sign-in link, at `path` (default
   * /inbox) with the list painted. Viewport 1280x800 unless given.
   */
  signIn(staffId: string, options?: SignInOptions): Promise<InboxPage>;
  /** POST /graphql with the business key. */
  graphql(query: string, variables?: Record<string, unknown>): Promise<any>;
  /** An inbound SMS as Twilio sends it, signed with X-Twilio-Signature; to a demo location's number by default. */
  twilioInbound(params: { from: string; body: string; to?: string }): Promise<{ status: number; messageSid: string }>;
  /** Saves a screenshot to test-artifacts/<name>.png. */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** A port free now on 127.0.0.1 (the app's public URL must be known before it is built). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface InboxBrowserAppOptions {
  /** Offer the demo's one-click sign-in on /inbox/sign-in (as `npm start` does on the embedded demo). */
  demoSignIn?: boolean;
}

export async function startInboxBrowserApp(options: InboxBrowserAppOptions = {}): Promise<InboxBrowserApp> {
  if (!existsSync(WEB_DIST_INDEX)) throw new Error('web/dist is not built: run `npm run generate` (npm test builds it when web/ changed)');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await startTestApp({
    depsOptions: { publicBaseUrl: baseUrl, twilio: { accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN } },
    appOptions: { publicBaseUrl: baseUrl, demoSignIn: options.demoSignIn ?? false },
  });
  const started: { browser?: TestBrowser } = {};
  try {
    await seedDemoBusiness(t.deps);
    await t.app.listen({ port, host: '127.0.0.1' });
    const apiKey = (await createApiKey(t.deps, { name: 'inbox browser tests', businessId: DEMO_BUSINESS_ID })).key;
    const staffRows = await t.deps.prisma.staff.findMany({ where: { businessId: DEMO_BUSINESS_ID }, select: { id: true, firstName: true } });
    const staffId = (name: string) => staffRows.find((s) => s.firstName === name)!.id;
    const staff: InboxStaff = { maya: staffId('Maya'), jonas: staffId('Jonas'), aiko: staffId('Aiko') };
    started.browser = await launchBrowser();
    const browser = started.browser;
    const locations = await t.deps.prisma.location.findMany({ where: { businessId: DEMO_BUSINESS_ID }, orderBy: { name: 'asc' }, select: { smsPhoneNumber: true } });
    const defaultTo = locations.find((l) => l.smsPhoneNumber)!.smsPhoneNumber!;
    let sids = 0;

    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as any };
    };

    const app: InboxBrowserApp = {
      t,
      browser,
      baseUrl,
      businessId: DEMO_BUSINESS_ID,
      apiKey,
      staff,
      async signInLink(id) {
        const res = await post('/auth/sign-in-links', { staff_id: id });
        if (res.status !== 201) throw new Error(`sign-in link: ${res.status} ${JSON.stringify(res.json)}`);
        return res.json.url as string;
      },
      async signIn(id, options = {}) {
        const watched = await browser.open();
        await watched.page.setViewportSize(options.viewport ?? { width: 1280, height: 800 });
        await options.setup?.(watched);
        const link = await app.signInLink(id);
        await watched.page.goto(link);
        await watched.page.waitForURL((url) => url.pathname === '/inbox' && url.hash === '', { timeout: UI_TIMEOUT });
        if (options.path && options.path !== '/inbox') await watched.page.goto(`${baseUrl}${options.path}`);
        await watched.page.locator('[data-testid="conversation-list"][aria-busy="false"]').waitFor({ timeout: UI_TIMEOUT });
        return Object.assign(watched, { staffId: id });
      },
      async graphql(query, variables = {}) {
        const res = await post('/graphql', { query, variables });
        if (res.json.errors) throw new Error(`GraphQL: ${JSON.stringify(res.json.errors)}`);
        return res.json.data;
      },
      async twilioInbound({ from, body, to = defaultTo }) {
        sids += 1;
        const messageSid = `SM${String(Date.now()).padStart(16, '0')}${String(sids).padStart(16, '0')}`;
        const params: Record<string, string> = {
          MessageSid: messageSid,
          SmsSid: messageSid,
          SmsMessageSid: messageSid,
          AccountSid: TWILIO_ACCOUNT_SID,
          From: from,
          To: to,
          Body: body,
          NumMedia: '0',
          NumSegments: '1',
          SmsStatus: 'received',
          ApiVersion: '2010-04-01',
        };
        const url = `${baseUrl}/twilio/sms/incoming`;
        const signature = twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, params);
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
          body: new URLSearchParams(params).toString(),
        });
        return { status: res.status, messageSid };
      },
      async screenshot(page, name) {
        mkdirSync(ARTIFACTS_DIR, { recursive: true });
        await page.screenshot({ path: `${ARTIFACTS_DIR}${name}.png` });
      },
      async close() {
        await browser.close();
        await t.close();
      },
    };
    return app;
  } catch (err) {
    await started.browser?.close();
    await t.close();
    throw err;
  }
}

/** The list row of a conversation (by client name), in a page. */
export function listRow(page: Page, clientName: string) {
  return page.locator('[data-testid="conversation-list"] .row', { has: page.locator('.row-name', { hasText: clientName }) });
}

/** The sidebar count of a view (mine, unassigned, archived…), as shown (0 when none). */
export async function viewCount(page: Page, view: string): Promise<number> {
  const text = await page
    .locator(`.nav-item[data-view="${view}"] .count`)
    .textContent({ timeout: 1000 })
    .catch(() => null);
  return text ? Number(text.replace(/\D/g, '')) : 0;
}

/** Waits until a view's count is `n` in the sidebar. */
export async function waitForViewCount(page: Page, view: string, n: number): Promise<void> {
  let last = -1;
  await waitFor(
    `the ${view} count to be ${n}`,
    async () => (last = await viewCount(page, view)) === n,
    UI_TIMEOUT,
    () => `it is ${last}`,
  );
}

/** Nothing left 127.0.0.1, nothing was blocked by the page's policy, nothing threw. */
export async function expectClean(...pages: InboxPage[]): Promise<void> {
  for (const w of pages) {
    await w.page.evaluate(() => 0);
    expect(w.foreign, 'requests to other hosts').toEqual([]);
    expect(w.cspViolations, 'Content-Security-Policy violations').toEqual([]);
    expect(w.pageErrors, 'page errors').toEqual([]);
  }
}
