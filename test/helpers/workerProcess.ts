// `npm run worker`'s process as tests and benchmarks start it: configured by environment variables
// alone, against a fake Twilio, its output kept for the message of a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import type { FakeTwilio } from './fakeTwilio.js';

export interface WorkerProcess {
  child: ChildProcess;
  /** The last lines it printed. */
  output(): string;
}

export function startWorkerProcess(databaseUrl: string, fake: FakeTwilio | null, env: Record<string, string>): WorkerProcess {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: {
      PATH: process.env['PATH'],
      DATABASE_URL: databaseUrl,
      ...(fake ? { TWILIO_ACCOUNT_SID: fake.accountSid, TWILIO_AUTH_TOKEN: fake.authToken, OMEGA_TWILIO_API_BASE_URL: fake.url } : {}),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => output };
}

// bench/crash.ts imports waitFor from here.
export { waitFor } from './waitFor.js';
