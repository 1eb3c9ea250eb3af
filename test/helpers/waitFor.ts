// Waiting in tests: on the event itself, or by polling with a deadline; never a fixed sleep.

/** Polls `ready` every 20 ms until it holds; throws after `timeoutMs` with what it waited for and `context` (e.g. a process's output). */
export async function waitFor(what: string, ready: () => unknown, timeoutMs = 5_000, context: () => string | Promise<string> = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}\n${await context()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The one fixed wait tests keep, for a negative check: that something does NOT happen can only be
 * seen by giving it time to happen. `why` names what must not happen in these `ms`.
 */
export function quietFor(ms: number, why: string): Promise<void> {
  void why;
  return new Promise((r) => setTimeout(r, ms));
}
