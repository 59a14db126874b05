import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createLogger, HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { decodeEvent, Topics, type ScriptTestResultEvent } from '@hookline/contracts';
import { BUS, type Bus, type Subscription } from '@hookline/transport';

interface Waiter {
  resolve: (result: ScriptTestResultEvent | null) => void;
  timer: NodeJS.Timeout;
}

/**
 * Script test results, read with a consumer group of this replica alone (every replica sees every
 * result, as the ingress does with sync replies), handed to the request waiting for each.
 */
@Injectable()
export class ScriptTestReplies implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('admin-api');
  private readonly waiters = new Map<string, Waiter>();
  private subscription: Subscription | null = null;

  constructor(
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe(
      {
        topic: Topics.ScriptTestResults,
        groupId: `hookline-admin-${this.config.instanceId}`,
        fromBeginning: false,
        concurrency: 16,
        ephemeral: true,
      },
      async (record) => {
        try {
          this.deliver(decodeEvent<ScriptTestResultEvent>(record.value));
        } catch (error) {
          this.log.error({ err: error, offset: record.offset }, 'skipping an unreadable script test result');
        }
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
    for (const waiter of this.waiters.values()) {
      clearTimeout(waiter.timer);
      waiter.resolve(null);
    }
    this.waiters.clear();
  }

  /** Resolves with the result, or null after `timeoutMs`. Call before publishing the request. */
  wait(correlationId: string, timeoutMs: number): Promise<ScriptTestResultEvent | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(correlationId);
        resolve(null);
      }, timeoutMs);
      this.waiters.set(correlationId, { resolve, timer });
    });
  }

  /** Results of tests other replicas asked for are ignored. */
  deliver(result: ScriptTestResultEvent): void {
    const waiter = this.waiters.get(result.correlationId);
    if (!waiter) return;
    this.waiters.delete(result.correlationId);
    clearTimeout(waiter.timer);
    waiter.resolve(result);
  }

  cancel(correlationId: string): void {
    const waiter = this.waiters.get(correlationId);
    if (!waiter) return;
    this.waiters.delete(correlationId);
    clearTimeout(waiter.timer);
    waiter.resolve(null);
  }
}
