import { deleteIdleRateLimitCounters } from '../../db/sql/deleteIdleRateLimitCounters.js';
import type { Deps } from '../deps.js';

/** Counters idle for two windows count nothing any more (the next request starts afresh). */
export function pruneRateLimitCounters(deps: Deps, windowSeconds = 60): Promise<number> {
  return deleteIdleRateLimitCounters(deps.sql, windowSeconds);
}
