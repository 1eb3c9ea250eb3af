import type { JobSpec } from '../../../db/sql/addJobs.js';
import { reserveSenderPlaces } from '../../../db/sql/senderBudgets.js';
import type { Deps } from '../../deps.js';
import { PACING_LEAD_MS, PACING_MARGIN, defaultRate, isPaced } from './pacer.js';
import { parseSenderKey } from './senderKey.js';

/**
 * Bulk send jobs (priority 1) due now, to a paced sender, are dated one spacing apart from the
 * sender's hint_tat (one statement per sender per batch), so 10,000 jobs do not all fall due at once
 * only to be deferred one by one. The statements run on the pool, outside the queueing transaction,
 * so the budget row is never locked for its length (a rolled-back batch leaves a gap in the places,
 * which costs nothing: places are hints, slots are taken when the jobs run).
 */
export async function spreadBulkJobs(deps: Deps, jobs: JobSpec[]): Promise<void> {
  const pacer = deps.sending.pacing;
  if (!pacer || pacer.mode === 'off') return;
  const now = Date.now();
  const bySender = new Map<string, JobSpec[]>();
  for (const job of jobs) {
    const sender = job.payload['sender'];
    if (job.priority !== 1 || typeof sender !== 'string' || (job.runAt && job.runAt.getTime() > now)) continue;
    bySender.set(sender, [...(bySender.get(sender) ?? []), job]);
  }
  for (const [key, group] of bySender) {
    const sender = parseSenderKey(key);
    if (!sender || !(await isPaced(pacer, deps.sql, sender))) continue;
    const { first_ms, spacing_ms } = await reserveSenderPlaces(deps.sql, sender, { defaultRate: defaultRate(pacer, sender.kind), margin: PACING_MARGIN, n: group.length });
    const at = Date.now();
    group.forEach((job, i) => {
      const inMs = first_ms + i * spacing_ms - PACING_LEAD_MS;
      if (inMs <= 0) return;
      job.runAt = new Date(at + inMs);
      pacer.nudgeAt(deps.sql, inMs);
    });
  }
}
