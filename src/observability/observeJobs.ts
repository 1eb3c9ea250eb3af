import type { WorkerEvents } from 'graphile-worker';
import { selectJobQueueStats } from '../db/sql/selectJobQueueStats.js';
import type { Sql } from '../db/sqlHandle.js';
import type { JobQueueStats, Metrics } from './createMetrics.js';

/**
 * Job metrics of a graphile-worker from its events (the emitter passed to run()): durations by task
 * and outcome, failures (final when the job is out of attempts); and the queue's depth per task,
 * read with one statement at each scrape. Returns the undo (the worker stopped).
 */
export function observeJobs(metrics: Metrics, events: WorkerEvents, sql: Sql): () => void {
  const started = new Map<string, number>();
  const onStart = ({ job }: { job: { id: string } }) => void started.set(job.id, performance.now());
  const finish = (job: { id: string; task_identifier: string }, outcome: 'success' | 'error') => {
    const at = started.get(job.id);
    if (at === undefined) return;
    started.delete(job.id);
    metrics.jobDuration.observe({ task: job.task_identifier, outcome }, (performance.now() - at) / 1000);
  };
  const onSuccess = ({ job }: { job: { id: string; task_identifier: string } }) => finish(job, 'success');
  const onError = ({ job }: { job: { id: string; task_identifier: string; attempts: number; max_attempts: number } }) => {
    finish(job, 'error');
    metrics.jobFailures.inc({ task: job.task_identifier, final: String(job.attempts >= job.max_attempts) });
  };
  events.on('job:start', onStart);
  events.on('job:success', onSuccess);
  events.on('job:error', onError);
  const source = () => readJobQueue(sql);
  metrics.sources.jobQueue = source;
  return () => {
    events.off('job:start', onStart);
    events.off('job:success', onSuccess);
    events.off('job:error', onError);
    if (metrics.sources.jobQueue === source) delete metrics.sources.jobQueue;
    started.clear();
  };
}

async function readJobQueue(sql: Sql): Promise<JobQueueStats[]> {
  const rows = await selectJobQueueStats(sql);
  return rows.map((r) => ({ task: r.task, runnable: r.runnable, locked: r.locked, scheduled: r.scheduled, oldestRunnableAgeSeconds: r.oldest_runnable_age_seconds }));
}
