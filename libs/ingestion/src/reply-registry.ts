import type { ReplyEvent } from '@hookline/contracts';

/** What a sync request waited for: its reply, `null` after its timeout, or DRAINED at shutdown. */
export type WaitResult = ReplyEvent | null | typeof DRAINED;

/** The replica is shutting down: no reply will reach it any more. */
export const DRAINED = Symbol('DRAINED');

interface Waiter {
  resolve: (reply: WaitResult) => void;
  timer: NodeJS.Timeout;
}

/** Sync requests held by this replica, waiting for their reply by correlation id. */
export class ReplyRegistry {
  private readonly waiters = new Map<string, Waiter>();

  /** Resolves with the reply, null after `timeoutMs`, or DRAINED at shutdown. Register before publishing. */
  wait(correlationId: string, timeoutMs: number): Promise<WaitResult> {
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
