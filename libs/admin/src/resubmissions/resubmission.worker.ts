import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { createLogger, HOOKLINE_CONFIG, type HooklineConfig, type Logger } from '@hookline/config';
import { ResubmitService } from '@hookline/ingestion';
import {
  MessageBusyError,
  ResubmissionStatus,
  ResubmissionStore,
  RunStore,
  type Resubmission,
  type ResubmitOutcome,
} from '@hookline/persistence';

/** How often an idle worker looks for an operation to run. */
export const POLL_INTERVAL_MS = 1000;
/** Renewed with every message; an operation whose worker has been silent this long is taken over. */
const LEASE_MS = 30_000;
/** Messages read per query. */
const BATCH_SIZE = 100;

/**
 * Runs bulk resubmissions in the background, one at a time per process, at each one's rate. Every
 * replica of the admin API runs one: the lease decides which runs an operation. Progress is
 * recorded message by message, so an operation survives a restart: a stopping process lets go of
 * its lease after the message in hand, and a worker that died is taken over when its lease runs
 * out, where the cursor says. No message is resubmitted twice by one operation: the cursor is moved
 * to a message before it is resubmitted, and a message left in doubt is resubmitted again only if
 * its run has not moved on.
 */
@Injectable()
export class ResubmissionWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = createLogger('resubmissions');
  private readonly workerId: string;
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(HOOKLINE_CONFIG) config: HooklineConfig,
    private readonly store: ResubmissionStore,
    private readonly runs: RunStore,
    private readonly resubmitter: ResubmitService,
  ) {
    this.workerId = config.instanceId;
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  // Before shutdown rather than on it: the database must still be open to record where it stopped.
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.running = this.runNext().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, POLL_INTERVAL_MS);
    this.timer.unref();
  }

  /** Claims a waiting operation, if any, and runs it until it ends or this process stops. */
  async runNext(): Promise<void> {
    let operation: Resubmission | null;
    try {
      operation = await this.store.claim(this.workerId, LEASE_MS);
    } catch (error) {
      this.log.warn({ err: error }, 'could not look for bulk resubmissions; trying again');
      return;
    }
    if (!operation) return;
    const log = this.log.child({ resubmissionId: operation.id });
    try {
      await this.run(operation, log);
    } catch (error) {
      // If the database itself is gone this fails too, and the lease runs out: another worker resumes.
      log.error({ err: error }, 'bulk resubmission failed');
      await this.store
        .finish(operation.id, this.workerId, ResubmissionStatus.Failed, describe(error))
        .catch(() => undefined);
    }
  }

  private async run(operation: Resubmission, log: Logger): Promise<void> {
    if (operation.total === null) {
      const total = await this.store.countTotal(operation, this.workerId);
      log.info({ total, filter: operation.filter, requestedBy: operation.requestedBy }, 'bulk resubmission started');
    } else {
      log.info({ total: operation.total, done: operation.done }, 'bulk resubmission resumed');
    }
    if (!operation.cursorSettled) await this.settleInDoubt(operation);
    const pace = new Pace(operation.ratePerSecond);
    let before = operation.cursorId;
    for (;;) {
      const batch = await this.store.nextMessages(operation.filter, before, BATCH_SIZE);
      if (batch.length === 0) break;
      for (const message of batch) {
        if (!(await pace.wait(this.stopping.signal))) {
          await this.store.release(operation.id, this.workerId);
          log.info('bulk resubmission paused: this process is stopping; it resumes on the next start');
          return;
        }
        if (!(await this.store.begin(operation.id, this.workerId, message, LEASE_MS))) {
          log.info('bulk resubmission stopped: cancelled, or taken over by another worker');
          return;
        }
        await this.store.settle(operation.id, this.workerId, await this.resubmit(message.id, operation.requestedBy));
      }
      before = batch[batch.length - 1].id;
    }
    await this.store.finish(operation.id, this.workerId, ResubmissionStatus.Done);
    const finished = await this.store.get(operation.id);
    log.info(
      { total: finished?.total, done: finished?.done, skipped: finished?.skipped, failed: finished?.failed },
      'bulk resubmission done',
    );
  }

  /** The message in hand when the last worker stopped: resubmitted already, or not yet? */
  private async settleInDoubt(operation: Resubmission): Promise<void> {
    const state = await this.runs.state(operation.cursorId);
    let outcome: ResubmitOutcome;
    if (state === null) outcome = { kind: 'skipped' };
    else if (operation.cursorRun !== null && state.run > operation.cursorRun) outcome = { kind: 'done' };
    else outcome = await this.resubmit(operation.cursorId, operation.requestedBy);
    await this.store.settle(operation.id, this.workerId, outcome);
  }

  private async resubmit(messageId: string, requestedBy: string): Promise<ResubmitOutcome> {
    try {
      const run = await this.resubmitter.resubmit(messageId, requestedBy);
      // Null: deleted (by the retention purge) since it was listed.
      return run === null ? { kind: 'skipped' } : { kind: 'done' };
    } catch (error) {
      if (error instanceof MessageBusyError) return { kind: 'skipped' };
      this.log.warn({ err: error, messageId }, 'resubmitting a message failed');
      return { kind: 'failed', error: `message ${messageId}: ${describe(error)}` };
    }
  }
}

/** Spaces steps `1000 / ratePerSecond` ms apart; a step that fell behind does not make the next ones hurry. */
class Pace {
  private next = 0;
  private readonly intervalMs: number;

  constructor(ratePerSecond: number) {
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** False when stopped while waiting. */
  async wait(signal: AbortSignal): Promise<boolean> {
    const now = Date.now();
    const delay = this.next - now;
    this.next = Math.max(now, this.next) + this.intervalMs;
    if (delay > 0) await sleep(delay, undefined, { signal }).catch(() => undefined);
    return !signal.aborted;
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
