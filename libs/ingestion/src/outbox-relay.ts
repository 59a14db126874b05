import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HOOKLINE_CONFIG, createLogger, type HooklineConfig } from '@hookline/config';
import { Topics } from '@hookline/contracts';
import { isEmbedded, MessageStore, type RelayRefusals, type UnpublishedMessage } from '@hookline/persistence';
import { contextWithSpan, startSpan, TraceAttributes, tracingEnabled } from '@hookline/tracing';
import { BUS, isRecordRefusal, type Bus } from '@hookline/transport';
import { storedMessageRecord } from './message-events';

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
          this.publish(batch),
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
   * Publishes a batch. When the bus refuses records for good (too large, invalid) rather than
   * failing for an outage, each message is tried alone: the refused ones are returned, to end
   * FAILED with the reason, and the rest are published. An outage throws, to try again later.
   */
  private async publish(batch: UnpublishedMessage[]): Promise<RelayRefusals> {
    const traces = relayTraces(batch);
    const record = (m: UnpublishedMessage) => storedMessageRecord(m, traces?.get(m.id)?.context);
    try {
      return await this.publishEach(batch, record);
    } finally {
      traces?.forEach(({ span }) => span.end());
    }
  }

  private async publishEach(
    batch: UnpublishedMessage[],
    record: (m: UnpublishedMessage) => ReturnType<typeof storedMessageRecord>,
  ): Promise<RelayRefusals> {
    const refused: RelayRefusals = new Map();
    try {
      await this.bus.publish(Topics.MessagesReceived, batch.map(record));
      return refused;
    } catch (error) {
      if (!isRecordRefusal(error)) throw error;
    }
    for (const message of batch) {
      try {
        await this.bus.publish(Topics.MessagesReceived, [record(message)]);
      } catch (error) {
        if (!isRecordRefusal(error)) throw error;
        const reason = `the message bus refused it: ${(error as Error).message}`;
        this.log.error({ messageId: message.id, reason }, 'message cannot be published; it ends FAILED');
        refused.set(message.id, reason);
      }
    }
    return refused;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}

/**
 * The request's trace is not stored with the message: with tracing on, each relayed run starts a
 * trace of its own (`hookline.outbox.relay`), so that its matching and executions hang together.
 */
function relayTraces(batch: UnpublishedMessage[]) {
  if (!tracingEnabled()) return undefined;
  return new Map(
    batch.map((m) => {
      const span = startSpan('hookline.outbox.relay', {
        root: true,
        attributes: { [TraceAttributes.messageId]: m.id, [TraceAttributes.run]: m.run },
      });
      return [m.id, { span, context: contextWithSpan(span) }];
    }),
  );
}
