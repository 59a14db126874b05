import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleCollectorOptions {
  /** How often the process looks at itself. */
  intervalMs: number;
  /**
   * Below this share of busy event loop over an interval, the process counts as idle. An idle
   * embedded process measured 3% (its relays' and timers' polling); under load it is above 50%.
   */
  idleUtilization: number;
  /** Collect once the resident set has grown this much since the last collection. */
  growthBytes: number;
  /** Told the resident set's size before and after each collection. */
  onCollected?: (beforeBytes: number, afterBytes: number) => void;
  /**
   * Under load, a trim of the native heap that does not hold up the event loop: run once the
   * resident set grew `busyTrimGrowthBytes` since the last one ended, never two at a time.
   */
  trimWhileBusy?: () => Promise<void>;
  busyTrimGrowthBytes: number;
}

export const IDLE_COLLECTION: IdleCollectorOptions = {
  intervalMs: 5000,
  idleUtilization: 0.2,
  growthBytes: 64 * 1024 * 1024,
  busyTrimGrowthBytes: 16 * 1024 * 1024,
};

/**
 * Gives memory back once a burst is over. Under load V8 lets its heap grow to hundreds of
 * megabytes of garbage (measured: 233 MB of heap holding 45 MB of live objects, and 74 MB of
 * buffers holding 28 MB, after 20,000 webhooks), and a process that then goes quiet allocates too
 * little to trigger the full collection that would free it: Node gives V8 no idle time of its
 * own. So when the event loop was idle over a whole interval and the resident set has grown since
 * the last collection, `collect` runs (a full collection, then a trim of the native heap), in time
 * nobody is waiting on.
 *
 * While busy, the native heap creeps too (glibc keeps the free space between live allocations),
 * so a busy process grown since its last trim trims in the background. Measured over the embedded
 * memory run of 100,000 webhooks: glibc's main heap still climbs between V8's full collections
 * (to 130–155 MB), but falls back to 70–100 MB after each one instead of staying at its high mark.
 */
export class IdleCollector {
  private timer: NodeJS.Timeout | null = null;
  private utilization: EventLoopUtilization | null = null;
  private baseline = 0;
  private trimmedAt = 0;
  private trimming = false;

  constructor(
    private readonly collect: () => void,
    private readonly options: IdleCollectorOptions,
    private readonly footprint: () => number = () => process.memoryUsage.rss(),
    private readonly loop: (since?: EventLoopUtilization) => EventLoopUtilization = (since) =>
      performance.eventLoopUtilization(since),
  ) {}

  start(): void {
    this.baseline = this.footprint();
    this.trimmedAt = this.baseline;
    this.utilization = this.loop();
    this.timer = setInterval(() => this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look: collects when idle over the interval and grown; returns whether it collected. */
  check(): boolean {
    const now = this.loop();
    const busy = this.loop(this.utilization ?? undefined).utilization;
    this.utilization = now;
    const footprint = this.footprint();
    // A process that shrank by itself starts counting again from there.
    if (footprint < this.baseline) this.baseline = footprint;
    if (footprint < this.trimmedAt) this.trimmedAt = footprint;
    if (busy >= this.options.idleUtilization) {
      this.trimInBackground(footprint);
      return false;
    }
    if (footprint - this.baseline < this.options.growthBytes) return false;
    this.collect();
    this.baseline = this.footprint();
    this.trimmedAt = this.baseline;
    this.options.onCollected?.(footprint, this.baseline);
    // The collection's own time is not the next interval's load.
    this.utilization = this.loop();
    return true;
  }

  private trimInBackground(footprint: number): void {
    const trim = this.options.trimWhileBusy;
    if (!trim || this.trimming || footprint - this.trimmedAt < this.options.busyTrimGrowthBytes) return;
    this.trimming = true;
    trim()
      .catch(() => undefined) // a failed trim leaves memory where it was: nothing to report per interval
      .finally(() => {
        this.trimming = false;
        this.trimmedAt = this.footprint();
      });
  }
}

type ExposedGc = (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * V8's full collection, compacting, so that freed pages go back to the system (measured: heap
 * 215 MB after a plain full collection of 18 MB of live objects, 21 MB after this one). Reached
 * without asking every way of starting Node (npm scripts, the image, the bench, tests) for
 * `--expose-gc`: the flag set at run time exposes `gc` to contexts made after it.
 */
export function fullCollection(): () => void {
  let gc = (globalThis as { gc?: ExposedGc }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as ExposedGc;
  }
  return () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
