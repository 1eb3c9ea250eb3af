import type { Deps } from '../deps.js';

export interface GroupCommitOptions<I> {
  /** What an item counts toward the batch limit (default 1). */
  weight?(item: I): number;
  /** A batch stops growing at this weight (a single heavier item still runs, alone). */
  maxWeight: number;
  /** Transactions of one lane in flight at once (default 1). */
  parallel?: number;
}

interface Pending<I, R> {
  item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

interface Lane<I, R> {
  queue: Pending<I, R>[];
  /** Transactions of this lane in flight. */
  active: number;
}

// Lanes per Deps (one set per app or worker instance, tests included): the state of this process's
// group commit, not shared data, so it lives beside the function that uses it.
const lanesByDeps = new WeakMap<Deps, Map<string, Lane<unknown, unknown>>>();

/**
 * Group commit: a lane (e.g. one business) runs at most `parallel` transactions at once, and the
 * items that arrive meanwhile go together in the next one. A lone item runs at once, with no added
 * wait; under load, one transaction carries several items, so the commit's fsync is paid once per
 * batch rather than once per item.
 *
 * `runBatch` runs the items in one transaction and returns one result each. If it throws, each
 * item is run again on its own, so one bad item fails alone and the others are unaffected.
 */
export function groupCommit<I, R>(
  deps: Deps,
  lane: string,
  item: I,
  runBatch: (items: I[]) => Promise<R[]>,
  options: GroupCommitOptions<I>,
): Promise<R> {
  let lanes = lanesByDeps.get(deps);
  if (!lanes) lanesByDeps.set(deps, (lanes = new Map<string, Lane<unknown, unknown>>()));
  let l = lanes.get(lane) as Lane<I, R> | undefined;
  if (!l) lanes.set(lane, (l = { queue: [], active: 0 }) as Lane<unknown, unknown>);
  const promise = new Promise<R>((resolve, reject) => l!.queue.push({ item, resolve, reject }));
  if (l.active < (options.parallel ?? 1)) void drain(lanes, lane, l, runBatch, options);
  return promise;
}

async function drain<I, R>(lanes: Map<string, Lane<unknown, unknown>>, key: string, lane: Lane<I, R>, runBatch: (items: I[]) => Promise<R[]>, options: GroupCommitOptions<I>): Promise<void> {
  lane.active++;
  const weight = options.weight ?? (() => 1);
  try {
    while (lane.queue.length) {
      const batch = [lane.queue.shift()!];
      let total = weight(batch[0]!.item);
      while (lane.queue.length && total + weight(lane.queue[0]!.item) <= options.maxWeight) {
        const next = lane.queue.shift()!;
        total += weight(next.item);
        batch.push(next);
      }
      await run(batch, runBatch);
    }
  } finally {
    lane.active--;
    if (lane.active === 0 && lane.queue.length === 0 && lanes.get(key) === lane) lanes.delete(key);
  }
}

async function run<I, R>(batch: Pending<I, R>[], runBatch: (items: I[]) => Promise<R[]>): Promise<void> {
  try {
    const results = await runBatch(batch.map((p) => p.item));
    batch.forEach((p, i) => p.resolve(results[i]!));
  } catch (error) {
    if (batch.length === 1) {
      batch[0]!.reject(error);
      return;
    }
    for (const p of batch) {
      try {
        p.resolve((await runBatch([p.item]))[0]!);
      } catch (err) {
        p.reject(err);
      }
    }
  }
}
