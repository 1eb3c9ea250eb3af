// The cluster's child processes: each started in a process group of its own (so a stop reaches
// every process it started, e.g. nginx's workers), its output passed on line by line (prefixed by
// the CLI) and its last lines kept for failure messages.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ClusterProcess {
  /** g1, g2, w1, w2, nginx. */
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
  /** Still running. */
  running(): boolean;
  /** Its last lines of output (stdout and stderr, interleaved). */
  output(): string;
  /**
   * Sends `signal` to the process (its group's leader) and waits up to `timeoutMs` for it to exit;
   * then SIGKILLs its whole group. Resolves with how it exited.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
  /** SIGKILL to the whole process group, at once (a crash); resolves once it has exited. */
  kill(): Promise<number | string>;
}

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Each whole line the process prints. */
  onLine?: (name: string, line: string) => void;
  /** Lines kept for output() (default 40). */
  keepLines?: number;
}

const groups = new Set<ChildProcess>();
let exitHookInstalled = false;

/** SIGKILL to every group still running, synchronously: the last resort when this process exits. */
function killAllGroups(): void {
  for (const child of groups) killGroup(child, 'SIGKILL');
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export function spawnProcess(name: string, command: string, args: string[], options: SpawnOptions): ClusterProcess {
  if (!exitHookInstalled) {
    // A cluster's owner that exits without stopping it (an uncaught error, process.exit) leaves no orphans.
    process.on('exit', killAllGroups);
    exitHookInstalled = true;
  }
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  groups.add(child);
  const keep = options.keepLines ?? 40;
  const lines: string[] = [];
  const reader = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > keep) lines.shift();
        options.onLine?.(name, line);
      }
    };
  };
  child.stdout!.on('data', reader());
  child.stderr!.on('data', reader());
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      groups.delete(child);
      // The group's other members (if any) go with their leader.
      killGroup(child, 'SIGKILL');
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (err) => {
      groups.delete(child);
      lines.push(`could not start ${command}: ${err.message}`);
      resolve('spawn-error');
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null && groups.has(child);
  return {
    name,
    child,
    exited,
    running,
    output: () => lines.map((l) => `${name} | ${l}`).join('\n'),
    async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
      if (!running()) return exited;
      child.kill(signal);
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
    async kill() {
      killGroup(child, 'SIGKILL');
      return exited;
    },
  };
}
