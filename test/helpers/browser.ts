// Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core (no
// browser is downloaded), with the flags that keep it from reaching for Google's services. Each
// launch gets a fresh --user-data-dir (playwright makes a new temporary one and removes it on
// close), and each page a new context (no storage shared between pages).
//
// Every page a test opens is watched: each request and WebSocket a page or its workers make is
// recorded, and one to any host but 127.0.0.1 is aborted and reported, as is every
// Content-Security-Policy violation and page error. Tests assert that all three lists are empty.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.OMEGA_CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser tests can run here. CI installs Chromium and sets OMEGA_REQUIRE_BROWSER=1, so a
 * missing browser fails there instead of skipping.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.OMEGA_REQUIRE_BROWSER === '1') {
    throw new Error(`OMEGA_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set OMEGA_CHROMIUM_PATH)`);
  }
  return false;
}

export interface TestBrowser {
  browser: Browser;
  /** A new context and page, watched (see watchedPage). */
  open(): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Every URL requested over the network (http, https, ws), in order. */
  requests: string[];
  /** Requests to a host other than 127.0.0.1 (aborted). */
  foreign: string[];
  /** Content-Security-Policy violations: "directive blocked-uri" (page and console reports). */
  cspViolations: string[];
  /** Uncaught page errors. */
  pageErrors: string[];
  /** WebSocket frames, "> payload" sent and "< payload" received, and "closed". */
  wsFrames: string[];
}

export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  return {
    browser,
    open: () => watchedPage(browser),
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}

function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1';
}

async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext();
  const watched: WatchedPage = { context, page: undefined as unknown as Page, requests: [], foreign: [], cspViolations: [], pageErrors: [], wsFrames: [] };
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    watched.foreign.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('data:') && !url.startsWith('blob:')) watched.requests.push(url);
    if (!isLocal(url) && !watched.foreign.includes(url)) watched.foreign.push(url);
  });
  await context.exposeBinding('__omegaCspViolation', (_source, report: string) => {
    watched.cspViolations.push(report);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __omegaCspViolation(report: string): void }).__omegaCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
  const page = await context.newPage();
  page.on('websocket', (ws) => {
    watched.requests.push(ws.url());
    if (!isLocal(ws.url())) watched.foreign.push(ws.url());
    ws.on('framesent', (frame) => watched.wsFrames.push(`> ${String(frame.payload)}`));
    ws.on('framereceived', (frame) => watched.wsFrames.push(`< ${String(frame.payload)}`));
    ws.on('close', () => watched.wsFrames.push('closed'));
  });
  // Violations inside workers are reported only to the console.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) watched.cspViolations.push(msg.text());
  });
  page.on('pageerror', (err) => watched.pageErrors.push(err.message));
  watched.page = page;
  return watched;
}
