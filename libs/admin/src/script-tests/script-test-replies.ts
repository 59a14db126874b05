import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createLogger, HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { decodeEvent, Topics, type ScriptTestResultEvent } from '@hookline/contracts';
import {
  BUS,
  CorrelatedWaiters,
  defineConsumer,
  DRAINED,
  subscribeOptions,
  type Bus,
  type Subscription,
} from '@hookline/transport';

/** Every script test result, read by each admin API replica with a group of its own. */
const SCRIPT_TEST_RESULTS_CONSUMER = defineConsumer({
  topic: Topics.ScriptTestResults,
  groupId: (config) => `hookline-admin-${config.instanceId}`,
  fromBeginning: false,
  concurrency: 16,
  ephemeral: true,
});

/**
 * Script test results, read with a consumer group of this replica alone (every replica sees every
 * result, as the ingress does with sync replies), handed to the request waiting for each.
 */
@Injectable()
export class ScriptTestReplies implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('admin-api');
  private readonly waiters = new CorrelatedWaiters<ScriptTestResultEvent>();
  private subscription: Subscription | null = null;

  constructor(
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe(
      subscribeOptions(SCRIPT_TEST_RESULTS_CONSUMER, this.config),
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
    this.waiters.drain();
  }

  /** Resolves with the result, or null after `timeoutMs` (or at shutdown). Call before publishing the request. */
  async wait(correlationId: string, timeoutMs: number): Promise<ScriptTestResultEvent | null> {
    const result = await this.waiters.wait(correlationId, timeoutMs);
    return result === DRAINED ? null : result;
  }

  /** Results of tests other replicas asked for are ignored. */
  deliver(result: ScriptTestResultEvent): void {
    this.waiters.deliver(result);
  }

  cancel(correlationId: string): void {
    this.waiters.cancel(correlationId);
  }
}
