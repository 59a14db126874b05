/**
 * A function's retry policy: a run that failed (the script threw, timed out or hit a sandbox limit)
 * is tried again, up to `maxAttempts` tries in all, after `backoffMs`, doubling before each further
 * try up to RETRY_MAX_BACKOFF_MS. Off (null) by default, as in FlexDeploy.
 */
export interface RetryPolicy {
  /** Tries in all, the first included: 2 to RETRY_MAX_ATTEMPTS. */
  maxAttempts: number;
  /** The wait before the second try: RETRY_MIN_BACKOFF_MS to RETRY_MAX_BACKOFF_MS. */
  backoffMs: number;
}

export const RETRY_MAX_ATTEMPTS = 10;
export const RETRY_MIN_BACKOFF_MS = 100;
export const RETRY_MAX_BACKOFF_MS = 3_600_000;

/** The wait after try `failedTry` (1-based) failed, or null when the policy allows no further try. */
export function retryDelayMs(policy: RetryPolicy | null, failedTry: number): number | null {
  if (!policy || failedTry >= policy.maxAttempts) return null;
  return Math.min(policy.backoffMs * 2 ** (failedTry - 1), RETRY_MAX_BACKOFF_MS);
}
