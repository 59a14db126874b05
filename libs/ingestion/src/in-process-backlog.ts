import { Inject, Injectable } from '@nestjs/common';
import { HOOKLINE_CONFIG, createLogger, type HooklineConfig } from '@hookline/config';
import { BUS, type Bus } from '@hookline/transport';
import { pipelineLag } from './pipeline-lag';

/**
 * How many more records the bus should take now. Embedded, the in-process bus keeps every record
 * the matcher and executors have not handled in memory: under a burst the ingress outpaces them,
 * and that backlog was most of the process's peak (measured: 790 MB of RSS for 100,000 webhooks at
 * 50 connections, against 235 MB at start). Past EMBEDDED_MAX_BACKLOG records, accepted messages
 * stay where they already are, in the database, and the outbox relay hands them over as room
 * frees up. On Kafka the broker keeps the backlog on disk: there is no limit.
 */
@Injectable()
export class InProcessBacklog {
  private readonly log = createLogger('ingress');
  private readonly limit: number;
  private deferring = false;

  constructor(
    @Inject(HOOKLINE_CONFIG) config: HooklineConfig,
    @Inject(BUS) private readonly bus: Bus,
  ) {
    this.limit = config.kafka.brokers.length === 0 ? config.embedded.maxBacklog : 0;
  }

  /** A quarter of the limit: what is worth handing over at once while messages wait for room. */
  get chunk(): number {
    return Math.ceil(this.limit / 4);
  }

  /** Records the bus takes now before the limit; Infinity without one. */
  async room(): Promise<number> {
    if (this.limit === 0) return Infinity;
    const lag = await pipelineLag(this.bus);
    return lag === null ? Infinity : Math.max(0, this.limit - lag);
  }

  /** Told how many accepted messages wait for room in the relay's queue, to log when that starts and stops. */
  deferred(count: number): void {
    if (count > 0 === this.deferring) return;
    this.deferring = count > 0;
    this.log.info(
      { maxBacklog: this.limit },
      this.deferring
        ? `the in-process bus holds EMBEDDED_MAX_BACKLOG=${this.limit} records: accepted messages wait in the database for the outbox relay`
        : 'the in-process bus has room again: accepted messages are published at once',
    );
  }
}
