import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { HOOKLINE_CONFIG, createLogger, type HooklineConfig } from '@hookline/config';
import { Topics, type ReplyEvent, type WebhookRequest } from '@hookline/contracts';
import { MessageStore, type NewMessage } from '@hookline/persistence';
import { BUS, Coalescer, type Bus } from '@hookline/transport';
import { BrokerUnavailableError, StoreUnavailableError } from './errors';
import { messageReceivedRecord } from './message-events';
import { ReplyRegistry } from './reply-registry';

/** A webhook request as the HTTP layer hands it over. */
export type IncomingWebhook = Omit<NewMessage, 'id' | 'replyTo' | 'receivedAt'>;

export type IngestResult =
  | { kind: 'accepted'; messageId: string }
  | { kind: 'outcome'; messageId: string; reply: ReplyEvent }
  | { kind: 'timeout'; messageId: string; timeoutMs: number };

/**
 * Stores a message and publishes it; answers only once both are durable. Concurrent requests are
 * stored with one INSERT and published with one produce request per batch.
 */
@Injectable()
export class IngestService {
  private readonly log = createLogger('ingress');
  private readonly pipeline: Coalescer<NewMessage, null | BrokerUnavailableError>;
  private readonly published: Coalescer<string, void>;

  constructor(
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    @Inject(BUS) private readonly bus: Bus,
    private readonly messages: MessageStore,
    private readonly replies: ReplyRegistry,
  ) {
    this.pipeline = new Coalescer((batch) => this.storeAndPublish(batch), { maxBatch: 256, maxInFlight: 4 });
    // Marking published is bookkeeping for the outbox: off the request path, batched.
    this.published = new Coalescer<string, void>(
      async (ids) => {
        await this.messages.markPublished(ids);
        return ids.map(() => undefined);
      },
      { maxBatch: 1000, maxInFlight: 1 },
    );
  }

  async accept(webhook: IncomingWebhook, sync: boolean): Promise<IngestResult> {
    const message: NewMessage = { ...webhook, id: uuidv7(), receivedAt: new Date(), replyTo: null };
    if (!sync) {
      await this.submit(message);
      return { kind: 'accepted', messageId: message.id };
    }
    message.replyTo = message.id;
    // Waiting starts before publishing: the reply may come back before the broker's ack does.
    const reply = this.replies.wait(message.id, this.config.sync.timeoutMs);
    try {
      await this.submit(message);
    } catch (error) {
      this.replies.cancel(message.id);
      throw error;
    }
    const outcome = await reply;
    return outcome
      ? { kind: 'outcome', messageId: message.id, reply: outcome }
      : { kind: 'timeout', messageId: message.id, timeoutMs: this.config.sync.timeoutMs };
  }

  private async submit(message: NewMessage): Promise<void> {
    const failure = await this.pipeline.submit(message);
    if (failure) throw failure;
  }

  private async storeAndPublish(batch: NewMessage[]): Promise<Array<null | BrokerUnavailableError>> {
    try {
      await this.messages.insertMany(batch);
    } catch (error) {
      this.log.error({ err: error, count: batch.length }, 'storing messages failed');
      throw new StoreUnavailableError(error);
    }
    const records = batch.map((m) =>
      messageReceivedRecord({
        messageId: m.id,
        run: 0,
        runStartedAt: m.receivedAt.toISOString(),
        request: toWebhookRequest(m),
        replyTo: m.replyTo ? { correlationId: m.replyTo } : null,
        resubmittedBy: null,
      }),
    );
    try {
      await this.bus.publish(Topics.MessagesReceived, records);
    } catch (error) {
      this.log.error(
        { err: error, count: batch.length },
        'publishing stored messages failed; the outbox will relay them',
      );
      return batch.map((m) => new BrokerUnavailableError(m.id, error));
    }
    for (const m of batch) {
      this.published
        .submit(m.id)
        .catch((error) => this.log.warn({ err: error, messageId: m.id }, 'could not mark published'));
    }
    return batch.map(() => null);
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
