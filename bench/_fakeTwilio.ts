// A local stand-in for api.twilio.com's Messages endpoint, for the drain benchmark: answers every
// POST .../Messages.json with 201 and a Twilio-shaped message. Prints its port on stdout.
import { randomBytes } from 'node:crypto';
import http from 'node:http';

let count = 0;
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method !== 'POST' || !/\/Messages\.json$/.test(req.url ?? '')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 20404, message: 'not found', status: 404 }));
      return;
    }
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    count++;
    res.writeHead(201, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        sid: `SM${randomBytes(16).toString('hex')}`,
        to: form.get('To'),
        from: form.get('From'),
        body: form.get('Body'),
        status: 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        date_created: new Date().toUTCString(),
      }),
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port })));
process.on('message', () => process.send?.({ count }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
