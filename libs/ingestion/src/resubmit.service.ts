import { Inject, Injectable } from '@nestjs/common';
import { createLogger } from '@hookline/config';
import { Topics } from '@hookline/contracts';
import { MessageStore } from '@hookline/persistence';
import { activeTraceContext, inSpan, linkTo, TraceAttributes } from '@hookline/tracing';
import { BUS, type Bus } from '@hookline/transport';
import { storedMessageRecord } from './message-events';

/** Runs a finished message again with the current configuration; old executions stay. */
@Injectable()
export class ResubmitService {
  private readonly log = createLogger('resubmit');

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly messages: MessageStore,
  ) {}

  /**
   * The new run, or null for an unknown message. Throws MessageBusyError while one is running.
   * Each run is a trace of its own, linked to what asked for it (an admin request, a bulk resubmission).
   */
  resubmit(messageId: string, resubmittedBy: string): Promise<number | null> {
    const requester = activeTraceContext();
    return inSpan(
      'hookline.resubmit',
      { root: true, links: requester ? linkTo(requester) : [], attributes: { [TraceAttributes.messageId]: messageId } },
      async (span) => {
        const run = await this.start(messageId, resubmittedBy);
        if (run !== null) span.setAttribute(TraceAttributes.run, run);
        return run;
      },
    );
  }

  private async start(messageId: string, resubmittedBy: string): Promise<number | null> {
    const run = await this.messages.startResubmission(messageId, resubmittedBy);
    if (run === null) return null;
    // Published through the outbox path: if the broker is down now, the relay publishes it later.
    await this.messages
      .relayOne(messageId, (message) => this.bus.publish(Topics.MessagesReceived, [storedMessageRecord(message)]))
      .catch((error) => this.log.warn({ err: error, messageId, run }, 'resubmission left to the outbox relay'));
    return run;
  }
}
