import type { ReplyEvent } from '@hookline/contracts';

interface Waiter {
  resolve: (reply: ReplyEvent | null) => void;
  timer: NodeJS.Timeout;
}

/** Sync requests held by this replica, waiting for their reply by correlation id. */
export class ReplyRegistry {
  private readonly waiters = new Map<string, Waiter>();

  /** Resolves with the reply, or null after `timeoutMs`. Register before publishing. */
  wait(correlationId: string, timeoutMs: number): Promise<ReplyEvent | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(correlationId);
        resolve(null);
      }, timeoutMs);
      this.waiters.set(correlationId, { resolve, timer });
    });
  }

  /** Replies for requests held by other replicas are ignored. */
  deliver(reply: ReplyEvent): void {
    const waiter = this.waiters.get(reply.correlationId);
    if (!waiter) return;
    this.waiters.delete(reply.correlationId);
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
  }

  cancel(correlationId: string): void {
    const waiter = this.waiters.get(correlationId);
    if (!waiter) return;
    this.waiters.delete(correlationId);
    clearTimeout(waiter.timer);
  }

  get size(): number {
    return this.waiters.size;
  }
}
