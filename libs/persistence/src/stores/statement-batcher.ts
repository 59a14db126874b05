import { Coalescer } from '@hookline/transport';

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface StatementBatcherOptions<T> {
  /** Calls with the same key never share a statement: each sees what the one before it wrote. */
  key: (item: T) => string;
  maxBatch: number;
  maxInFlight: number;
}

/**
 * Turns concurrent calls of one statement into multi-row statements: calls made while earlier
 * statements are under way leave together, so a stage handling many records at once pays one round
 * trip and one commit per batch instead of one per record. A batch that fails is tried again one
 * call at a time, so a row that breaks the statement fails its own call and no other.
 */
export class StatementBatcher<T, R> {
  private readonly coalescer: Coalescer<T, Settled<R>>;

  constructor(
    /** One result per item, in order; a rejection means nothing of the batch was written. */
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly options: StatementBatcherOptions<T>,
  ) {
    this.coalescer = new Coalescer((items) => this.flush(items), options);
  }

  async submit(item: T): Promise<R> {
    const settled = await this.coalescer.submit(item);
    if (!settled.ok) throw settled.error;
    return settled.value;
  }

  private async flush(items: T[]): Promise<Array<Settled<R>>> {
    const results = new Array<Settled<R>>(items.length);
    let pending = items.map((_, i) => i);
    while (pending.length > 0) {
      const keys = new Set<string>();
      const round: number[] = [];
      const later: number[] = [];
      for (const i of pending) {
        const key = this.options.key(items[i]);
        (keys.has(key) ? later : round).push(i);
        keys.add(key);
      }
      const settled = await this.settle(round.map((i) => items[i]));
      round.forEach((i, n) => (results[i] = settled[n]));
      pending = later;
    }
    return results;
  }

  private async settle(items: T[]): Promise<Array<Settled<R>>> {
    try {
      return (await this.run(items)).map((value) => ({ ok: true, value }));
    } catch (error) {
      if (items.length === 1) return [{ ok: false, error }];
    }
    return Promise.all(
      items.map((item) =>
        this.run([item]).then(
          ([value]): Settled<R> => ({ ok: true, value }),
          (error: unknown): Settled<R> => ({ ok: false, error }),
        ),
      ),
    );
  }
}
