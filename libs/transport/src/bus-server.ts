import { CustomTransportStrategy, RpcException, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { decodeEvent } from '@hookline/contracts';
import type { HooklineConfig, Logger } from '@hookline/config';
import type { Bus, IncomingRecord, Subscription } from './bus';
import { isConsumerDeclaration, subscribeOptions } from './consumer';
import { withBoundedRedelivery, type DeadLetterHandler, type RedeliveryPolicy } from './redelivery';

export interface BusServerOptions {
  /** What the consumers' declarations read: their concurrency, for one. */
  config: HooklineConfig;
  redelivery: RedeliveryPolicy;
  /** Whether the database and the bus answer (a record failing while they do not is not dead-lettered). */
  healthy: () => Promise<boolean>;
  deadLetters?: DeadLetterHandler;
  logger: Logger;
}

/**
 * Serves `@BusConsumer(declaration)` handlers from the Bus, so consumers are ordinary Nest
 * controllers whatever the transport. The handler's resolution commits the record;
 * one that keeps failing is dead-lettered after the bounded redelivery (see withBoundedRedelivery).
 */
export class BusServer extends Server implements CustomTransportStrategy {
  private readonly subscriptions: Subscription[] = [];
  private stopping = false;

  constructor(
    private readonly bus: Bus,
    private readonly options: BusServerOptions,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const [topic, handler] of this.messageHandlers) {
        const declaration = handler.extras?.consumer;
        if (!isConsumerDeclaration(declaration)) {
          throw new Error(`the handler of '${topic}' is not a @BusConsumer(defineConsumer({ … }))`);
        }
        const options = subscribeOptions(declaration, this.options.config);
        const subscription = await this.bus.subscribe(
          options,
          withBoundedRedelivery((record) => this.dispatch(topic, record), {
            groupId: options.groupId,
            policy: this.options.redelivery,
            bus: this.bus,
            healthy: this.options.healthy,
            deadLetters: this.options.deadLetters,
            stopping: () => this.stopping,
            logger: this.options.logger,
          }),
        );
        this.subscriptions.push(subscription);
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async dispatch(topic: string, record: IncomingRecord): Promise<void> {
    // A record nobody can read fails every attempt and ends as a dead letter, visible, not skipped.
    const event = decodeEvent(record.value);
    const handler = this.messageHandlers.get(topic)!;
    await lastValueFrom(this.transformToObservable(await handler(event, record)), { defaultValue: undefined });
  }

  async close(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.subscriptions.splice(0).map((subscription) => subscription.close()));
  }

  on(): never {
    throw new Error('BusServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}

/**
 * Nest turns an error thrown by an `@EventPattern` handler into `{ status, message: 'Internal
 * server error' }`; the bus needs the error itself, to retry the record and to say in its dead
 * letter what went wrong. A consumer hands its work over through this: an RpcException carries the
 * original error through Nest's exception handling untouched.
 */
export function forBus<T>(work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    throw new RpcException(typeof error === 'object' && error !== null ? error : { message: String(error) });
  });
}
