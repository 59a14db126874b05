/** The parts of kafkajs's RequestQueue (one per broker connection) that the patch touches. */
interface RequestQueue {
  pending: unknown[];
  /** When the broker's throttle ends (ms since the epoch); -1 when never throttled. */
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** The version whose request queue this patches. */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';
/** kafkajs's own interval for re-checking requests that wait while nothing throttles. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/**
 * kafkajs 2.2.4's request queue arms a timer after every check of its waiting requests, even when
 * none waits and no throttle holds them: the delay is then `-1 - Date.now()`, which Node runs after
 * 1 ms (warning TimeoutNegativeWarning), and that timer checks again. So every broker connection
 * wakes its process every millisecond for as long as it is open (tulios/kafkajs#1556, #1704; the
 * fix proposed in #1667 is not released). Measured here: an idle executor's main thread took 47 ms
 * of CPU per second. Patched as #1667 does: a check is scheduled only while requests wait, or for
 * when a throttle ends. Applied once, to that version only; the spec fails if kafkajs changes.
 */
export function patchKafkaJsRequestQueue(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== PATCHED_KAFKAJS_VERSION) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const queue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueue };
  queue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue) {
    if (this.throttleCheckTimeoutId) return;
    const throttledForMs = this.throttledUntil - Date.now();
    if (this.pending.length === 0 && throttledForMs <= 0) return;
    const delayMs = throttledForMs > 0 ? throttledForMs : CHECK_PENDING_REQUESTS_INTERVAL_MS;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, delayMs);
  };
  return true;
}
