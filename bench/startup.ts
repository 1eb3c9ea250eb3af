// Start-up time: from spawning `npm start`'s process (node --import tsx src/main.ts) to the first 200 from
// /health, with the embedded database already initialised (a warm-up run initialises it).
// Prints every run and the median. Usage: npm run bench -- startup [runs]
import { spawn } from 'node:child_process';
import { freePort } from './_support.js';

const runs = Number(process.argv[3] ?? 7);
const root = new URL('..', import.meta.url).pathname;

async function once(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', PORT: String(port), LOG_LEVEL: 'warn', OMEGA_EMBEDDED_PG_DIR: '.data/bench-postgres', OMEGA_EMBEDDED_PG_PORT: '54331' },
    stdio: 'ignore',
  });
  try {
    const deadline = started + 30_000;
    while (performance.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('no /health 200 within 30 s');
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

await once(); // warm-up: initialises the embedded database and the demo data
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const ms = await once();
  times.push(ms);
  console.log(`run ${i + 1}: ${ms.toFixed(0)} ms`);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(`startup to first /health 200 (embedded database initialised): median ${median.toFixed(0)} ms over ${runs} runs (min ${times[0]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)})`);
