import { Inject, Injectable, Optional } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { createLogger, HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import {
  encodeEvent,
  MessageStatus,
  RUN_BY_HEADER,
  SCHEMA_HEADER,
  storable,
  Topics,
  type JobEvent,
  type MessageReceivedEvent,
} from '@hookline/contracts';
import {
  RunStore,
  type PlannedExecution,
  type RunPlan,
  type ScriptLogLine,
  type StartedExecution,
} from '@hookline/persistence';
import { ConfigCache, JOB_RUNNER, ReplyPublisher, scriptInput, type JobRunner } from '@hookline/pipeline';
import { formatScriptError, ScriptSandbox } from '@hookline/sandbox';
import { annotateActiveSpan, inSpan, TraceAttributes } from '@hookline/tracing';
import { BUS, type Bus, type OutgoingRecord } from '@hookline/transport';
import { dedupClaim } from './dedup-claim';
import { metrics } from '@hookline/metrics';

/**
 * Finds the message's provider (first active one whose match script returns true, in sequence
 * order; later ones are never evaluated) and plans one job per active function of that provider
 * for the message's URI. Redelivered messages re-emit the unfinished jobs of the recorded plan.
 * A first delivery that repeats the dedup header value of an earlier one of the same provider,
 * within its window, is recorded as DUPLICATE and runs nothing; a sync duplicate gets the
 * original's outcome, now or when the original's run finishes.
 *
 * Given a JobRunner (the executors' use case in this process), the matcher runs the jobs of a sync
 * run itself, up to MATCHER_SYNC_RUNS at once: the caller waits for one Kafka round trip less (the
 * jobs topic's: 2.4–2.8 ms at the median on a bare broker here). The jobs are still published, with
 * RUN_BY_HEADER, for other consumers; executors leave them alone.
 */
@Injectable()
export class MatchMessageUseCase {
  private readonly log = createLogger('matcher');
  /** Jobs of sync runs this process is running itself. */
  private syncRuns = 0;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly runs: RunStore,
    private readonly config: ConfigCache,
    private readonly sandbox: ScriptSandbox,
    private readonly replies: ReplyPublisher,
    @Inject(HOOKLINE_CONFIG) private readonly settings: HooklineConfig,
    @Optional() @Inject(JOB_RUNNER) private readonly runner?: JobRunner,
  ) {}

  async execute(event: MessageReceivedEvent): Promise<void> {
    const { messageId, run } = event;
    annotateActiveSpan({ [TraceAttributes.messageId]: messageId, [TraceAttributes.run]: run });
    // Planned only if the run is still RECEIVED (checked as it is recorded): a first delivery needs
    // no read of the message's state; a redelivery or a stale run is told by recordPlan's null.
    // Match scripts' log lines may hold U+0000 or lone surrogates: recorded made storable.
    const plan = await this.plan(event);
    // A sync run whose jobs run here has them started by the plan's own statement.
    const slots = plan.status === MessageStatus.Processing ? this.takeSyncSlots(event, plan.executions.length) : 0;
    try {
      return await this.record(event, { ...plan, start: slots > 0 });
    } finally {
      this.syncRuns -= slots;
    }
  }

  private async record(event: MessageReceivedEvent, plan: RunPlan): Promise<void> {
    const { messageId, run } = event;
    const recorded = await this.runs.recordPlan(storable(plan));
    if (!recorded) return this.resume(event);
    annotateActiveSpan({
      [TraceAttributes.status]: recorded.status,
      ...(recorded.providerId ? { [TraceAttributes.providerId]: recorded.providerId } : {}),
    });
    this.log.info(
      {
        messageId,
        run,
        status: recorded.status,
        provider: recorded.providerName,
        jobs: recorded.executions.length,
        ...(recorded.duplicateOf ? { duplicateOf: recorded.duplicateOf } : {}),
      },
      'matched',
    );
    // A run that ends here (nothing to execute) is final; executors count the others.
    if (recorded.status === MessageStatus.Unmatched || recorded.status === MessageStatus.Duplicate)
      metrics.messagesFinished.inc({ status: recorded.status });
    if (recorded.status === MessageStatus.Duplicate) return this.replyAsDuplicate(event);
    return this.emit(event, recorded.executions, recorded.providerId, recorded.deduplicated, recorded.startedAt);
  }

  /**
   * Takes room for `jobs` jobs of a sync run to run here, all or none: the count taken, which the
   * caller gives back once they have ended.
   */
  private takeSyncSlots(event: MessageReceivedEvent, jobs: number): number {
    if (!event.replyTo || !this.runner || jobs === 0) return 0;
    if (this.syncRuns + jobs > this.settings.matcher.syncRuns) return 0;
    this.syncRuns += jobs;
    return jobs;
  }

  private async plan(event: MessageReceivedEvent): Promise<RunPlan> {
    const { messageId, run, request } = event;
    const config = await this.config.asOf(event.runStartedAt, event.configRevision);
    const matchLog: ScriptLogLine[] = [];
    const base = { messageId, run, matchLog, resubmittedBy: event.resubmittedBy, dedup: null };
    for (const provider of config.activeProviders) {
      const outcome = await inSpan(
        'hookline.match_script',
        { attributes: { [TraceAttributes.messageId]: messageId, [TraceAttributes.providerId]: provider.id } },
        async (span) => {
          const outcome = await this.sandbox.run(
            'match',
            provider.matchScript,
            scriptInput(messageId, request, provider),
          );
          span.setAttribute('hookline.matched', outcome.ok && outcome.matched === true);
          return outcome;
        },
      );
      matchLog.push(...outcome.logs.map((line) => ({ ...line, text: `[${provider.name}] ${line.text}` })));
      if (!outcome.ok) {
        const text = `[${provider.name}] match script failed, counted as no match: ${outcome.error ? formatScriptError(outcome.error) : 'unknown error'}`;
        matchLog.push({ level: 'SEVERE', text, at: new Date().toISOString() });
        continue;
      }
      if (!outcome.matched) continue;
      const functions = config.functionsFor(provider.id, request.uri);
      // A resubmission is an operator's decision to run again: only first deliveries are deduplicated.
      const dedup = run === 0 ? dedupClaim(provider, request.headers) : null;
      const matched = { ...base, providerId: provider.id, providerName: provider.name, dedup };
      if (functions.length === 0) {
        return {
          ...matched,
          status: MessageStatus.Unmatched,
          message: `provider '${provider.name}' matched but has no active function for URI '${request.uri}'`,
          executions: [],
        };
      }
      return {
        ...matched,
        status: MessageStatus.Processing,
        message: null,
        executions: functions.map((fn) => ({ id: uuidv7(), functionId: fn.id, functionName: fn.name })),
      };
    }
    return {
      ...base,
      status: MessageStatus.Unmatched,
      providerId: null,
      providerName: null,
      message: 'no active provider matched',
      executions: [],
    };
  }

  /** Planned before (a redelivery): carries on where the plan stands. */
  private async resume(event: MessageReceivedEvent): Promise<void> {
    const { messageId, run } = event;
    const state = await this.runs.state(messageId);
    if (!state) {
      this.log.warn({ messageId }, 'message not found (purged?); skipped');
      return;
    }
    if (state.run !== run) {
      this.log.info({ messageId, run, current: state.run }, 'stale run; skipped');
      return;
    }
    if (state.status === MessageStatus.Processing) {
      const unfinished = await this.runs.unfinishedExecutions(messageId, run);
      // None left to emit: the rest are retries waiting for their backoff, which the retry relay publishes.
      if (unfinished.length === 0) return;
      return this.emit(event, unfinished, state.providerId, state.dedupKey !== null);
    }
    if (state.status === MessageStatus.Duplicate) return this.replyAsDuplicate(event);
    // Finished here (UNMATCHED): its replies may not have gone out if the matcher stopped right after.
    await this.replies.replyToWaiters(messageId, run, {
      replyTo: event.replyTo?.correlationId ?? null,
      deduplicated: state.dedupKey !== null,
    });
  }

  /**
   * A sync duplicate gets its original's outcome if that has finished; else whoever finishes the
   * original's run replies to it. Asked after the DUPLICATE is committed, so one of the two sees it.
   */
  private async replyAsDuplicate(event: MessageReceivedEvent): Promise<void> {
    if (event.replyTo) await this.replies.replyIfFinished(event.messageId, event.run, event.replyTo.correlationId);
  }

  /**
   * Publishes the run's jobs for the executors, or runs them here: those the plan started
   * (`startedAt`), or those of a sync run resumed after a redelivery while there is room.
   */
  private async emit(
    event: MessageReceivedEvent,
    executions: PlannedExecution[],
    providerId: string | null,
    deduplicated: boolean,
    startedAt: Date | null = null,
  ): Promise<void> {
    if (executions.length === 0 || !providerId) {
      // Finished without jobs (UNMATCHED): this matcher answers whoever waits.
      await this.replies.replyToWaiters(event.messageId, event.run, {
        replyTo: event.replyTo?.correlationId ?? null,
        deduplicated,
      });
      return;
    }
    // Jobs carry the request, body included: 1.9 KB for a 1 KiB body (274 bytes without it), 1.4 MB
    // for a 1 MiB one, under the 4 MiB record limit. A reference would cost every job a read of the
    // body from PostgreSQL, the kind of round trip this path is kept free of; with many functions
    // per URI and large bodies that trade may turn, and would be measured then.
    const jobs = executions.map((execution): JobEvent => ({
      executionId: execution.id,
      messageId: event.messageId,
      run: event.run,
      providerId,
      functionId: execution.functionId,
      runStartedAt: event.runStartedAt,
      request: event.request,
      replyTo: event.replyTo,
      ...(event.configRevision !== undefined ? { configRevision: event.configRevision } : {}),
    }));
    const slots = startedAt ? 0 : this.takeSyncSlots(event, jobs.length);
    if (!startedAt && slots === 0) {
      await this.bus.publish(
        Topics.Jobs,
        jobs.map((job) => jobRecord(job)),
      );
      return;
    }
    const started = (execution: PlannedExecution): StartedExecution | undefined =>
      startedAt
        ? { attempt: 1, try: 1, functionId: execution.functionId, functionName: execution.functionName, startedAt }
        : undefined;
    try {
      // Settled, not raced: a failure ends the handling only once no job of the run is under way here.
      const outcomes = await Promise.allSettled([
        this.bus.publish(
          Topics.Jobs,
          jobs.map((job) => jobRecord(job, 'matcher')),
        ),
        ...jobs.map((job, i) => this.runHere(job, this.runner!, started(executions[i]))),
      ]);
      const failed = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      this.syncRuns -= slots;
    }
  }

  /**
   * Runs a sync run's job here; one that fails (the database did not answer, say) goes to the
   * executors, which retry and dead-letter as for any job. Only if that publication fails too does
   * the message's record fail, to be redelivered (and resume what is left).
   */
  private async runHere(job: JobEvent, runner: JobRunner, started?: StartedExecution): Promise<void> {
    const attributes = {
      [TraceAttributes.messageId]: job.messageId,
      [TraceAttributes.run]: job.run,
      [TraceAttributes.executionId]: job.executionId,
      [TraceAttributes.functionId]: job.functionId,
    };
    try {
      await inSpan('hookline.sync_job', { attributes }, () => runner.execute(job, started));
    } catch (error) {
      // Left RUNNING if it started: the executor that takes it runs it as a new attempt.
      this.log.warn(
        { err: error, messageId: job.messageId, executionId: job.executionId },
        'a sync job failed to run here; handing it to the executors',
      );
      await this.bus.publish(Topics.Jobs, [jobRecord(job)]);
    }
  }
}

/** A `hookline.jobs.v1` record; `runBy` names who runs it when it is not for the executors. */
function jobRecord(job: JobEvent, runBy?: 'matcher'): OutgoingRecord {
  return {
    key: job.messageId,
    value: encodeEvent(job),
    headers: { [SCHEMA_HEADER]: Topics.Jobs, ...(runBy ? { [RUN_BY_HEADER]: runBy } : {}) },
  };
}
