// A forwarder in front of the one fake Twilio, one per worker process: the fake keeps a single
// account (so a worker finds what another created, as at Twilio), and each forwarder tells which
// worker made which create, and can hold a worker's answers (the create reaches Twilio, its
// answer never reaches the worker) to kill it with sends in flight.
import http from 'node:http';

export interface TwilioForwarder {
  url: string;
  /** Messages creates this worker made. */
  creates: number;
  /** Creates beyond this count are passed on but their answers held (default: none held). */
  holdAfter: number;
  held(): number;
  dropHeld(): void;
  close(): Promise<void>;
}

export async function startTwilioForwarder(target: string): Promise<TwilioForwarder> {
  const held = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const create = req.method === 'POST' && /\/Messages\.json$/.test(req.url ?? '');
    let hold = false;
    if (create) {
      forwarder.creates++;
      hold = forwarder.creates > forwarder.holdAfter;
    }
    const upstream = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
      if (hold) {
        answer.resume();
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const forwarder: TwilioForwarder = {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    creates: 0,
    holdAfter: Number.POSITIVE_INFINITY,
    held: () => held.size,
    dropHeld() {
      for (const res of held) res.destroy();
      held.clear();
    },
    async close() {
      forwarder.dropHeld();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return forwarder;
}
