import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HOOKLINE_CONFIG, createLogger, type HooklineConfig } from '@hookline/config';
import { encodeEvent, SCHEMA_HEADER, Topics, type JobEvent } from '@hookline/contracts';
import { RunStore } from '@hookline/persistence';
import { contextWithSpan, startSpan, TraceAttributes, traceHeaders } from '@hookline/tracing';
import { BUS, type Bus } from '@hookline/transport';

/**
 * Publishes the jobs of function retries whose backoff is over. A retry waits in the database, not
 * on a partition, so the records behind it keep flowing and an executor that stops loses none.
 * Every executor runs it; replicas skip each other's locked rows.
 */
@Injectable()
export class RetryRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('retry-relay');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    @Inject(BUS) private readonly bus: Bus,
    private readonly runs: RunStore,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.relay().finally(() => {
        this.running = null;
        if (this.timer) this.schedule();
      });
    }, this.config.functionRetries.intervalMs);
    this.timer.unref();
  }

  /** Publishes every due retry, batch after batch; a failure is logged and tried next time. */
  async relay(): Promise<number> {
    const { batchSize } = this.config.functionRetries;
    let total = 0;
    try {
      for (;;) {
        const count = await this.runs.relayDueRetries(batchSize, (retries) =>
          this.publish(
            retries.map((retry) => ({
              executionId: retry.executionId,
              messageId: retry.messageId,
              run: retry.run,
              providerId: retry.providerId,
              functionId: retry.functionId,
              runStartedAt: retry.runStartedAt,
              request: retry.request,
              replyTo: retry.replyTo ? { correlationId: retry.replyTo } : null,
            })),
          ),
        );
        total += count;
        if (count < batchSize) break;
      }
      if (total > 0) this.log.debug({ retries: total }, 'published due function retries');
    } catch (error) {
      this.log.warn({ err: error }, 'publishing due function retries failed; trying again later');
    }
    return total;
  }

  /**
   * The failed try's trace context is not stored with the retry: each retry starts a trace of its
   * own (`hookline.retry.relay`, with the message, execution and function ids). Tracing off, the
   * spans are no-ops and the records carry no trace headers.
   */
  private async publish(jobs: JobEvent[]): Promise<void> {
    const spans = jobs.map((job) =>
      startSpan('hookline.retry.relay', {
        root: true,
        attributes: {
          [TraceAttributes.messageId]: job.messageId,
          [TraceAttributes.run]: job.run,
          [TraceAttributes.executionId]: job.executionId,
          [TraceAttributes.functionId]: job.functionId,
        },
      }),
    );
    try {
      await this.bus.publish(
        Topics.Jobs,
        jobs.map((job, i) => ({
          key: job.messageId,
          value: encodeEvent(job),
          headers: { [SCHEMA_HEADER]: Topics.Jobs, ...traceHeaders(contextWithSpan(spans[i])) },
        })),
      );
    } finally {
      for (const span of spans) span.end();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
