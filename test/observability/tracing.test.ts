// OpenTelemetry, on: `npm start`'s process with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a local
// HTTP server playing the OTLP collector (OTLP/HTTP JSON). One SMS sent through the API and the
// in-process worker to the fake Twilio: spans of the HTTP request, of pg statements, of the send
// (with the message id) and of the Twilio call under it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/db/pool.js';
import { createPrisma } from '../../src/db/prisma.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fakeTwilio.js';
import { waitFor } from '../helpers/waitFor.js';

interface Span {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  service: string;
}

const SERVICE_KEY = 'svc_tracing_test_key_0123456789abcdef';

describe('OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  let db: TestDatabase;
  let fake: FakeTwilio;
  let collector: Server;
  let child: ChildProcess;
  let output = '';
  let base = '';
  const spans: Span[] = [];
  let locationId = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    const pool = createPool(db.url, 2, () => undefined);
    const prisma = createPrisma(pool);
    await prisma.business.create({ data: { id: 'traced', name: 'Traced' } });
    locationId = (await prisma.location.create({ data: { businessId: 'traced', name: 'Main', externalId: 'main', timeZone: 'UTC', smsPhoneNumber: '+15005550006' } })).id;
    await prisma.$disconnect();
    await pool.end();
    fake = await startFakeTwilio();
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        if (req.url === '/v1/traces' && (req.headers['content-type'] ?? '').startsWith('application/json')) {
          const payload = JSON.parse(body) as { resourceSpans: any[] };
          for (const rs of payload.resourceSpans) {
            const service = rs.resource.attributes.find((a: any) => a.key === 'service.name')?.value.stringValue as string;
            for (const ss of rs.scopeSpans)
              for (const s of ss.spans) {
                const attributes = Object.fromEntries((s.attributes as any[]).map((a) => [a.key, Object.values(a.value)[0]]));
                spans.push({ name: s.name, kind: s.kind, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, attributes, service });
              }
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: {
        PATH: process.env['PATH'],
        DATABASE_URL: db.url,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        OMEGA_SEED_DEMO: 'false',
        OMEGA_PACING: 'off',
        OMEGA_SERVICE_API_KEY: SERVICE_KEY,
        TWILIO_ACCOUNT_SID: fake.accountSid,
        TWILIO_AUTH_TOKEN: fake.authToken,
        OMEGA_TWILIO_API_BASE_URL: fake.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
        // Read by the SDK itself: export batches every 100 ms, not every 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-20_000);
      const running = /"msg":"Omega is running"/.test(output) && /"health":"(http:\/\/[^"]+)\/health"/.exec(output);
      if (running && !base) base = running[1]!;
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await waitFor(
      'Omega to start with tracing on',
      () => base !== '',
      60_000,
      () => output,
    );
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => collector?.close(resolve));
    await fake?.close();
    await db?.drop();
  });

  it('exports spans of the HTTP request, pg, the send with its message id, and the Twilio call', async () => {
    const res = await fetch(`${base}/sms/send`, {
      method: 'POST',
      headers: { 'x-api-key': SERVICE_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ to: '+14155550399', body: 'Traced hello', location_id: locationId, business_id: 'traced' }),
    });
    const answer = (await res.json()) as any;
    expect(res.status, JSON.stringify(answer)).toBe(202);
    const messageId = answer.messages[0].message_id as string;
    await waitFor(
      'the send span',
      () => spans.some((s) => s.name === 'omega.send' && s.attributes['omega.message_id'] === messageId),
      45_000,
      () => `${output}\n${spans.map((s) => s.name).join(', ')}`,
    );
    await waitFor(
      "the Twilio call's span",
      () => spans.some((s) => s.kind === 3 && String(s.attributes['url.full'] ?? s.attributes['http.url'] ?? '').includes('/Messages.json')),
      10_000,
      () => spans.map((s) => `${s.name} ${s.kind} ${JSON.stringify(s.attributes)}`).join('\n'),
    );

    const server = spans.find((s) => s.kind === 2 && /\/sms\/send/.test(String(s.attributes['http.route'] ?? s.attributes['url.path'] ?? s.attributes['http.target'] ?? s.name)));
    expect(server, spans.map((s) => s.name).join(', ')).toBeDefined();
    expect(server!.service).toBe('omega');
    // pg statements, some of them inside the request's trace.
    const pg = spans.filter((s) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql');
    expect(pg.length).toBeGreaterThan(0);
    expect(pg.some((s) => s.traceId === server!.traceId)).toBe(true);
    const send = spans.find((s) => s.name === 'omega.send' && s.attributes['omega.message_id'] === messageId)!;
    expect(send.attributes).toMatchObject({ 'omega.channel': 'sms', 'omega.provider': 'twilio', 'omega.attempt': expect.anything() });
    // The provider's HTTP call is the send span's child.
    const call = spans.find((s) => s.kind === 3 && s.parentSpanId === send.spanId);
    expect(
      call,
      spans
        .filter((s) => s.traceId === send.traceId)
        .map((s) => `${s.name} ${s.kind}`)
        .join(', '),
    ).toBeDefined();
  }, 90_000);

  it('exports spans of GraphQL operations', async () => {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query TracedHealth { health { status } }' }) });
    expect(res.status).toBe(200);
    await waitFor(
      'the GraphQL span',
      () => spans.some((s) => s.attributes['graphql.operation.name'] === 'TracedHealth'),
      20_000,
      () => [...new Set(spans.map((s) => s.name))].join(', '),
    );
  }, 30_000);
});
