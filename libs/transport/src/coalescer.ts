interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns many concurrent single calls into few batched ones: items submitted in the same turn of the
 * event loop leave together, and while `maxInFlight` batches are under way, new items wait and leave
 * together as the next batch. Under no load an item leaves at the end of the current turn; under
 * load batches grow by themselves, with no timer adding latency. Waiting for the end of the turn
 * matters where the batch's work is synchronous (PGlite runs in this thread): nothing is ever seen
 * in flight there, so without it every item would leave alone.
 */
export class Coalescer<T, R> {
  private queue: Pending<T, R>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;

  constructor(
    /** Must return one result per item, in order; a rejection fails the whole batch. */
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly options: {
      maxBatch: number;
      maxInFlight: number;
      /**
       * An idle coalescer's first item waits this long for others, instead of leaving at the end
       * of the turn: for bookkeeping off the request path, where fewer statements matter more.
       */
      waitMs?: number;
    },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      const go = () => {
        this.scheduled = false;
        this.timer = null;
        this.drain();
      };
      if (this.options.waitMs) this.timer = setTimeout(go, this.options.waitMs);
      else setImmediate(go);
    });
  }

  /** Sends what waits without waiting longer, and resolves once every batch under way has ended. */
  async settle(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.scheduled = false;
      this.drain();
    }
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private drain(): void {
    while (this.inFlight.size < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      const flight: Promise<void> = this.flush(batch.map((pending) => pending.item))
        .then(
          (results) => batch.forEach((pending, i) => pending.resolve(results[i])),
          (error) => batch.forEach((pending) => pending.reject(error)),
        )
        .finally(() => {
          this.inFlight.delete(flight);
          this.drain();
        });
      this.inFlight.add(flight);
    }
  }
}
