import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HOOKLINE_CONFIG, createLogger, type HooklineConfig } from '@hookline/config';
import { Topics, type MessageReceivedEvent } from '@hookline/contracts';
import { isEmbedded, MessageStore } from '@hookline/persistence';
import { contextWithSpan, startSpan, TraceAttributes, tracingEnabled } from '@hookline/tracing';
import { BUS, type Bus, type OutgoingRecord } from '@hookline/transport';
import { messageReceivedRecord } from './message-events';

/**
 * Publishes messages that were stored but never acknowledged by the broker (it failed between the
 * two, or the process died), so that no stored message waits forever. Every ingress runs it.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('outbox');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DataSource) private readonly db: DataSource,
    private readonly messages: MessageStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (isEmbedded(this.db) && this.config.kafka.brokers.length === 0) {
      // In-process topics died with the last process: what was unfinished goes around again.
      const requeued = await this.messages.requeueUnfinished();
      if (requeued > 0) this.log.info({ requeued }, 'requeued unfinished messages from the last run');
      await this.relay(0);
    }
    this.schedule();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.relay(this.config.outbox.minAgeMs)
        .then(() => undefined)
        .finally(() => {
          this.running = null;
          if (this.timer) this.schedule();
        });
    }, this.config.outbox.intervalMs);
    this.timer.unref();
  }

  /** Relays everything older than `minAgeMs` that is unpublished, batch after batch. */
  async relay(minAgeMs: number): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const count = await this.messages.relayUnpublished(minAgeMs, this.config.outbox.batchSize, (batch) =>
          this.publish(
            batch.map((m) => ({
              messageId: m.id,
              run: m.run,
              runStartedAt: m.runStartedAt,
              request: m.request,
              replyTo: m.replyTo ? { correlationId: m.replyTo } : null,
              resubmittedBy: m.resubmittedBy,
            })),
          ),
        );
        total += count;
        if (count < this.config.outbox.batchSize) break;
      }
      if (total > 0) this.log.info({ relayed: total }, 'relayed unpublished messages');
    } catch (error) {
      this.log.warn({ err: error }, 'outbox relay failed; trying again later');
    }
    return total;
  }

  /**
   * The request's trace is not stored with the message: a relayed run starts a trace of its own
   * (one per message, `hookline.outbox.relay`), so that matching and executions still hang together.
   */
  private async publish(events: MessageReceivedEvent[]): Promise<void> {
    if (!tracingEnabled()) {
      return this.bus.publish(
        Topics.MessagesReceived,
        events.map((event) => messageReceivedRecord(event)),
      );
    }
    const spans = events.map((event) =>
      startSpan('hookline.outbox.relay', {
        root: true,
        attributes: { [TraceAttributes.messageId]: event.messageId, [TraceAttributes.run]: event.run },
      }),
    );
    const records: OutgoingRecord[] = events.map((event, i) => messageReceivedRecord(event, contextWithSpan(spans[i])));
    try {
      await this.bus.publish(Topics.MessagesReceived, records);
    } finally {
      for (const span of spans) span.end();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
