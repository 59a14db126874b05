import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { decodeEvent } from '@hookline/contracts';
import type { Logger } from '@hookline/config';
import type { Bus, IncomingRecord, Subscription } from './bus';

/** Extras of `@EventPattern(topic, extras)` for a Bus consumer. */
export interface BusPatternExtras {
  groupId: string;
  fromBeginning: boolean;
}

/**
 * Serves `@EventPattern(topic, { groupId, fromBeginning })` handlers from the Bus, so consumers are
 * ordinary Nest controllers whatever the transport. The handler's resolution commits the record.
 */
export class BusServer extends Server implements CustomTransportStrategy {
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly bus: Bus,
    private readonly options: { concurrency: (groupId: string) => number; logger: Logger },
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const [topic, handler] of this.messageHandlers) {
        const extras = handler.extras as BusPatternExtras | undefined;
        if (!extras?.groupId) throw new Error(`@EventPattern('${topic}') needs a groupId in its extras`);
        const subscription = await this.bus.subscribe(
          {
            topic,
            groupId: extras.groupId,
            fromBeginning: extras.fromBeginning,
            concurrency: this.options.concurrency(extras.groupId),
          },
          (record) => this.dispatch(topic, record),
        );
        this.subscriptions.push(subscription);
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async dispatch(topic: string, record: IncomingRecord): Promise<void> {
    let event: unknown;
    try {
      event = decodeEvent(record.value);
    } catch (error) {
      // A record nobody can read would block its partition forever; it is logged and passed over.
      this.options.logger.error(
        { err: error, topic, partition: record.partition, offset: record.offset, key: record.key },
        'skipping a record that is not valid JSON',
      );
      return;
    }
    const handler = this.messageHandlers.get(topic)!;
    await lastValueFrom(this.transformToObservable(await handler(event, record)), { defaultValue: undefined });
  }

  async close(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((subscription) => subscription.close()));
  }

  on(): never {
    throw new Error('BusServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}
