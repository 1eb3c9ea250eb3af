// A real local HTTP receiver of outbound webhooks: verifies each request's Standard Webhooks
// signature with the `standardwebhooks` package (as a customer's server would) and records it.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  method: string;
  /** The request's path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The parsed event, when a secret was set and the signature verified. */
  event: Record<string, unknown> | null;
  verified: boolean;
  answeredWith: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Verified events answered 2xx, without repeats (by webhook-id): what a receiver that dedupes keeps. */
  accepted(): Record<string, unknown>[];
  /** Secrets the receiver accepts (any of them verifies). */
  secrets: string[];
  /** The answer to a request (default 204; a status alone has a body of its own); 'hang' never answers. */
  answer: (req: ReceivedWebhook, n: number) => number | { status: number; body: string } | 'hang';
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { path?: string } = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<IncomingMessage>();
  const receiver: WebhookReceiver = {
    url: '',
    received,
    secrets: [],
    answer: () => 204,
    accepted() {
      const seen = new Set<string>();
      const out: Record<string, unknown>[] = [];
      for (const r of received) {
        if (!r.verified || r.answeredWith < 200 || r.answeredWith >= 300 || seen.has(r.id)) continue;
        seen.add(r.id);
        out.push(r.event!);
      }
      return out;
    },
    close: () => undefined as never,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = { 'webhook-id': String(req.headers['webhook-id']), 'webhook-timestamp': String(req.headers['webhook-timestamp']), 'webhook-signature': String(req.headers['webhook-signature']) };
      let event: Record<string, unknown> | null = null;
      for (const secret of receiver.secrets) {
        try {
          event = new Webhook(secret).verify(body, headers) as Record<string, unknown>;
          break;
        } catch {
          // another secret may verify it
        }
      }
      const entry: ReceivedWebhook = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        id: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signature: headers['webhook-signature'],
        body,
        event,
        verified: event !== null,
        answeredWith: 0,
      };
      received.push(entry);
      const answer = receiver.answer(entry, received.length);
      if (answer === 'hang') {
        hanging.add(req);
        return;
      }
      const { status, body: text } = typeof answer === 'number' ? { status: answer, body: answer >= 300 ? `answer ${answer}` : 'ok' } : answer;
      entry.answeredWith = status;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${options.path ?? '/hooks'}`;
  receiver.close = async () => {
    for (const req of hanging) req.socket.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}
