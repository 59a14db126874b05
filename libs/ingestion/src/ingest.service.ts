import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { HOOKLINE_CONFIG, createLogger, type HooklineConfig } from '@hookline/config';
import { Topics, type ReplyEvent, type WebhookRequest } from '@hookline/contracts';
import { MessageStore, type NewMessage } from '@hookline/persistence';
import { activeTraceContext, annotateActiveSpan, inSpan, TraceAttributes, type Context } from '@hookline/tracing';
import { BUS, Coalescer, type Bus } from '@hookline/transport';
import { StoreUnavailableError, SyncBusyError } from './errors';
import { messageReceivedRecord } from './message-events';
import { DRAINED, ReplyRegistry } from './reply-registry';
import { InProcessBacklog } from './in-process-backlog';
import { OutboxRelay } from './outbox-relay';
import { SyncLagGuard } from './sync-lag-guard';

/** A webhook request as the HTTP layer hands it over. */
export type IncomingWebhook = Omit<NewMessage, 'id' | 'replyTo' | 'receivedAt'>;

export type IngestResult =
  | { kind: 'accepted'; messageId: string }
  | { kind: 'outcome'; messageId: string; reply: ReplyEvent }
  | { kind: 'timeout'; messageId: string; timeoutMs: number }
  | { kind: 'draining'; messageId: string };

/** Stored messages whose publication may be under way at once; past it the outbox relays them. */
const MAX_PUBLISHING = 10_000;
/**
 * How long published ids gather before one statement marks them. Marked at once, a sync request's
 * message took a statement of its own (a third of the statements at ten sync connections), which
 * also locked the row the matcher was about to plan; the outbox relays only messages unmarked for
 * OUTBOX_MIN_AGE_MS, far longer.
 */
const MARK_PUBLISHED_WAIT_MS = 100;

/**
 * Stores a message, answers, and publishes it. A message is accepted once PostgreSQL holds it:
 * the publication happens off the request path, and whatever the broker does not acknowledge
 * (down, slow, this process gone) the outbox relay publishes later. Concurrent requests are stored
 * with one INSERT and published with one produce request per batch.
 */
@Injectable()
export class IngestService implements OnApplicationShutdown {
  private readonly log = createLogger('ingress');
  private readonly storing: Coalescer<NewMessage, void>;
  private readonly published: Coalescer<{ id: string; at: Date }, void>;
  /** Publications under way, and the messages in them. */
  private readonly publishing = new Set<Promise<void>>();
  private publishingCount = 0;
  /** The request's trace context of each message being stored (tracing on), for its record. */
  private readonly traces = new WeakMap<NewMessage, Context>();

  constructor(
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    @Inject(BUS) private readonly bus: Bus,
    private readonly messages: MessageStore,
    private readonly replies: ReplyRegistry,
    private readonly lagGuard: SyncLagGuard,
    private readonly backlog: InProcessBacklog,
    private readonly outbox: OutboxRelay,
  ) {
    this.storing = new Coalescer((batch) => this.store(batch), { maxBatch: 256, maxInFlight: 4 });
    // Marking published is bookkeeping for the outbox: off the request path, batched.
    this.published = new Coalescer<{ id: string; at: Date }, void>(
      async (published) => {
        await this.messages.markPublished(published);
        return published.map(() => undefined);
      },
      { maxBatch: 1000, maxInFlight: 1, waitMs: MARK_PUBLISHED_WAIT_MS },
    );
  }

  /** Publications under way end, and what they published is marked, before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.publishing]);
    await this.published.settle();
  }

  /**
   * Accepts a webhook once it is stored (throws StoreUnavailableError when it could not be, and
   * SyncBusyError, storing nothing, for a sync request beyond SYNC_MAX_WAITERS or SYNC_MAX_LAG). A sync
   * request then waits for its outcome within SYNC_TIMEOUT_MS, through a broker outage too: the
   * outbox relays the message when the broker is back.
   */
  async accept(webhook: IncomingWebhook, sync: boolean): Promise<IngestResult> {
    const message: NewMessage = { ...webhook, id: uuidv7(), receivedAt: new Date(), replyTo: null };
    annotateActiveSpan({ [TraceAttributes.messageId]: message.id });
    const trace = activeTraceContext();
    if (trace) this.traces.set(message, trace);
    if (!sync) {
      await this.stored(message);
      return { kind: 'accepted', messageId: message.id };
    }
    if (this.replies.size >= this.config.sync.maxWaiters) {
      throw new SyncBusyError(`this replica already holds ${this.config.sync.maxWaiters} sync requests`);
    }
    if (this.lagGuard.behind) {
      throw new SyncBusyError(
        `the matcher and executors are ${this.lagGuard.lag} records behind (more than SYNC_MAX_LAG=${this.config.sync.maxLag})`,
      );
    }
    message.replyTo = message.id;
    // Waiting starts before publishing: the reply may come back before the broker's ack does.
    const reply = this.replies.wait(message.id, this.config.sync.timeoutMs);
    try {
      await this.stored(message);
    } catch (error) {
      this.replies.cancel(message.id);
      throw error;
    }
    const outcome = await reply;
    if (outcome === DRAINED) return { kind: 'draining', messageId: message.id };
    return outcome
      ? { kind: 'outcome', messageId: message.id, reply: outcome }
      : { kind: 'timeout', messageId: message.id, timeoutMs: this.config.sync.timeoutMs };
  }

  /** Resolves once the message is stored (with others of its batch). */
  private stored(message: NewMessage): Promise<void> {
    return inSpan('hookline.store', { attributes: { [TraceAttributes.messageId]: message.id } }, () =>
      this.storing.submit(message),
    );
  }

  private async store(batch: NewMessage[]): Promise<void[]> {
    let revision: number;
    try {
      revision = await this.messages.insertMany(batch);
    } catch (error) {
      this.log.error(
        { err: error, count: batch.length, messageIds: batch.map((m) => m.id) },
        'storing messages failed',
      );
      throw new StoreUnavailableError(error);
    }
    this.publish(batch, revision);
    return batch.map(() => undefined);
  }

  /** Publishes stored messages in the background; what fails or is left out the outbox relays. */
  private publish(batch: NewMessage[], configRevision: number): void {
    if (this.publishingCount + batch.length > MAX_PUBLISHING) {
      this.log.warn(
        { count: batch.length, publishing: this.publishingCount, messageIds: batch.map((m) => m.id) },
        'broker behind; left to the outbox relay',
      );
      return;
    }
    this.publishingCount += batch.length;
    const publication: Promise<void> = this.publishWithinBacklog(batch, configRevision)
      .catch((error) =>
        this.log.warn(
          { err: error, count: batch.length, messageIds: batch.map((m) => m.id) },
          'publishing stored messages failed; the outbox relay will publish them',
        ),
      )
      .finally(() => {
        this.publishingCount -= batch.length;
        this.publishing.delete(publication);
      });
    this.publishing.add(publication);
  }

  private async publishWithinBacklog(batch: NewMessage[], configRevision: number): Promise<void> {
    // Behind messages already waiting for room, in the order they came.
    let room = this.outbox.deferredCount > 0 ? 0 : await this.backlog.room();
    const now: NewMessage[] = [];
    const later: string[] = [];
    for (const m of batch) {
      // A sync request is waited on: it goes now. Async messages past the room wait in the database.
      if (m.replyTo !== null || room-- > 0) now.push(m);
      else later.push(m.id);
    }
    if (later.length > 0) this.outbox.defer(later);
    // Not later.length: a batch of sync requests alone does not end the wait of those deferred.
    this.backlog.deferred(this.outbox.deferredCount);
    if (now.length === 0) return;
    const records = now.map((m) =>
      messageReceivedRecord(
        {
          messageId: m.id,
          run: 0,
          runStartedAt: m.receivedAt.toISOString(),
          request: toWebhookRequest(m),
          replyTo: m.replyTo ? { correlationId: m.replyTo } : null,
          resubmittedBy: null,
          configRevision,
        },
        this.traces.get(m),
      ),
    );
    await this.bus.publish(Topics.MessagesReceived, records);
    const at = new Date();
    for (const m of now) {
      this.published
        .submit({ id: m.id, at })
        .catch((error) => this.log.warn({ err: error, messageId: m.id }, 'could not mark published'));
    }
  }
}

export function toWebhookRequest(m: NewMessage): WebhookRequest {
  return {
    method: m.method,
    uri: m.uri,
    query: m.query,
    headers: m.headers,
    remoteAddr: m.remoteAddr,
    contentType: m.contentType,
    body: m.body.toString('base64'),
    receivedAt: m.receivedAt.toISOString(),
  };
}
