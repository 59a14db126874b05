import type { SandboxIsolate } from './sandbox-isolate';

interface Waiter {
  resolve: (isolate: SandboxIsolate) => void;
  reject: (error: Error) => void;
}

/**
 * Hands out isolates one run at a time, up to `maxSize` at once; further runs wait in line.
 * Isolates come back for reuse after a clean run and are replaced after anything else.
 */
export class IsolatePool {
  private readonly idle: SandboxIsolate[] = [];
  private readonly waiters: Waiter[] = [];
  private live = 0;
  private closed = false;

  constructor(
    private readonly create: () => Promise<SandboxIsolate>,
    private readonly maxSize: number,
  ) {}

  async acquire(): Promise<SandboxIsolate> {
    if (this.closed) throw new Error('the script sandbox has been disposed');
    // Most recently used first: its compiled-script cache is the warmest.
    const idle = this.idle.pop();
    if (idle !== undefined) return idle;
    if (this.live < this.maxSize) return this.spawn();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Returns an isolate after a run; `reusable` false (or a closed pool) disposes it. */
  release(isolate: SandboxIsolate, reusable: boolean): void {
    if (this.closed || !reusable) {
      isolate.dispose();
      this.live -= 1;
      const waiter = this.waiters.shift();
      if (waiter !== undefined) this.spawn().then(waiter.resolve, waiter.reject);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter.resolve(isolate);
    else this.idle.push(isolate);
  }

  /** Disposes idle isolates now and busy ones when their runs end; waiting runs are refused. */
  dispose(): void {
    this.closed = true;
    for (const isolate of this.idle.splice(0)) isolate.dispose();
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('the script sandbox has been disposed'));
  }

  private async spawn(): Promise<SandboxIsolate> {
    this.live += 1;
    try {
      return await this.create();
    } catch (error) {
      this.live -= 1;
      throw error;
    }
  }
}
