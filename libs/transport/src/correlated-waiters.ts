/** The process is shutting down: no answer will reach it any more. */
export const DRAINED = Symbol('DRAINED');

/** What a waiter got: its answer, `null` after its timeout, or DRAINED at shutdown. */
export type Waited<T> = T | null | typeof DRAINED;

interface Waiter<T> {
  resolve: (answer: Waited<T>) => void;
  timer: NodeJS.Timeout;
}

/**
 * Requests of this process waiting for an answer that comes back over the bus, by correlation id
 * (sync webhooks for their reply, script tests for their result). Answers for requests another
 * replica holds are ignored.
 */
export class CorrelatedWaiters<T extends { correlationId: string }> {
  private readonly waiters = new Map<string, Waiter<T>>();

  /** Resolves with the answer, null after `timeoutMs`, or DRAINED at shutdown. Register before publishing. */
  wait(correlationId: string, timeoutMs: number): Promise<Waited<T>> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(correlationId);
        resolve(null);
      }, timeoutMs);
      this.waiters.set(correlationId, { resolve, timer });
    });
  }

  deliver(answer: T): void {
    const waiter = this.waiters.get(answer.correlationId);
    if (!waiter) return;
    this.waiters.delete(answer.correlationId);
    clearTimeout(waiter.timer);
    waiter.resolve(answer);
  }

  /** The request was not sent after all: nobody waits for its promise. */
  cancel(correlationId: string): void {
    const waiter = this.waiters.get(correlationId);
    if (!waiter) return;
    this.waiters.delete(correlationId);
    clearTimeout(waiter.timer);
  }

  /** Shutting down: every request still waiting is answered DRAINED now. */
  drain(): number {
    const count = this.waiters.size;
    for (const waiter of this.waiters.values()) {
      clearTimeout(waiter.timer);
      waiter.resolve(DRAINED);
    }
    this.waiters.clear();
    return count;
  }

  get size(): number {
    return this.waiters.size;
  }
}
