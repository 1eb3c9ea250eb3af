import http from 'node:http';
import https from 'node:https';
import createHttpsProxyAgent from 'https-proxy-agent';
import twilio from 'twilio';

type RequestClient = InstanceType<typeof twilio.RequestClient>;
type RequestOptions = Parameters<RequestClient['request']>[0];
type Response = Awaited<ReturnType<RequestClient['request']>>;

export interface TwilioHttpClientOptions {
  /** Per-request timeout (connection, request and response together): an `ETIMEDOUT` error. */
  timeoutMs: number;
  /** Send requests for every Twilio host (api., messaging., ...) to this origin instead (OMEGA_TWILIO_API_BASE_URL: a fake Twilio). */
  apiBaseUrl?: string;
  /** HTTP_PROXY: https requests go through this proxy (CONNECT tunnels). */
  proxyUrl?: string;
  /** TWILIO_CA_BUNDLE's contents: the certificates https requests trust (through the proxy too). */
  ca?: Buffer;
}

/** The origin of every Twilio API host the SDK calls (api.twilio.com, messaging.twilio.com, ...). */
const TWILIO_ORIGIN = /^https:\/\/[a-z0-9.-]+\.twilio\.com(?=[/?]|$)/i;
// Kept-alive connections: as many as the sends one process runs at once (OMEGA_WORKER_CONCURRENCY
// is at most 200), all kept when idle. The SDK's own agent keeps 5 idle sockets per host, so a
// worker running more sends at once than that opened (TLS) connections over and over.
const MAX_SOCKETS = 200;

/**
 * The Twilio SDK's HTTP transport (its `httpClient` option, the documented way to replace it), on
 * node:http with one keep-alive agent, instead of the SDK's default over axios, which cost about
 * twice the CPU per request (0.63 vs 0.31 ms measured on messages.create, see bench/drain.ts). The
 * SDK still builds every request and turns every answer into its results and RestExceptions; this
 * only carries them: form or JSON body, Basic (or the SDK's auth strategy) authorization, the
 * timeout, JSON answers parsed (otherwise kept as text, as the SDK expects). Redirects are not
 * followed (Twilio's REST API answers without them).
 *
 * It takes the proxy and CA bundle from the caller (config), not from the environment: with
 * HTTP_PROXY set, the SDK's own transport tunnels through the proxy but drops TWILIO_CA_BUNDLE, so
 * a TLS-inspecting proxy failed every request. Here the bundle applies with or without a proxy.
 * Through a proxy, each request opens its own tunnel (no keep-alive), as the SDK's does.
 */
export function createTwilioHttpClient(options: TwilioHttpClientOptions): RequestClient {
  const base = options.apiBaseUrl?.replace(/\/+$/, '');
  const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_SOCKETS, scheduling: 'lifo' as const };
  const agents: Record<string, http.Agent> = {
    'http:': new http.Agent(agentOptions),
    'https:': options.proxyUrl ? (createHttpsProxyAgent(options.proxyUrl) as unknown as http.Agent) : new https.Agent(agentOptions),
  };
  // The SDK's type is its class; its request method is the whole contract. Given `ca`, its
  // constructor does not read TWILIO_CA_BUNDLE itself.
  const client = new twilio.RequestClient({ timeout: options.timeoutMs, keepAlive: true, ...(options.ca ? { ca: options.ca } : {}) });
  client.request = (async (opts: RequestOptions): Promise<Response> => {
    // With a base URL, each Twilio host maps onto it by path alone: the API's paths (/2010-04-01/...,
    // /v1/Services/...) do not overlap between hosts.
    const url = new URL(base ? opts.uri.replace(TWILIO_ORIGIN, () => base) : opts.uri);
    if (opts.params) url.search = formEncode(opts.params as Record<string, unknown>);
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined), Connection: 'keep-alive' };
    if (opts.username && opts.password) headers['Authorization'] = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    else if (opts.authStrategy) headers['Authorization'] = await opts.authStrategy.getAuthString();
    const body = opts.data === undefined ? undefined : encodeBody(opts.data as Record<string, unknown>, headers['Content-Type']);
    if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
    const agent = agents[url.protocol];
    if (!agent) throw new Error(`Twilio API URL ${url.origin} is neither http nor https`);
    const tls = url.protocol === 'https:' && options.ca ? { ca: options.ca } : {};
    return send(url, { method: opts.method.toUpperCase(), headers, agent, ...tls }, body, opts.timeout ?? options.timeoutMs);
  }) as RequestClient['request'];
  return client;
}

function send(url: URL, init: http.RequestOptions, body: string | undefined, timeoutMs: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, init, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ statusCode: res.statusCode ?? 0, body: parseBody(text), headers: res.headers } as Response);
      });
    });
    const timer = setTimeout(() => {
      const error = Object.assign(new Error(`Twilio API request timed out after ${timeoutMs} ms (${init.method} ${url.pathname})`), { code: 'ETIMEDOUT' });
      request.destroy(error);
    }, timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}

/** What axios gives the SDK: the parsed JSON, or the text when it is not JSON. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function encodeBody(data: Record<string, unknown>, contentType: string | undefined): string | undefined {
  if (contentType === 'application/x-www-form-urlencoded') return formEncode(data);
  if (contentType === 'application/json') return JSON.stringify(data);
  return undefined;
}

/** As the SDK's `qs.stringify(data, { arrayFormat: 'repeat' })` for its flat parameters: arrays repeat the key, undefined is left out. */
function formEncode(data: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(data)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === undefined) continue;
      form.append(key, v === null ? '' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
  }
  return form.toString();
}
