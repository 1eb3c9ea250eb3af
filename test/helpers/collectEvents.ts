import type { Client } from 'graphql-ws';

/**
 * Subscribes and collects the first `count` results of the subscription's root field, rejecting on
 * a GraphQL error, a socket error or after `timeoutMs`.
 */
export function collectEvents<T>(client: Client, query: string, variables: Record<string, unknown>, count: number, timeoutMs = 10_000) {
  const events: T[] = [];
  let dispose: () => void = () => undefined;
  const done = new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out with ${events.length}/${count} events`)), timeoutMs);
    dispose = client.subscribe<Record<string, T>>({ query, variables }, {
      next: (msg) => {
        if (msg.errors) return reject(new Error(JSON.stringify(msg.errors)));
        events.push(Object.values(msg.data!)[0]!);
        if (events.length === count) {
          clearTimeout(timer);
          resolve(events);
        }
      },
      error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
      complete: () => undefined,
    });
  });
  done.catch(() => undefined); // callers await it; never an unhandled rejection in between
  return { done, events, dispose: () => dispose() };
}
