// REST fuzz driven by /openapi.json (issue 12): every operation gets a valid baseline, then hostile
// values in every path, query and body field (wrong JSON types, nulls, missing, huge, deep, Unicode
// edge cases, odd numbers, other businesses' ids), hostile bodies, content types, methods and
// credentials; every business id named with an unknown business (service key: 404) and another one
// (business key: 403); huge object keys, 12 KB paths, Content-Type and credential, cookie and Origin
// headers; the provider webhooks get the same behind valid signatures. Failures are collected
// and asserted at the end, one rule per test, with a grouped summary.
//
// Reproduce or explore: OMEGA_FUZZ_SEED=<seed>, OMEGA_FUZZ_CASES=<random cases per operation>,
// OMEGA_FUZZ_PER_FIELD=<drawn hostile values per field>, OMEGA_FUZZ_ONLY=<part of a route, e.g. "/sms/send">,
// OMEGA_FUZZ_PROFILE=1 (time spent per input kind).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRestAnswer } from './checkRestAnswer.js';
import { createFailureLog, fuzzRule } from './failures.js';
import { fuzzSettings } from './fuzzSettings.js';
import { startFuzzWorld, type FuzzWorld } from './fuzzWorld.js';
import { casesOf } from './openapiCases.js';
import { operationsOf, targetOf, type Operation } from './openapiOperations.js';
import { oversizeCases, unknownPathCases } from './oversizeCases.js';
import { prngFor } from './prng.js';
import { baselineCase, baselineOf, type RestCase } from './restCase.js';
import { resendCases, twilioCases } from './webhookCases.js';

const settings = fuzzSettings();
const failures = createFailureLog();
const counts = new Map<string, number>();
let world: FuzzWorld;
let total = 0;
let elapsedMs = 0;
let healthAfter = 0;
const weakBaselines: string[] = [];

const timeByInput = new Map<string, number>();

async function send(c: RestCase) {
  const t0 = performance.now();
  const res = await world.app.inject({ method: c.method as 'GET', url: c.url, headers: c.headers, ...(c.payload !== undefined ? { payload: c.payload } : {}) });
  total++;
  counts.set(c.target, (counts.get(c.target) ?? 0) + 1);
  const kind = c.input.replace(/^[^:]*: /, '').replace(/ \(replayed\)$/, '');
  timeByInput.set(kind, (timeByInput.get(kind) ?? 0) + performance.now() - t0);
  const answer = { status: res.statusCode, body: res.body, headers: res.headers, error: world.errorOf(res.headers['x-request-id'] as string | undefined) };
  for (const f of checkRestAnswer(c, answer)) failures.add(f);
  return answer;
}

async function run(c: RestCase) {
  const answer = await send(c);
  if (c.replay && answer.status < 300) await send({ ...c, input: `${c.input} (replayed)`, replay: false });
  return answer;
}

function isWebhook(op: Operation): 'twilio' | 'resend' | null {
  if (op.path.startsWith('/twilio/') || op.path === '/voice-calls/twiml') return 'twilio';
  if (op.path.startsWith('/email/webhooks/')) return 'resend';
  return null;
}

describe('REST fuzz from /openapi.json', () => {
  beforeAll(async () => {
    const started = Date.now();
    world = await startFuzzWorld();
    const res = await world.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const ops = operationsOf(res.json());
    const methodsOf = (path: string) => ops.filter((o) => o.path === path).map((o) => o.method);
    console.log(
      `REST fuzz: seed ${settings.seed} (OMEGA_FUZZ_SEED), ${settings.randomCases} random cases per operation (OMEGA_FUZZ_CASES), ${settings.perField} drawn values per field (OMEGA_FUZZ_PER_FIELD), ${ops.length} operations`,
    );
    for (const op of ops.filter((o) => !settings.only || targetOf(o).includes(settings.only))) {
      const prng = prngFor(settings.seed, targetOf(op));
      const ctx = { a: world.a, b: world.b, serviceKey: world.serviceKey, key: world.a.apiKey, prng, randomCases: settings.randomCases, perField: settings.perField };
      const webhook = isWebhook(op);
      if (webhook) {
        for (const c of webhook === 'twilio' ? twilioCases(op, world.a, world.b, prng, settings.perField) : resendCases(world.a, world.b, prng, settings.perField)) await run(c);
        for (const c of oversizeCases(op, ctx, baselineOf(op, ctx), null, methodsOf(op.path))) await run(c);
        continue;
      }
      // The baseline with the business key, else the service key: the mutations use the one it passes with.
      const baselines: string[] = [];
      for (const key of op.public ? [null] : [world.a.apiKey, world.serviceKey]) {
        const answer = await send(baselineCase(op, ctx, key));
        baselines.push(`${answer.status} ${answer.body.slice(0, 160)}`);
        if (answer.status < 300) {
          if (key) ctx.key = key;
          break;
        }
        // Failing either way: keep the key that got past authorization.
        if (key === world.serviceKey && baselines[0]!.startsWith('403')) ctx.key = key;
      }
      // A baseline that fails leaves the mutations testing less than they could: say so.
      if (!baselines.some((b) => b.startsWith('2'))) weakBaselines.push(`${targetOf(op)}: ${baselines.join(' / ')}`);
      for (const c of casesOf(op, ctx, methodsOf(op.path))) await run(c);
    }
    for (const c of unknownPathCases(world.a.apiKey).filter((c) => !settings.only || c.target.includes(settings.only))) await run(c);
    if (weakBaselines.length) console.log(`REST fuzz: baselines refused with both keys:\n  ${weakBaselines.join('\n  ')}`);
    healthAfter = (await world.app.inject({ method: 'GET', url: '/health' })).statusCode;
    elapsedMs = Date.now() - started;
    if (process.env['OMEGA_FUZZ_PROFILE'])
      console.log(
        [...timeByInput]
          .sort((x, y) => y[1] - x[1])
          .slice(0, 40)
          .map(([k, ms]) => `${(ms / 1000).toFixed(1)}s ${k}`)
          .join('\n'),
      );
    console.log(`REST fuzz: ${total} requests in ${(elapsedMs / 1000).toFixed(1)} s; per operation: ${[...counts].map(([t, n]) => `${t} ${n}`).join(', ')}`);
  }, 600_000);

  afterAll(async () => {
    await world?.close();
  });

  const rule = (name: string, check: string) => fuzzRule(failures, name, check);

  rule('answers no request with a 5xx', '5xx');
  rule('answers every 4xx as {detail, code} or a 422 {detail: [{type, loc, msg}]}', '4xx body shape');
  rule('keeps every 4xx body to a few KB (a 422 echoes at most 1 KB of input)', '4xx body size');
  rule('refuses wrong JSON types in bodies instead of coercing them', 'wrong type accepted');
  rule('answers a method the path does not have with 405 and Allow', 'wrong method not 405 with Allow');
  rule('answers a non-JSON body on a JSON route with 415', 'non-JSON body not 415');
  rule('answers a service key naming a business that does not exist with 404 BUSINESS_NOT_FOUND, wherever the id is (path, query, body)', 'unknown business');
  rule('answers a business key naming a business not its own (another, or none) with 403 BUSINESS_FORBIDDEN', 'other business');

  it('still answers /health after the run', () => {
    expect(healthAfter).toBe(200);
  });
});
