import type { GraphQLContext } from './context.js';

interface Batch<V> {
  keys: Set<string>;
  result: Promise<Map<string, V>>;
}

// Open batches per operation (its context) and kind: state of the operation in flight, gone with it.
const open = new WeakMap<GraphQLContext, Map<string, Batch<unknown>>>();

/**
 * Loads `key` with every other key of `kind` asked for by this operation before the event loop
 * turns (a page's fields resolve in one turn, promises included), so a page's rows share one load
 * instead of one each. `load` answers a map by key; a key it leaves out resolves to undefined.
 */
export function loadInBatch<V>(ctx: GraphQLContext, kind: string, key: string, load: (keys: string[]) => Promise<Map<string, V>>): Promise<V | undefined> {
  let byKind = open.get(ctx);
  if (!byKind) open.set(ctx, (byKind = new Map()));
  let batch = byKind.get(kind) as Batch<V> | undefined;
  if (!batch) {
    const keys = new Set<string>();
    const kinds = byKind;
    const result = new Promise<Map<string, V>>((resolve, reject) => {
      setImmediate(() => {
        kinds.delete(kind);
        load([...keys]).then(resolve, reject);
      });
    });
    batch = { keys, result };
    byKind.set(kind, batch as Batch<unknown>);
  }
  batch.keys.add(key);
  return batch.result.then((loaded) => loaded.get(key));
}
