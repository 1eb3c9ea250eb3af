-- graphile-worker locks a job to the worker running it and frees the lock of a worker that died
-- (killed, crashed, its machine lost) only after 4 hours: its queued sends would wait that long.
-- Every worker process of ours now beats here (src/worker/trackWorkerLiveness.ts), each beat
-- pushing its own deadline (OMEGA_WORKER_DEAD_AFTER_SECONDS of that process) forward, and the
-- release_dead_workers job (every minute) frees the jobs of workers past their deadline
-- (graphile_worker.force_unlock_workers), so they run again.
CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "beat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dead_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);

CREATE INDEX "worker_heartbeats_dead_at_idx" ON "worker_heartbeats"("dead_at");
