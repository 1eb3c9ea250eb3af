// One signed POST of an outbound webhook (Standard Webhooks: webhook-id, webhook-timestamp,
// webhook-signature), to an address the policy allows, checked again when the request connects
// (DNS rebinding). No redirect is followed: a 3xx is a failure like any other non-2xx.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import ipaddr from 'ipaddr.js';
import { Webhook } from 'standardwebhooks';
import { guardedLookup, refusedRange, RefusedDestinationError } from './destination.js';

/** The first this many bytes of an answer's body are kept in the delivery log. */
export const RESPONSE_BODY_LIMIT = 1024;

export interface WebhookPost {
  url: string;
  /** Every secret that signs (during a rotation's grace period, the new and the previous one). */
  secrets: readonly string[];
  /** webhook-id: the same in every delivery of one event, so receivers can dedupe. */
  id: string;
  timestamp: Date;
  body: string;
}

export interface WebhookAnswer {
  /** null: no answer (refused address, timeout, connection error). */
  statusCode: number | null;
  ok: boolean;
  latencyMs: number;
  error: string | null;
  responseBody: string | null;
}

export function signatureHeader(secrets: readonly string[], id: string, timestamp: Date, body: string): string {
  return secrets.map((s) => new Webhook(s).sign(id, timestamp, body)).join(' ');
}

/** Connections kept open between the requests of one deliverer's run (one at a time, to one endpoint). */
export interface WebhookAgents {
  http: HttpAgent;
  https: HttpsAgent;
  destroy(): void;
}

export function webhookAgents(): WebhookAgents {
  const http = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const https = new HttpsAgent({ keepAlive: true, maxSockets: 1 });
  return { http, https, destroy: () => (http.destroy(), https.destroy()) };
}

export async function postWebhook(post: WebhookPost, policy: { allowPrivate: boolean; timeoutMs: number; agents?: WebhookAgents }): Promise<WebhookAnswer> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(post.url);
    // An IP literal never reaches the lookup (which checks names as each connection opens): check it here.
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const range = !policy.allowPrivate && ipaddr.isValid(host) ? refusedRange(host) : null;
    if (range) throw new RefusedDestinationError(host, host, range);
  } catch (err) {
    return { statusCode: null, ok: false, latencyMs: elapsed(), error: describe(err), responseBody: null };
  }
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Omega-Webhooks/1',
    'webhook-id': post.id,
    'webhook-timestamp': String(Math.floor(post.timestamp.getTime() / 1000)),
    'webhook-signature': signatureHeader(post.secrets, post.id, post.timestamp, post.body),
    'content-length': String(Buffer.byteLength(post.body)),
  };
  return new Promise<WebhookAnswer>((resolve) => {
    let settled = false;
    const finish = (answer: Omit<WebhookAnswer, 'latencyMs' | 'ok'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const ok = answer.statusCode !== null && answer.statusCode >= 200 && answer.statusCode < 300;
      resolve({ ...answer, ok, latencyMs: elapsed() });
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const lookup = guardedLookup(policy.allowPrivate);
    const agent = policy.agents ? (url.protocol === 'https:' ? policy.agents.https : policy.agents.http) : false;
    const req = send(url, { method: 'POST', headers, ...(lookup ? { lookup } : {}), agent }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < RESPONSE_BODY_LIMIT) chunks.push(chunk);
        size += chunk.length;
        // Nothing past the first KB is read: a receiver cannot hold the worker with a long answer.
        if (size >= RESPONSE_BODY_LIMIT) done();
      });
      const done = () => {
        // PostgreSQL text holds no NUL character.
        const responseBody = Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString('utf8').replaceAll('\u0000', '');
        finish({ statusCode: res.statusCode ?? null, error: null, responseBody });
        // Read to its end, the connection stays open for the next request; cut short, it is closed.
        if (!res.complete) res.destroy();
      };
      res.on('end', done);
      res.on('error', done);
    });
    const timer = setTimeout(() => {
      finish({ statusCode: null, error: `no answer within ${policy.timeoutMs} ms`, responseBody: null });
      req.destroy();
    }, policy.timeoutMs);
    req.on('error', (err) => finish({ statusCode: null, error: describe(err), responseBody: null }));
    req.end(post.body);
  });
}

function describe(err: unknown): string {
  if (err instanceof RefusedDestinationError) return err.message;
  if (err instanceof Error) return ('code' in err && typeof err.code === 'string' ? `${err.code}: ` : '') + err.message;
  return String(err);
}
