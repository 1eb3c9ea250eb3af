// The process's Prometheus metrics: one prom-client Registry made here and passed around in
// deps.metrics (never prom-client's global default registry). Names follow Prometheus conventions
// (omega_ prefix, base units, _total counters); labels are bounded sets: route patterns (not URLs),
// capped operation names, task identifiers, provider names, outcomes.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the gauges read at scrape time; absent fields leave their gauges empty (e.g. no worker in this process). */
export interface ScrapeSources {
  /** The process's pg.Pool (its counters, no query). */
  pool?: { totalCount: number; idleCount: number; waitingCount: number };
  /** graphile-worker's queue (one statement per scrape): set by a process that runs a worker. */
  jobQueue?: () => Promise<JobQueueStats[]>;
}

export interface JobQueueStats {
  task: string;
  /** Waiting and due, not locked. */
  runnable: number;
  /** Locked by a worker (running, or held by a dead one until released). */
  locked: number;
  /** Not due yet (run_at in the future: delays, retries backing off). */
  scheduled: number;
  /** Seconds since the oldest runnable job became due (0 when none). */
  oldestRunnableAgeSeconds: number;
}

export interface Metrics {
  registry: Registry;
  /** Set what the scrape-time gauges read (createDeps: the pool; startWorker: the job queue). */
  sources: ScrapeSources;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  graphqlOperationDuration: Histogram<'operation_name' | 'operation_type' | 'errored'>;
  subscriptionsOpen: Gauge;
  jobDuration: Histogram<'task' | 'outcome'>;
  jobFailures: Counter<'task' | 'final'>;
  sends: Counter<'channel' | 'provider' | 'outcome'>;
  providerCallDuration: Histogram<'provider' | 'operation' | 'outcome'>;
  webhookLag: Histogram<'provider' | 'since'>;
  inboxFanoutLag: Histogram;
  rateLimitRefusals: Counter<'kind'>;
}

/** Latencies from 1 ms to 30 s (HTTP, GraphQL, provider calls). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Jobs and lags: 5 ms to 10 minutes. */
const LONG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600];

/** Longest wait for the queue gauges' statement during a scrape. */
const QUEUE_READ_TIMEOUT_MS = 1_000;

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  const sources: ScrapeSources = {};
  const registers = [registry];
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'omega_' });

  new Gauge({
    name: 'omega_pg_pool_clients',
    help: 'Clients of the process pg pool by state: total (open), idle, waiting (requests queued for a client)',
    labelNames: ['state'],
    registers,
    collect() {
      this.reset();
      const pool = sources.pool;
      if (!pool) return;
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  // One statement fills both queue gauges: the first collected runs it, the second reuses its answer.
  // A scrape during an outage still answers (process and pool metrics matter most then): a failed or
  // slow read (over QUEUE_READ_TIMEOUT_MS) leaves the queue gauges empty and counts a scrape error.
  let queueRead: Promise<JobQueueStats[]> | null = null;
  const readQueue = (): Promise<JobQueueStats[]> => {
    const read = sources.jobQueue;
    if (!read) return Promise.resolve([]);
    queueRead ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([read(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), QUEUE_READ_TIMEOUT_MS)))]);
      } catch {
        scrapeErrors.inc({ source: 'worker_queue' });
        return [];
      } finally {
        clearTimeout(timer);
      }
    })().finally(() => setImmediate(() => (queueRead = null)));
    return queueRead;
  };
  const scrapeErrors = new Counter({
    name: 'omega_metrics_scrape_errors_total',
    help: 'Scrapes that could not read a source (the database for the worker queue gauges): those gauges were left empty',
    labelNames: ['source'],
    registers,
  });
  new Gauge({
    name: 'omega_worker_jobs',
    help: 'graphile-worker jobs by task and state: runnable (due, unlocked), locked, scheduled (due later)',
    labelNames: ['task', 'state'],
    registers,
    async collect() {
      this.reset();
      for (const q of await readQueue()) {
        this.set({ task: q.task, state: 'runnable' }, q.runnable);
        this.set({ task: q.task, state: 'locked' }, q.locked);
        this.set({ task: q.task, state: 'scheduled' }, q.scheduled);
      }
    },
  });
  new Gauge({
    name: 'omega_worker_oldest_job_age_seconds',
    help: 'Seconds the oldest runnable job of each task has been due',
    labelNames: ['task'],
    registers,
    async collect() {
      this.reset();
      for (const q of await readQueue()) this.set({ task: q.task }, q.oldestRunnableAgeSeconds);
    },
  });

  return {
    registry,
    sources,
    httpRequestDuration: new Histogram({
      name: 'omega_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    graphqlOperationDuration: new Histogram({
      name: 'omega_graphql_operation_duration_seconds',
      help: 'GraphQL operations executed (queries, mutations; subscriptions to their source stream) by operation name, type and whether the result had errors',
      labelNames: ['operation_name', 'operation_type', 'errored'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    subscriptionsOpen: new Gauge({ name: 'omega_graphql_subscriptions_open', help: 'GraphQL subscriptions open in this process (graphql-ws and SSE)', registers }),
    jobDuration: new Histogram({
      name: 'omega_worker_job_duration_seconds',
      help: 'graphile-worker jobs run by this process, by task and outcome (success, error)',
      labelNames: ['task', 'outcome'],
      buckets: LONG_BUCKETS,
      registers,
    }),
    jobFailures: new Counter({
      name: 'omega_worker_job_failures_total',
      help: 'Jobs that threw, by task; final="true" when the job will not run again (attempts exhausted)',
      labelNames: ['task', 'final'],
      registers,
    }),
    sends: new Counter({
      name: 'omega_sends_total',
      help: 'Send attempts by channel, provider and outcome (accepted, transient, permanent)',
      labelNames: ['channel', 'provider', 'outcome'],
      registers,
    }),
    providerCallDuration: new Histogram({
      name: 'omega_provider_call_duration_seconds',
      help: 'Calls to SMS and email providers by provider, operation and outcome (ok, error)',
      labelNames: ['provider', 'operation', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    webhookLag: new Histogram({
      name: 'omega_webhook_lag_seconds',
      help: "Provider delivery reports: from the provider's event time (since=event) or our receipt when the report has none (since=receipt) to our commit",
      labelNames: ['provider', 'since'],
      buckets: LONG_BUCKETS,
      registers,
    }),
    inboxFanoutLag: new Histogram({
      name: 'omega_inbox_event_fanout_lag_seconds',
      help: 'Inbox events: from the write of the event to its delivery to a subscriber of this process',
      buckets: LONG_BUCKETS,
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: 'omega_rate_limit_refusals_total',
      help: 'Requests refused by the rate limiter, by kind (credential, ip, subscription)',
      labelNames: ['kind'],
      registers,
    }),
  };
}
