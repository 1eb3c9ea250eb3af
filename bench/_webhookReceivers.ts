// Local webhook receivers for the webhook benchmarks, in a process of their own (their work is not
// the measured process's): N HTTP servers on 127.0.0.1 that read each request and answer 204.
// Prints {"urls": [...]} on stdout once listening; answers {"received": n} to an IPC "count".
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const n = Number(process.argv[2] ?? 5);
let received = 0;
const urls: string[] = [];
for (let i = 0; i < n; i++) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/${i}`);
}
process.on('message', (msg) => {
  if (msg === 'count') process.send!({ received });
});
process.stdout.write(`${JSON.stringify({ urls })}\n`);
