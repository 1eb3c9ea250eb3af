// The fake Twilio as a process of its own, for benchmarks and for pointing `npm start` / `npm run
// worker` at it by hand:
//   node --import tsx test/helpers/fakeTwilioProcess.ts [--port 4010] [--latency-ms 300]
//        [--send-after-ms 0] [--deliver-after-ms N] [--post-status-callbacks] [--no-record]
// It prints one JSON line {"url","port","accountSid","authToken"} once it listens, then serves until
// SIGTERM/SIGINT. Forked with an IPC channel, it answers {type: 'stats'} with its stats();
// otherwise GET /__fake__/stats and /__fake__/messages tell the same over HTTP.
import { startFakeTwilio } from './fakeTwilio.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const numberOption = (name: string): number | undefined => {
  const raw = option(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a whole number of 0 or more, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
};

const fake = await startFakeTwilio({
  port: numberOption('--port') ?? 0,
  latencyMs: numberOption('--latency-ms') ?? 0,
  sendAfterMs: numberOption('--send-after-ms') ?? 0,
  deliverAfterMs: numberOption('--deliver-after-ms') ?? null,
  postStatusCallbacks: args.includes('--post-status-callbacks'),
  recordRequests: !args.includes('--no-record'),
});
console.log(JSON.stringify({ url: fake.url, port: fake.port, accountSid: fake.accountSid, authToken: fake.authToken }));

process.on('message', (message: unknown) => {
  if ((message as { type?: unknown })?.type === 'stats') process.send?.({ type: 'stats', ...fake.stats() });
});
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
