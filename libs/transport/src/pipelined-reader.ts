import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger } from '@hookline/config';
import type { IncomingRecord, RecordHandler, SubscribeOptions } from './bus';
import { OffsetWindow, type Ticket } from './offset-window';

/** How long a batch waits for a free slot before it heartbeats again. */
const HEARTBEAT_MS = 1_000;
/**
 * How long a handled record's offset waits for others to share its commit. Committing after every
 * record made a third of all Kafka requests at ten sync connections; a record handled but not
 * committed when a process dies is read again, which every handler allows (Kafka's own consumers
 * commit every 5 s by default).
 */
const COMMIT_INTERVAL_MS = 50;
/** Pauses before a record whose handler gave it back is tried again (it already retried itself). */
const RETRY_BACKOFF_MS = [1_000, 2_000, 5_000];

/**
 * Hands a consumer's records to the handler as they arrive instead of batch by batch. kafkajs
 * fetches again only once every batch of the last fetch has been handled, so with handlers awaited
 * in the batch a record waited for the slowest record of the fetch before it, then for a commit, then
 * for the next fetch (28 ms at the median for a sync request's job at ten connections). Here a batch
 * starts its records (up to `concurrency` running per partition) and returns; offsets are
 * committed in the background every COMMIT_INTERVAL_MS, never past a record that has not finished.
 * A handler that throws (the redelivery wrapper gave the record back: the system was unhealthy, or
 * stopping) has its record tried again here after a pause, holding back the commit of its
 * partition meanwhile.
 */
export class PipelinedReader {
  private readonly window: OffsetWindow;
  private readonly running = new Set<Promise<void>>();
  private stopping = false;
  private committing: Promise<void> | null = null;
  private commitAgain = false;
  private commitTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: SubscribeOptions,
    private readonly handler: RecordHandler,
    private readonly logger: Logger,
  ) {
    this.window = new OffsetWindow(options.concurrency);
  }

  /** kafkajs's eachBatch: starts the batch's records, waiting only while its partition is full. */
  async take({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const live = () => isRunning() && !isStale() && !this.stopping;
    for (const message of batch.messages) {
      while (this.window.full(batch.partition)) {
        if (!live()) return;
        await this.window.changed(HEARTBEAT_MS);
        await heartbeat();
      }
      if (!live()) return;
      this.start(batch.partition, message);
      resolveOffset(message.offset);
    }
  }

  /** The group's assignment changed: what ran before is committed by nobody (it will be read again). */
  reassigned(): void {
    this.window.reassigned();
  }

  /** Starts no more records, lets those under way finish, and commits them. */
  async stop(): Promise<void> {
    this.stopping = true;
    // No more fetches: a batch refused now would only be fetched again, at once, until the drain ends.
    try {
      this.consumer.pause([{ topic: this.options.topic }]);
    } catch {
      // Not running yet (closed while starting): there is nothing to pause.
    }
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    if (this.commitTimer) clearTimeout(this.commitTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    while (this.committing) await this.committing;
    await this.commit();
    while (this.committing) await this.committing;
  }

  private start(partition: number, message: KafkaMessage): void {
    const ticket = this.window.start(partition, BigInt(message.offset));
    const record: IncomingRecord = {
      topic: this.options.topic,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      value: message.value,
      headers: decodeHeaders(message.headers),
    };
    const work = this.handle(record, ticket).finally(() => this.running.delete(work));
    this.running.add(work);
  }

  private async handle(record: IncomingRecord, ticket: Ticket): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.handler(record);
        this.window.finish(ticket, true);
        this.commitSoon();
        return;
      } catch (error) {
        if (this.stopping || !this.window.current(ticket)) {
          // Not committed: whoever reads the partition next gets the record again.
          this.window.finish(ticket, false);
          return;
        }
        const delay = RETRY_BACKOFF_MS[Math.min(attempt, RETRY_BACKOFF_MS.length - 1)];
        this.logger.warn(
          {
            err: error,
            group: this.options.groupId,
            topic: record.topic,
            offset: record.offset,
            messageId: record.key,
          },
          `a record was handed back; trying it again in ${delay} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Commits within COMMIT_INTERVAL_MS, with whatever else finishes meanwhile; stop() commits the rest. */
  private commitSoon(): void {
    if (this.commitTimer || this.stopping) return;
    this.commitTimer = setTimeout(() => {
      this.commitTimer = null;
      void this.commit();
    }, COMMIT_INTERVAL_MS);
  }

  /** Commits what moved, one commit at a time: what finishes meanwhile goes with the next. */
  private commit(): Promise<void> {
    if (this.committing) {
      this.commitAgain = true;
      return this.committing;
    }
    const offsets = this.window.takeCommittable();
    if (offsets.length === 0) return Promise.resolve();
    const topic = this.options.topic;
    this.committing = this.consumer
      .commitOffsets(offsets.map(({ partition, offset }) => ({ topic, partition, offset })))
      .catch((error: unknown) => {
        // Taken again by the next commit; if none comes, handled records may be read again.
        this.window.uncommitted(offsets);
        this.logger.warn({ err: error, group: this.options.groupId, topic, offsets }, 'could not commit offsets');
        if (!this.stopping && !this.retryTimer) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            void this.commit();
          }, RETRY_BACKOFF_MS[0]);
        }
      })
      .finally(() => {
        this.committing = null;
        if (this.commitAgain) {
          this.commitAgain = false;
          void this.commit();
        }
      });
    return this.committing;
  }
}

function decodeHeaders(headers: KafkaMessage['headers']): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== null) decoded[name] = first.toString();
  }
  return decoded;
}
