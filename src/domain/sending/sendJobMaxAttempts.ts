/**
 * graphile-worker's max_attempts of every send job: the most OMEGA_SEND_MAX_ATTEMPTS allows
 * (src/config.ts). The limit that applies is the running worker's OMEGA_SEND_MAX_ATTEMPTS, which
 * deliverMessage compares with the job's attempt; this only keeps graphile-worker from giving up
 * first, whatever the process that queued the job was configured with.
 */
export const SEND_JOB_MAX_ATTEMPTS = 25;
