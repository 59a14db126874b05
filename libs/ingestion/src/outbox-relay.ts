import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HOOKLINE_CONFIG, createLogger, type HooklineConfig } from '@hookline/config';
import { Topics } from '@hookline/contracts';
import { isEmbedded, MessageStore, type RelayRefusals, type UnpublishedMessage } from '@hookline/persistence';
import { contextWithSpan, startSpan, TraceAttributes, tracingEnabled } from '@hookline/tracing';
import { BUS, isRecordRefusal, type Bus } from '@hookline/transport';
import { InProcessBacklog } from './in-process-backlog';
import { storedMessageRecord } from './message-events';

/** How soon the relay looks again while messages wait for room in the in-process bus. */
const ROOM_RECHECK_MS = 50;

/**
 * Publishes messages that were stored but never acknowledged by the broker (it failed between the
 * two, or the process died), so that no stored message waits forever. Every ingress runs it.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('outbox');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private dueAt = 0;
  /** Messages the ingress left to the relay for want of room, oldest first. */
  private readonly deferred: string[] = [];

  constructor(
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DataSource) private readonly db: DataSource,
    private readonly messages: MessageStore,
    private readonly backlog: InProcessBacklog,
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

  /**
   * Takes messages the ingress stored but left unpublished for want of room in the in-process bus
   * (see InProcessBacklog). They were never handed to the bus, so they go as soon as there is
   * room, without waiting OUTBOX_MIN_AGE_MS, oldest first.
   */
  defer(ids: string[]): void {
    for (const id of ids) this.deferred.push(id);
    if (this.timer && !this.running && this.dueAt > Date.now() + ROOM_RECHECK_MS) {
      clearTimeout(this.timer);
      this.schedule(ROOM_RECHECK_MS);
    }
  }

  /** Messages waiting for room in the in-process bus. */
  get deferredCount(): number {
    return this.deferred.length;
  }

  private schedule(delayMs = this.config.outbox.intervalMs): void {
    this.dueAt = Date.now() + delayMs;
    this.timer = setTimeout(() => {
      let full = false;
      this.running = this.relay(this.config.outbox.minAgeMs, () => (full = true))
        .then(() => undefined)
        .finally(() => {
          this.running = null;
          // Waiting for room in the in-process bus: it frees up as fast as the pipeline works.
          if (this.timer) this.schedule(full || this.deferred.length > 0 ? ROOM_RECHECK_MS : undefined);
        });
    }, delayMs);
    this.timer.unref();
  }

  /**
   * Relays what the ingress deferred, then everything older than `minAgeMs` that is unpublished,
   * batch after batch, as far as the in-process backlog limit lets it (`onFull` is told when it
   * stopped there).
   */
  async relay(minAgeMs: number, onFull?: () => void): Promise<number> {
    let total = 0;
    let recovered = 0;
    try {
      for (;;) {
        const limit = Math.min(this.config.outbox.batchSize, await this.backlog.room());
        // Deferred messages go in batches of at least a quarter of the limit: fewer, larger transactions.
        const wanted = Math.min(this.deferred.length, this.config.outbox.batchSize, this.backlog.chunk);
        if (limit === 0 || limit < wanted) {
          onFull?.();
          break;
        }
        if (this.deferred.length > 0) {
          // Ids lost to a failure here are still unpublished: the pass below finds them later.
          total += await this.messages.relayMany(this.deferred.splice(0, limit), (batch) => this.publish(batch));
          continue;
        }
        const count = await this.messages.relayUnpublished(minAgeMs, limit, (batch) => this.publish(batch));
        total += count;
        recovered += count;
        if (count < limit) break;
      }
      if (recovered > 0) this.log.info({ relayed: recovered }, 'relayed unpublished messages');
    } catch (error) {
      this.log.warn({ err: error }, 'outbox relay failed; trying again later');
    }
    // The backlog logs when messages start and stop waiting for room: they stop here.
    this.backlog.deferred(this.deferred.length);
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
