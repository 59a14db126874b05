import { Inject, Injectable } from '@nestjs/common';
import { createLogger } from '@hookline/config';
import { Topics } from '@hookline/contracts';
import { MessageStore } from '@hookline/persistence';
import { BUS, type Bus } from '@hookline/transport';
import { messageReceivedRecord } from './message-events';

/** Runs a finished message again with the current configuration; old executions stay. */
@Injectable()
export class ResubmitService {
  private readonly log = createLogger('resubmit');

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly messages: MessageStore,
  ) {}

  /** The new run, or null for an unknown message. Throws MessageBusyError while one is running. */
  async resubmit(messageId: string, resubmittedBy: string): Promise<number | null> {
    const run = await this.messages.startResubmission(messageId, resubmittedBy);
    if (run === null) return null;
    // Published through the outbox path: if the broker is down now, the relay publishes it later.
    await this.messages
      .relayOne(messageId, (message) =>
        this.bus.publish(Topics.MessagesReceived, [
          messageReceivedRecord({
            messageId: message.id,
            run: message.run,
            runStartedAt: message.runStartedAt,
            request: message.request,
            replyTo: null,
            resubmittedBy: message.resubmittedBy,
          }),
        ]),
      )
      .catch((error) => this.log.warn({ err: error, messageId }, 'resubmission left to the outbox relay'));
    return run;
  }
}
