interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns many concurrent single calls into few batched ones: while `maxInFlight` batches are under
 * way, new items wait and leave together as the next batch. Under no load an item leaves at once;
 * under load batches grow by themselves, with no timer adding latency.
 */
export class Coalescer<T, R> {
  private queue: Pending<T, R>[] = [];
  private inFlight = 0;

  constructor(
    /** Must return one result per item, in order; a rejection fails the whole batch. */
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly options: { maxBatch: number; maxInFlight: number },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.flush(batch.map((pending) => pending.item))
        .then(
          (results) => batch.forEach((pending, i) => pending.resolve(results[i])),
          (error) => batch.forEach((pending) => pending.reject(error)),
        )
        .finally(() => {
          this.inFlight--;
          this.drain();
        });
    }
  }
}
