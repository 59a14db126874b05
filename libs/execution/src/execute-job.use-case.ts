import { Inject, Injectable } from '@nestjs/common';
import { createLogger } from '@hookline/config';
import { v7 as uuidv7 } from 'uuid';
import {
  encodeEvent,
  ExecutionStatus,
  retryDelayMs,
  SCHEMA_HEADER,
  storable,
  Topics,
  type ExecutionResultEvent,
  type JobEvent,
  type RetryPolicy,
} from '@hookline/contracts';
import { RunStore, type FinishedExecution, type StartedExecution } from '@hookline/persistence';
import { ConfigCache, ReplyPublisher, scriptInput, type ConfigView } from '@hookline/pipeline';
import { formatScriptError, ScriptSandbox, type HostApi, type ScriptOutcome } from '@hookline/sandbox';
import { annotateActiveSpan, inSpan, TraceAttributes } from '@hookline/tracing';
import { BUS, type Bus } from '@hookline/transport';
import { HttpEgress } from './side-effects/http-egress';
import { KafkaPublisher } from './side-effects/kafka-publisher';
import { metrics } from '@hookline/metrics';

/**
 * Runs one function for one message and records it. A job whose execution already finished is a
 * redelivery and runs no script; one left RUNNING by an executor that died runs as a new attempt.
 * A failed try of a function with a retry policy that allows another is recorded, and the next try
 * planned as a new execution that the retry relay publishes once its backoff is over.
 */
@Injectable()
export class ExecuteJobUseCase {
  private readonly log = createLogger('executor');

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly runs: RunStore,
    private readonly config: ConfigCache,
    private readonly sandbox: ScriptSandbox,
    private readonly replies: ReplyPublisher,
    private readonly kafka: KafkaPublisher,
    private readonly http: HttpEgress,
  ) {}

  /**
   * `alreadyStarted`: the execution was started, as given (the matcher that plans a sync run starts
   * its jobs in the plan's statement); else it is started here.
   */
  async execute(job: JobEvent, alreadyStarted?: StartedExecution): Promise<void> {
    const { messageId, executionId } = job;
    annotateActiveSpan({
      [TraceAttributes.messageId]: messageId,
      [TraceAttributes.run]: job.run,
      [TraceAttributes.executionId]: executionId,
      [TraceAttributes.functionId]: job.functionId,
      [TraceAttributes.providerId]: job.providerId,
    });
    // The configuration is checked while the start is recorded: neither waits for the other.
    const [started, config] = await Promise.all([
      alreadyStarted ?? this.runs.startExecution(executionId),
      this.config.asOf(job.runStartedAt, job.configRevision),
    ]);
    if (!started) {
      // Finished before; its replies may not have gone out if the executor stopped right after.
      await this.replies.replyToWaiters(messageId, job.run, { replyTo: job.replyTo?.correlationId ?? null });
      return;
    }
    const outcome = await this.run(job, config, started.try);
    // What a script produced may hold U+0000 or lone surrogates: stored and published made storable.
    const execution = storable({
      id: executionId,
      messageId,
      run: job.run,
      status: outcome.ok ? ExecutionStatus.Success : ExecutionStatus.Failed,
      logs: outcome.logs,
      message: outcome.message,
      result: outcome.ok ? (outcome.value ?? null) : null,
      error: outcome.error ? formatScriptError(outcome.error) : null,
      response: outcome.response ?? null,
      durationMs: Math.round(outcome.durationMs),
    } satisfies FinishedExecution);
    const delayMs = execution.status === ExecutionStatus.Failed ? retryDelayMs(outcome.retry, started.try) : null;
    if (delayMs !== null) {
      const retried = await this.runs.retryExecution(
        { ...execution, status: ExecutionStatus.Failed },
        { id: uuidv7(), delayMs },
      );
      if (!retried) return;
      this.recorded(job, execution, started.try, 'failed; retried later');
      metrics.executionRetries.inc();
      await this.publishResult(job, outcome.functionName, execution, started, retried.finishedAt, retried.retryAt);
      return;
    }
    const finished = await this.runs.finishExecution(execution);
    if (!finished) return;
    this.recorded(job, execution, started.try, 'executed');
    if (finished.runFinished) metrics.messagesFinished.inc({ status: finished.messageStatus });
    // The sync request, and sync duplicates of the message, wait for the run: their replies leave
    // with the result record (one send when the bus coalesces them), not one round trip after it.
    await Promise.all([
      this.publishResult(job, outcome.functionName, execution, started, finished.finishedAt, null),
      finished.runFinished ? this.replies.replyToWaiters(messageId, job.run, finished) : undefined,
    ]);
  }

  private recorded(job: JobEvent, execution: FinishedExecution, tryNo: number, what: string): void {
    metrics.executions.inc({ status: execution.status });
    metrics.executionDuration.observe({ status: execution.status }, execution.durationMs / 1000);
    this.log.info(
      {
        messageId: job.messageId,
        executionId: job.executionId,
        functionId: job.functionId,
        status: execution.status,
        try: tryNo,
        ms: execution.durationMs,
      },
      what,
    );
  }

  /** The try's `hookline.executions.v1` record, for other consumers. */
  private async publishResult(
    job: JobEvent,
    functionName: string,
    execution: FinishedExecution,
    started: { attempt: number; try: number; startedAt: Date },
    finishedAt: Date,
    retryAt: Date | null,
  ): Promise<void> {
    const { messageId, executionId } = job;
    const result: ExecutionResultEvent = {
      executionId,
      messageId,
      run: job.run,
      functionId: job.functionId,
      functionName,
      status: execution.status,
      message: execution.message,
      result: execution.result,
      error: execution.error,
      try: started.try,
      attempt: started.attempt,
      retryAt: retryAt ? retryAt.toISOString() : null,
      durationMs: execution.durationMs,
      startedAt: started.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
    };
    await this.bus.publish(Topics.ExecutionResults, [
      { key: messageId, value: encodeEvent(result), headers: { [SCHEMA_HEADER]: Topics.ExecutionResults } },
    ]);
  }

  private async run(
    job: JobEvent,
    config: ConfigView,
    tryNo: number,
  ): Promise<ScriptOutcome & { functionName: string; retry: RetryPolicy | null }> {
    const fn = config.function(job.functionId);
    const provider = config.provider(job.providerId);
    if (!fn || !provider) {
      const error = { name: 'Error', message: `function ${job.functionId} or its provider was deleted before it ran` };
      return {
        ok: false,
        value: null,
        message: null,
        logs: [],
        error,
        durationMs: 0,
        functionName: '(deleted)',
        retry: null,
      };
    }
    const attributes = {
      [TraceAttributes.messageId]: job.messageId,
      [TraceAttributes.executionId]: job.executionId,
      [TraceAttributes.functionId]: job.functionId,
      [TraceAttributes.try]: tryNo,
    };
    const outcome = await inSpan('hookline.function', { attributes }, async (span) => {
      const outcome = await this.sandbox.run(
        'function',
        fn.script,
        scriptInput(job.messageId, job.request, provider, tryNo),
        this.sideEffects(job),
      );
      span.setAttribute(TraceAttributes.status, outcome.ok ? ExecutionStatus.Success : ExecutionStatus.Failed);
      if (outcome.error) span.setAttribute('hookline.error', outcome.error.name);
      return outcome;
    });
    return { ...outcome, functionName: fn.name, retry: fn.retry ?? null };
  }

  /** KAFKA.publish and HTTP.request of this job's script. */
  private sideEffects(job: JobEvent): HostApi {
    const origin = { messageId: job.messageId, functionId: job.functionId };
    return {
      publish: (topic, value, options) => this.kafka.publish({ topic, value, ...options }, origin),
      httpRequest: (request) => this.http.request(request),
    };
  }
}
