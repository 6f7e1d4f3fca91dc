/**
 * When a failed delivery is tried again: seconds after each failed attempt. Eight attempts over about 43 hours,
 * so a receiver that is down for a day and a half still gets everything.
 */
export const DEFAULT_BACKOFF_SECONDS: readonly number[] = [30, 120, 600, 3600, 6 * 3600, 12 * 3600, 24 * 3600];

/** SQS delays a message by at most 15 minutes; a longer wait is reached by delaying again when it arrives. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/**
 * Seconds to wait after attempt number `attemptsMade` (1 = the first attempt) failed, or undefined when the
 * schedule is used up and the delivery has failed for good.
 */
export function retryDelaySeconds(
  attemptsMade: number,
  schedule: readonly number[] = DEFAULT_BACKOFF_SECONDS,
): number | undefined {
  if (attemptsMade < 1) return 0;
  return schedule[attemptsMade - 1];
}

/** Attempts a delivery gets in one cycle (first try plus one retry per step of the schedule). */
export const maxAttempts = (schedule: readonly number[] = DEFAULT_BACKOFF_SECONDS) => schedule.length + 1;

/** The queue delay for a wait: at most SQS's limit. */
export const queueDelaySeconds = (waitSeconds: number) =>
  Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil(waitSeconds)));
