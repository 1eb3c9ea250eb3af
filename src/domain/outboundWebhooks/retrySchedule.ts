/**
 * When a failed delivery is tried again: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, then
 * every 12 h, for up to RETRY_WINDOW_MS after the event was queued; then the delivery has failed.
 * (An endpoint failing for OMEGA_WEBHOOK_DISABLE_AFTER_DAYS is disabled meanwhile.)
 */
export const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 43_200_000];
export const RETRY_WINDOW_MS = 3 * 86_400_000;

/** The next attempt after `attempts` failed attempts, or null when the window is over. */
export function nextAttemptAt(attempts: number, queuedAt: Date, now: Date, delays: readonly number[] = RETRY_DELAYS_MS): Date | null {
  const delay = delays[Math.min(attempts, delays.length) - 1] ?? delays[0] ?? RETRY_DELAYS_MS[0]!;
  const deadline = queuedAt.getTime() + RETRY_WINDOW_MS;
  return now.getTime() >= deadline ? null : new Date(Math.min(now.getTime() + delay, deadline));
}
