import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HOOKLINE_CONFIG, createLogger, type HooklineConfig } from '@hookline/config';
import { decodeEvent, Topics, type ReplyEvent } from '@hookline/contracts';
import { exportIngressGauges } from '@hookline/metrics';
import { MessageStore } from '@hookline/persistence';
import { BUS, defineConsumer, subscribeOptions, type Bus, type Subscription } from '@hookline/transport';
import { ReplyRegistry } from './reply-registry';

/** Every reply, read by each ingress replica with a group of its own. */
const REPLY_CONSUMER = defineConsumer({
  topic: Topics.Replies,
  groupId: (config) => `hookline-ingress-${config.instanceId}`,
  fromBeginning: false,
  concurrency: 64,
  ephemeral: true,
});

/**
 * Reads every reply with a consumer group of this replica alone, so the outcome of a sync request
 * reaches the replica holding it whichever executor produced it.
 */
@Injectable()
export class ReplyListener implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly log = createLogger('ingress');
  private subscription: Subscription | null = null;

  constructor(
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: ReplyRegistry,
    private readonly messages: MessageStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    exportIngressGauges({
      syncWaiters: () => this.registry.size,
      outboxBacklog: async () => (await this.messages.outboxBacklog()).count,
    });
    this.subscription = await this.bus.subscribe(subscribeOptions(REPLY_CONSUMER, this.config), async (record) => {
      try {
        this.registry.deliver(decodeEvent<ReplyEvent>(record.value));
      } catch (error) {
        this.log.error({ err: error, messageId: record.key, offset: record.offset }, 'skipping an unreadable reply');
      }
    });
  }

  /**
   * On SIGTERM, sync requests get SHUTDOWN_DELAY_MS (while load balancers notice the drain) for
   * their outcome; those still waiting then are answered 503 `draining`, with their message id, so
   * that none waits on replies that will no longer reach this replica.
   */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (!signal) return;
    if (signal === 'SIGTERM') await new Promise((resolve) => setTimeout(resolve, this.config.shutdown.delayMs));
    const drained = this.registry.drain();
    if (drained > 0) this.log.warn({ drained }, 'shutting down: sync requests still waiting answered 503');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }
}
