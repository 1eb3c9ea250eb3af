import type { Client } from 'graphql-ws';
import type { Deps } from '../../src/domain/deps.js';
import { streamInboxEvents } from '../../src/domain/inbox/streamInboxEvents.js';
import type { Sql } from '../../src/db/sqlHandle.js';

/**
 * Subscribes and collects the first `count` results of the subscription's root field, rejecting on
 * a GraphQL error, a socket error or after `timeoutMs`.
 */
export function collectEvents<T>(client: Client, query: string, variables: Record<string, unknown>, count: number, timeoutMs = 10_000) {
  const events: T[] = [];
  let dispose: () => void = () => undefined;
  const done = new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out with ${events.length}/${count} events`)), timeoutMs);
    dispose = client.subscribe<Record<string, T>>(
      { query, variables },
      {
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
      },
    );
  });
  done.catch(() => undefined); // callers await it; never an unhandled rejection in between
  return { done, events, dispose: () => dispose() };
}

/**
 * streamInboxEvents over `deps`, its first event asked for, and `started`: resolves once the stream
 * has taken its start position (its first query has answered), so what commits after is the
 * stream's to deliver.
 */
export async function startInboxStream(deps: Deps, input: { businessId: string; after?: string | null }) {
  let resolveStarted!: () => void;
  const started = new Promise<void>((r) => (resolveStarted = r));
  // Statements run on deps.sql (the pool's handle): the first one answering is the start position.
  const sql: Sql = {
    query: <R>(statement: Parameters<Sql['query']>[0], values?: readonly unknown[]) => {
      const result = deps.sql.query<R>(statement, values);
      result.then(resolveStarted, resolveStarted);
      return result;
    },
    eventsWritten: (businessIds) => deps.sql.eventsWritten(businessIds),
  };
  const stream = await streamInboxEvents({ ...deps, sql }, input);
  const first = stream.next();
  return { stream, first, started };
}
