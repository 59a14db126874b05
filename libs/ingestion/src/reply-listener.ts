import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HOOKLINE_CONFIG, createLogger, type HooklineConfig } from '@hookline/config';
import { decodeEvent, Topics, type ReplyEvent } from '@hookline/contracts';
import { exportIngressGauges } from '@hookline/metrics';
import { MessageStore } from '@hookline/persistence';
import { BUS, type Bus, type Subscription } from '@hookline/transport';
import { ReplyRegistry } from './reply-registry';

/**
 * Reads every reply with a consumer group of this replica alone, so the outcome of a sync request
 * reaches the replica holding it whichever executor produced it.
 */
@Injectable()
export class ReplyListener implements OnApplicationBootstrap, OnApplicationShutdown {
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
    this.subscription = await this.bus.subscribe(
      {
        topic: Topics.Replies,
        groupId: `hookline-ingress-${this.config.instanceId}`,
        fromBeginning: false,
        concurrency: 64,
        ephemeral: true,
      },
      async (record) => {
        try {
          this.registry.deliver(decodeEvent<ReplyEvent>(record.value));
        } catch (error) {
          this.log.error({ err: error, offset: record.offset }, 'skipping an unreadable reply');
        }
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }
}
