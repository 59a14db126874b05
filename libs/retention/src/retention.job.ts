import { createLogger, type HooklineConfig } from '@hookline/config';
import { FIRST_ID, RetentionStore, uuidv7Floor, type Queryable } from '@hookline/persistence';

/** What one run of the purge removed. */
export interface RetentionReport {
  /** Messages whose latest run started before this were due. */
  before: Date;
  messages: number;
  executions: number;
  /** Dead letters older than the cutoff whose message is gone. */
  deadLetters: number;
  batches: number;
  durationMs: number;
}

export interface RetentionJobOptions {
  /** Between batches, so the purge never holds the database for long. */
  pauseMs?: number;
  /** From start to the first run. */
  firstRunDelayMs?: number;
  now?: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Purges finished messages (and their executions) whose latest run started more than
 * `RETENTION_DAYS` ago: shortly after start, then every `RETENTION_INTERVAL_MS`, in batches of
 * `RETENTION_BATCH_SIZE` with a pause between them. One replica purges at a time; the others skip.
 */
export class RetentionJob {
  private readonly log = createLogger('retention');
  private readonly pauseMs: number;
  private readonly firstRunDelayMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopping = false;

  constructor(
    private readonly settings: HooklineConfig['retention'],
    private readonly store: RetentionStore,
    options: RetentionJobOptions = {},
  ) {
    this.pauseMs = options.pauseMs ?? 100;
    this.firstRunDelayMs = options.firstRunDelayMs ?? Math.min(settings.intervalMs, 15_000);
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.stopping = false;
    this.schedule(this.firstRunDelayMs);
  }

  /** Stops scheduling and lets a run in progress end after its current batch. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * One run: the report, or null when another replica holds the lock. Logs one line either way,
   * and a warning instead of throwing when the database fails (the next run tries again).
   */
  async runOnce(): Promise<RetentionReport | null> {
    const started = this.now();
    const before = new Date(started - this.settings.days * DAY_MS);
    try {
      const report = await this.store.exclusively((db) => this.purge(db, before, started));
      if (report) {
        this.log.info(report, 'retention purge finished');
      } else {
        this.log.info({ before }, 'retention purge skipped: another replica is purging');
      }
      return report;
    } catch (error) {
      this.log.warn({ err: error, before }, 'retention purge failed; trying again at the next run');
      return null;
    }
  }

  private async purge(db: Queryable, before: Date, started: number): Promise<RetentionReport> {
    const report: RetentionReport = { before, messages: 0, executions: 0, deadLetters: 0, batches: 0, durationMs: 0 };
    const belowId = uuidv7Floor(before);
    let after = FIRST_ID;
    while (!this.stopping) {
      const batch = await this.store.purgeBatch(db, { after, belowId, before, limit: this.settings.batchSize });
      report.batches += 1;
      report.messages += batch.messages;
      report.executions += batch.executions;
      if (batch.scanned < this.settings.batchSize || !batch.last) break;
      after = batch.last;
      await sleep(this.pauseMs);
    }
    while (!this.stopping) {
      const purged = await this.store.purgeDeadLetters(db, before, this.settings.batchSize);
      report.deadLetters += purged;
      if (purged < this.settings.batchSize) break;
      await sleep(this.pauseMs);
    }
    report.durationMs = this.now() - started;
    return report;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = null;
        if (this.timer && !this.stopping) this.schedule(this.settings.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
