import type ivm from 'isolated-vm';
import type { SandboxLimits } from './sandbox.types';

export type WatchdogLimit = 'timeout' | 'cpu';

/**
 * Watches one run's wall-clock and CPU budgets. isolated-vm's own `timeout` covers only the
 * synchronous part of a call, not promise continuations after an awaited host call, so the
 * sandbox relies on this and disposes the isolate when it trips.
 */
export class RunWatchdog {
  /** Resolves with the limit that was hit; never settles when the run stays within budget. */
  readonly tripped: Promise<WatchdogLimit>;
  private trip!: (limit: WatchdogLimit) => void;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = performance.now();
  private readonly startCpu: bigint;

  constructor(
    private readonly isolate: ivm.Isolate,
    private readonly limits: Pick<SandboxLimits, 'timeoutMs' | 'cpuTimeMs'>,
  ) {
    this.startCpu = isolate.cpuTime;
    this.tripped = new Promise((resolve) => (this.trip = resolve));
    // CPU time never runs ahead of wall time, so neither budget can be spent before this.
    this.schedule(Math.min(limits.timeoutMs, limits.cpuTimeMs));
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.check(), Math.max(1, Math.ceil(ms)));
  }

  private check(): void {
    const wallMs = performance.now() - this.startedAt;
    if (wallMs >= this.limits.timeoutMs) return this.trip('timeout');
    let cpuMs: number;
    try {
      cpuMs = Number(this.isolate.cpuTime - this.startCpu) / 1e6;
    } catch {
      return; // disposed meanwhile: the run is ending on its own
    }
    if (cpuMs >= this.limits.cpuTimeMs) return this.trip('cpu');
    this.schedule(Math.min(this.limits.timeoutMs - wallMs, this.limits.cpuTimeMs - cpuMs));
  }
}
