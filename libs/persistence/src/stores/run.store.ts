import type { DataSource, EntityManager } from 'typeorm';
import {
  ExecutionStatus,
  MessageStatus,
  type ExecutionSummary,
  type JobEvent,
  type ShapedResponse,
} from '@hookline/contracts';
import { toDate, type PgTimestamp } from './pg-values';
import { REQUEST_COLUMNS, requestOf, type RequestRow } from './message.store';
import { execute, prepared, rows, type Queryable } from './sql';
import { StatementBatcher } from './statement-batcher';
import type { ScriptLogLine } from '../entities/message.entity';

export interface PlannedExecution {
  id: string;
  functionId: string;
  functionName: string;
}

/** The delivery id a message carries in the dedup header of the provider that matched it. */
export interface DedupClaim {
  /** `<providerId>:<header value>`. */
  key: string;
  header: string;
  /** As the duplicate's message shows it. */
  value: string;
  windowSeconds: number;
}

/** What the matcher decided for one run of a message. */
export interface RunPlan {
  messageId: string;
  run: number;
  status: typeof MessageStatus.Processing | typeof MessageStatus.Unmatched | typeof MessageStatus.Duplicate;
  providerId: string | null;
  providerName: string | null;
  message: string | null;
  matchLog: ScriptLogLine[];
  executions: PlannedExecution[];
  resubmittedBy: string | null;
  /** Set on a first delivery matched by a provider that deduplicates: recordPlan checks for an earlier one. */
  dedup: DedupClaim | null;
  /** For a plan recorded as DUPLICATE: the original. */
  duplicateOf?: string;
  /**
   * Its executions are recorded RUNNING, started by this statement (attempt 1), instead of PENDING:
   * the matcher that plans a sync run runs its jobs itself, and spares them a start statement each.
   */
  start?: boolean;
}

export interface FinishedExecution {
  id: string;
  messageId: string;
  run: number;
  status: typeof ExecutionStatus.Success | typeof ExecutionStatus.Failed;
  logs: ScriptLogLine[];
  message: string | null;
  result: unknown;
  error: string | null;
  response: ShapedResponse | null;
  durationMs: number;
}

/** How finishing an execution left its run. */
export interface ExecutionFinish {
  finishedAt: Date;
  messageStatus: MessageStatus;
  runFinished: boolean;
  replyTo: string | null;
  /** The message carries a dedup key: sync duplicates may wait for its outcome. */
  deduplicated: boolean;
  /**
   * The run's outcome, read in the same step, when it finished here and someone may wait for it (a
   * sync request or sync duplicates): the reply needs no second look.
   */
  outcome?: RunOutcome;
}

/** A plan as recorded, and whether its message carries a dedup key (from any of its runs). */
export type RecordedPlan = RunPlan & {
  deduplicated: boolean;
  /** When its executions were started, for a plan recorded with `start`. */
  startedAt: Date | null;
};

export interface MessageState {
  run: number;
  status: MessageStatus;
  providerId: string | null;
  replyTo: string | null;
  /** Null unless the provider that matched it deduplicates. */
  dedupKey: string | null;
  duplicateOf: string | null;
  /** Why the run ended as it did, when no execution says it (UNMATCHED, dead-lettered). */
  message: string | null;
}

/** The outcome of a run, as a sync caller gets it. */
export interface RunOutcome {
  status: MessageStatus;
  executions: Array<ExecutionSummary & { response: ShapedResponse | null }>;
  /** Set for a duplicate: status and executions are those of this original's current run. */
  duplicateOf: string | null;
  /** The message carries a dedup key: sync duplicates of it may be waiting for this outcome. */
  deduplicated: boolean;
  /** The message's own reason, as MessageState has it. */
  message: string | null;
}

/** A retry whose backoff is over: the job the retry relay publishes for it, with its sync caller's correlation. */
export type DueRetry = Omit<JobEvent, 'replyTo'> & { replyTo: string | null };

/** A sync duplicate that waits for the outcome of its original. */
export interface WaitingDuplicate {
  messageId: string;
  run: number;
  replyTo: string;
}

/** What the statement that finishes an execution answers. */
interface FinishRow {
  id: string;
  message_id: string;
  function_id: string;
  function_name: string;
  execution_status: ExecutionStatus;
  execution_message: string | null;
  result: unknown;
  error: string | null;
  response: ShapedResponse | null;
  try_no: number;
  finished_at: PgTimestamp;
  /** Null with the columns below when a newer run of the message started meanwhile. */
  pending_jobs: number | null;
  status: MessageStatus | null;
  reply_to: string | null;
  deduplicated: boolean | null;
  message: string | null;
  /** Null unless the run finished. */
  run_size: number | null;
}

/** What the retry relay selects: a due execution with its message's request. */
interface DueRetryRow extends RequestRow {
  execution_id: string;
  message_id: string;
  run: number;
  function_id: string;
  /** Never null here: a message has executions only once a provider matched it. */
  provider_id: string;
  run_started_at: PgTimestamp;
  reply_to: string | null;
}

/** An execution marked RUNNING, as a new attempt of its try. */
export interface StartedExecution {
  attempt: number;
  try: number;
  functionId: string;
  functionName: string;
  startedAt: Date;
}

/**
 * Message rows of a multi-row update, locked in id order first: every statement that updates many
 * messages (plans, finishes, the ingress marking them published) takes them in the same order, so
 * two of them never wait for each other.
 */
const LOCK_MESSAGES_IN_ORDER = (ids: string) => `SELECT id FROM messages WHERE id IN (${ids}) ORDER BY id FOR UPDATE`;

/** First of the two keys of the per-delivery-id advisory lock; the second is a hash of the dedup key. */
const DEDUP_LOCK_SPACE = 7_240_518;

/**
 * State transitions of a message's run, each guarded so that a redelivered record changes nothing
 * twice: plan once, start a PENDING or RUNNING execution, finish a RUNNING one once.
 */
export class RunStore {
  // Stages handle many records at once: their plans, starts and finishes share statements.
  private readonly plans: StatementBatcher<RunPlan, RecordedPlan | null>;
  private readonly starts: StatementBatcher<string, StartedExecution | null>;
  private readonly finishes: StatementBatcher<FinishedExecution, ExecutionFinish | null>;

  constructor(private readonly db: DataSource) {
    const batches = { maxBatch: 256, maxInFlight: 2 };
    this.plans = new StatementBatcher((plans) => this.writePlans(this.db, plans), {
      ...batches,
      key: (plan) => plan.messageId,
    });
    this.starts = new StatementBatcher((ids) => this.startMany(ids), { ...batches, key: (id) => id });
    this.finishes = new StatementBatcher(
      (executions) => this.finish(executions.map((execution) => ({ execution, from: [ExecutionStatus.Running] }))),
      { ...batches, key: (execution) => execution.id },
    );
  }

  async state(messageId: string): Promise<MessageState | null> {
    const [row] = await rows<{
      run: number;
      status: MessageStatus;
      provider_id: string | null;
      reply_to: string | null;
      dedup_key: string | null;
      duplicate_of: string | null;
      message: string | null;
    }>(
      this.db,
      prepared(
        `SELECT run, status, provider_id, reply_to, dedup_key, duplicate_of, message FROM messages WHERE id = $1`,
      ),
      [messageId],
    );
    if (row === undefined) return null;
    return {
      run: row.run,
      status: row.status,
      providerId: row.provider_id,
      replyTo: row.reply_to,
      dedupKey: row.dedup_key,
      duplicateOf: row.duplicate_of,
      message: row.message,
    };
  }

  /**
   * Records the plan unless this run was planned already (null then), and returns it as recorded.
   * A plan with a dedup claim is recorded as DUPLICATE, without executions, when another delivery
   * with the same key was planned within the window; an advisory lock on the key makes concurrent
   * matchers take turns, so exactly one delivery of an id becomes the original.
   */
  async recordPlan(plan: RunPlan): Promise<RecordedPlan | null> {
    // Without a claim no transaction is needed: plans recorded at the same time share one statement.
    if (!plan.dedup) return this.plans.submit(plan);
    const claim = plan.dedup;
    return this.db.transaction(async (tx) => {
      const [recorded] = await this.writePlans(tx, [await this.deduplicate(tx, plan, claim)]);
      return recorded;
    });
  }

  /**
   * The plans of messages and their PENDING executions in one statement; null for a run that was
   * planned already (or is no longer current). Plans must be of different messages.
   */
  private async writePlans(db: Queryable, plans: RunPlan[]): Promise<Array<RecordedPlan | null>> {
    const input = plans.map((plan) => ({
      message_id: plan.messageId,
      run: plan.run,
      status: plan.status,
      provider_id: plan.providerId,
      provider_name: plan.providerName,
      message: plan.message,
      match_log: plan.matchLog,
      pending_jobs: plan.executions.length,
      dedup_key: plan.dedup?.key ?? null,
      duplicate_of: plan.duplicateOf ?? null,
      resubmitted_by: plan.resubmittedBy,
      executions: plan.executions.map((e) => ({ id: e.id, function_id: e.functionId, function_name: e.functionName })),
      start: plan.start === true,
    }));
    // The INSERT reads the UPDATE's rows: no executions unless this statement planned the run.
    // A run being planned was consumed, so its record was published: the plan says so, and the
    // ingress's mark, gathered for up to 100 ms, finds nothing left to change. Each change of a
    // message row writes a new version of it, body and indexes included (the indexed status
    // changes, so none is a HOT update): this saves one of the three per message end to end.
    const planned = await rows<{ id: string; deduplicated: boolean; started_at: PgTimestamp | null }>(
      db,
      prepared(`WITH input AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS i (
             message_id uuid, run int, status text, provider_id uuid, provider_name text, message text,
             match_log jsonb, pending_jobs int, dedup_key text, duplicate_of uuid, resubmitted_by text,
             executions jsonb, start boolean)
         ), locked AS (
           ${LOCK_MESSAGES_IN_ORDER('SELECT message_id FROM input')}
         ), planned AS (
           UPDATE messages m
              SET status = i.status, provider_id = i.provider_id, provider_name = i.provider_name,
                  message = i.message, match_log = i.match_log, pending_jobs = i.pending_jobs, failed_jobs = 0,
                  dedup_key = COALESCE(i.dedup_key, m.dedup_key), duplicate_of = COALESCE(i.duplicate_of, m.duplicate_of),
                  published_at = COALESCE(m.published_at, now()), updated_at = now()
             FROM input i JOIN locked ON locked.id = i.message_id
            WHERE m.id = i.message_id AND m.run = i.run AND m.status = 'RECEIVED'
            RETURNING m.id, m.run, m.dedup_key, i.resubmitted_by, i.executions, i.start
         ), planned_executions AS (
           INSERT INTO executions (id, message_id, run, function_id, function_name, status, attempt, started_at, resubmitted_by)
           SELECT e.id, planned.id, planned.run, e.function_id, e.function_name,
                  CASE WHEN planned.start THEN 'RUNNING' ELSE 'PENDING' END,
                  CASE WHEN planned.start THEN 1 ELSE 0 END,
                  CASE WHEN planned.start THEN now() END,
                  planned.resubmitted_by
             FROM planned, jsonb_to_recordset(planned.executions) AS e (id uuid, function_id uuid, function_name text)
           ON CONFLICT (message_id, run, function_id, try_no) DO NOTHING
         )
         SELECT id, dedup_key IS NOT NULL AS deduplicated, CASE WHEN start THEN now() END AS started_at FROM planned`),
      [JSON.stringify(input)],
    );
    const recorded = new Map(planned.map((row) => [row.id, row]));
    return plans.map((plan) => {
      const row = recorded.get(plan.messageId);
      if (!row) return null;
      return { ...plan, deduplicated: row.deduplicated, startedAt: row.started_at ? toDate(row.started_at) : null };
    });
  }

  /**
   * Under a transaction-scoped lock on the key (held until commit, so the next claimant of the key
   * sees this one's plan): the plan as a DUPLICATE of the earliest other original with the same key
   * received within the window either side, or unchanged when there is none.
   */
  private async deduplicate(tx: EntityManager, plan: RunPlan, claim: DedupClaim): Promise<RunPlan> {
    await execute(tx, prepared(`SELECT pg_advisory_xact_lock($1, hashtext($2))`), [DEDUP_LOCK_SPACE, claim.key]);
    const originals = await rows<{ id: string }>(
      tx,
      prepared(`SELECT o.id
         FROM messages m
         JOIN messages o
           ON o.dedup_key = $2 AND o.id <> m.id AND o.duplicate_of IS NULL AND o.status <> 'DUPLICATE'
          AND o.received_at BETWEEN m.received_at - $3::int * interval '1 second' AND m.received_at + $3::int * interval '1 second'
        WHERE m.id = $1
        ORDER BY o.id
        LIMIT 1`),
      [plan.messageId, claim.key, claim.windowSeconds],
    );
    if (originals.length === 0) return plan;
    const [original] = originals;
    return {
      ...plan,
      status: MessageStatus.Duplicate,
      message: `duplicate of message ${original.id}: same ${claim.header} '${claim.value}' within ${claim.windowSeconds} s`,
      executions: [],
      duplicateOf: original.id,
      start: false,
    };
  }

  /**
   * Executions of a run that have not finished: what a redelivered plan must emit again. A retry
   * waiting for its backoff is left to the retry relay.
   */
  async unfinishedExecutions(messageId: string, run: number): Promise<PlannedExecution[]> {
    const unfinished = await rows<{ id: string; function_id: string; function_name: string }>(
      this.db,
      prepared(`SELECT id, function_id, function_name FROM executions
        WHERE message_id = $1 AND run = $2 AND status IN ('PENDING', 'RUNNING') AND due_at IS NULL`),
      [messageId, run],
    );
    return unfinished.map((r) => ({ id: r.id, functionId: r.function_id, functionName: r.function_name }));
  }

  /**
   * Marks an execution RUNNING as a new attempt. Null when it has finished already (a redelivered
   * job); a RUNNING one is taken over, since its executor stopped without finishing it. Its due time
   * is not checked: the retry relay clears it in the transaction that publishes the job, so a job
   * that arrives first must wait for that commit here (a row lock), not miss the row.
   */
  startExecution(executionId: string): Promise<StartedExecution | null> {
    return this.starts.submit(executionId);
  }

  private async startMany(ids: string[]): Promise<Array<StartedExecution | null>> {
    const rowsStarted = await rows<{
      id: string;
      attempt: number;
      try_no: number;
      function_id: string;
      function_name: string;
      started_at: PgTimestamp;
    }>(
      this.db,
      prepared(`UPDATE executions e SET status = 'RUNNING', attempt = e.attempt + 1, started_at = now()
           FROM unnest($1::uuid[]) AS i (id)
          WHERE e.id = i.id AND e.status IN ('PENDING', 'RUNNING')
          RETURNING e.id, e.attempt, e.try_no, e.function_id, e.function_name, e.started_at`),
      [ids],
    );
    const started = new Map(rowsStarted.map((row) => [row.id, row]));
    return ids.map((id) => {
      const row = started.get(id);
      if (!row) return null;
      return {
        attempt: row.attempt,
        try: row.try_no,
        functionId: row.function_id,
        functionName: row.function_name,
        startedAt: toDate(row.started_at),
      };
    });
  }

  /**
   * Records a failed try of a function whose retry policy allows another, and plans that one as a
   * new PENDING execution due in `delayMs`. The run stays unfinished: its count of pending jobs is
   * unchanged, since the function still has to run. Null when the execution had finished already.
   */
  async retryExecution(
    execution: FinishedExecution & { status: typeof ExecutionStatus.Failed },
    retry: { id: string; delayMs: number },
  ): Promise<{ finishedAt: Date; retryAt: Date } | null> {
    return this.db.transaction(async (tx) => {
      const done = await rows<{ finished_at: PgTimestamp }>(
        tx,
        prepared(`UPDATE executions
            SET status = 'FAILED', logs = $2, message = $3, result = NULL, error = $4, response = $5,
                duration_ms = $6, finished_at = now()
          WHERE id = $1 AND status = 'RUNNING'
          RETURNING finished_at`),
        [
          execution.id,
          JSON.stringify(execution.logs),
          execution.message,
          execution.error,
          execution.response === null ? null : JSON.stringify(execution.response),
          execution.durationMs,
        ],
      );
      if (done.length === 0) return null;
      const [next] = await rows<{ due_at: PgTimestamp }>(
        tx,
        prepared(`INSERT INTO executions (id, message_id, run, function_id, function_name, status, resubmitted_by, try_no, due_at)
         SELECT $2, message_id, run, function_id, function_name, 'PENDING', resubmitted_by, try_no + 1,
                now() + $3::int * interval '1 millisecond'
           FROM executions WHERE id = $1
         RETURNING due_at`),
        [execution.id, retry.id, retry.delayMs],
      );
      return { finishedAt: toDate(done[0].finished_at), retryAt: toDate(next.due_at) };
    });
  }

  /**
   * Hands retries whose backoff is over to `publish` (at most `limit`), and clears their due time
   * when it resolves, so each job is published once; replicas skip each other's locked rows.
   */
  async relayDueRetries(limit: number, publish: (retries: DueRetry[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const due = await rows<DueRetryRow>(
        tx,
        prepared(`SELECT e.id AS execution_id, e.message_id, e.run, e.function_id, m.provider_id, m.run_started_at,
                m.reply_to, ${REQUEST_COLUMNS.split(', ')
                  .map((column) => `m.${column}`)
                  .join(', ')}
           FROM executions e JOIN messages m ON m.id = e.message_id
          WHERE e.due_at <= now() AND e.status = 'PENDING'
          ORDER BY e.due_at
          LIMIT $1
          FOR UPDATE OF e SKIP LOCKED`),
        [limit],
      );
      if (due.length === 0) return 0;
      await publish(
        due.map((row) => ({
          executionId: row.execution_id,
          messageId: row.message_id,
          run: row.run,
          providerId: row.provider_id,
          functionId: row.function_id,
          runStartedAt: toDate(row.run_started_at).toISOString(),
          replyTo: row.reply_to,
          request: requestOf(row),
        })),
      );
      await execute(tx, prepared(`UPDATE executions SET due_at = NULL WHERE id = ANY($1::uuid[])`), [
        due.map((row) => row.execution_id),
      ]);
      return due.length;
    });
  }

  /**
   * Records the end of an execution and counts it against its run; the last one sets the message's
   * final status. Null when the execution had been finished already.
   */
  finishExecution(execution: FinishedExecution): Promise<ExecutionFinish | null> {
    return this.finishes.submit(execution);
  }

  /**
   * Ends an execution that could not be run or recorded (its job was dead-lettered) as FAILED with
   * `error`, whether it had started or not, and counts it against its run like finishExecution.
   */
  async failExecution(execution: {
    id: string;
    messageId: string;
    run: number;
    error: string;
  }): Promise<ExecutionFinish | null> {
    const failed: FinishedExecution = {
      ...execution,
      status: ExecutionStatus.Failed,
      logs: [],
      message: null,
      result: null,
      response: null,
      durationMs: 0,
    };
    const [finish] = await this.finish([
      { execution: failed, from: [ExecutionStatus.Pending, ExecutionStatus.Running] },
    ]);
    return finish;
  }

  /**
   * Ends a run that could not be handled (its message was dead-lettered): the message FAILED with
   * `reason`, and its unfinished executions with it. False when the run had finished already.
   */
  async failRun(messageId: string, run: number, reason: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const failed = await rows<{ id: string }>(
        tx,
        prepared(`UPDATE messages SET status = 'FAILED', message = $3, pending_jobs = 0, updated_at = now()
            WHERE id = $1 AND run = $2 AND status IN ('RECEIVED', 'PROCESSING')
            RETURNING id`),
        [messageId, run, reason],
      );
      if (failed.length === 0) return false;
      await execute(
        tx,
        prepared(`UPDATE executions SET status = 'FAILED', error = $3, finished_at = now(), due_at = NULL
          WHERE message_id = $1 AND run = $2 AND status IN ('PENDING', 'RUNNING')`),
        [messageId, run, reason],
      );
      return true;
    });
  }

  /**
   * Finishes executions of different ids in one statement: each counted against its run (on the
   * locked message row, so concurrent finishers of one run count correctly). Of the executions
   * that finish a run together, the last planned is the run's finisher. Null for one that was not
   * in a status of `from`.
   */
  private async finish(
    items: Array<{ execution: FinishedExecution; from: ExecutionStatus[] }>,
  ): Promise<Array<ExecutionFinish | null>> {
    const input = items.map(({ execution, from }) => ({
      id: execution.id,
      message_id: execution.messageId,
      run: execution.run,
      status: execution.status,
      logs: execution.logs,
      message: execution.message,
      // A script's `null` result is stored as JSON null, a missing one as SQL NULL.
      result: execution.result === undefined ? null : JSON.stringify(execution.result),
      error: execution.error,
      response: execution.response,
      duration_ms: execution.durationMs,
      from_statuses: from,
    }));
    // The ids again as an array: the planner takes jsonb_to_recordset for 100 rows and, below some
    // 20,000 executions, joined them by scanning the whole table (2.7 ms at 11,500 rows, growing
    // with it); `= ANY` of the bound array is estimated right and goes through the primary key.
    const finished = await rows<FinishRow>(
      this.db,
      prepared(`WITH input AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS i (
             id uuid, message_id uuid, run int, status text, logs jsonb, message text, result text,
             error text, response jsonb, duration_ms int, from_statuses text[])
         ), done AS (
           UPDATE executions e
              SET status = i.status, logs = i.logs, message = i.message, result = i.result::jsonb,
                  error = i.error, response = i.response, duration_ms = i.duration_ms, finished_at = now()
             FROM input i
            WHERE e.id = ANY($2::uuid[]) AND e.id = i.id AND e.status = ANY(i.from_statuses)
            RETURNING e.id, i.message_id, i.run, e.function_id, e.function_name, e.status, e.message, e.result,
                      e.error, e.response, e.try_no, e.finished_at
         ), finished AS (
           SELECT message_id, run, count(*)::int AS n, (count(*) FILTER (WHERE status = 'FAILED'))::int AS failed
             FROM done GROUP BY message_id, run
         ), locked AS (
           ${LOCK_MESSAGES_IN_ORDER('SELECT message_id FROM finished')}
         ), counted AS (
           UPDATE messages m
              SET pending_jobs = m.pending_jobs - f.n,
                  failed_jobs = m.failed_jobs + f.failed,
                  status = CASE WHEN m.pending_jobs - f.n > 0 THEN m.status
                                WHEN m.failed_jobs + f.failed > 0 THEN 'FAILED'
                                ELSE 'SUCCESS' END,
                  updated_at = now()
             FROM finished f JOIN locked ON locked.id = f.message_id
            WHERE m.id = f.message_id AND m.run = f.run
            RETURNING m.id, m.pending_jobs, m.status, m.reply_to, m.dedup_key IS NOT NULL AS deduplicated, m.message
         )
         SELECT done.id, done.message_id, done.function_id, done.function_name, done.status AS execution_status,
                done.message AS execution_message, done.result, done.error, done.response, done.try_no,
                done.finished_at,
                counted.pending_jobs, counted.status, counted.reply_to, counted.deduplicated, counted.message,
                CASE WHEN counted.pending_jobs = 0 THEN
                  (SELECT count(*)::int FROM executions x WHERE x.message_id = done.message_id AND x.run = done.run)
                END AS run_size
           FROM done LEFT JOIN counted ON counted.id = done.message_id
          ORDER BY done.id`),
      [JSON.stringify(input), input.map((i) => i.id)],
    );
    const byId = new Map(finished.map((row) => [row.id, row]));
    // Rows come in id order: the last one of a message is its run's finisher.
    const finisher = new Map(finished.map((row) => [row.message_id, row.id]));
    return Promise.all(
      items.map(({ execution }) => {
        const row = byId.get(execution.id);
        return row ? this.finishOf(execution, row, finisher.get(row.message_id) === row.id) : null;
      }),
    );
  }

  private async finishOf(execution: FinishedExecution, row: FinishRow, last: boolean): Promise<ExecutionFinish> {
    const finishedAt = toDate(row.finished_at);
    if (row.status === null) {
      // A newer run started meanwhile (resubmit); this execution still counts in its own run's records.
      return {
        finishedAt,
        messageStatus: MessageStatus.Processing,
        runFinished: false,
        replyTo: null,
        deduplicated: false,
      };
    }
    const finish: ExecutionFinish = {
      finishedAt,
      messageStatus: row.status,
      runFinished: row.pending_jobs === 0 && last,
      replyTo: row.reply_to,
      deduplicated: row.deduplicated === true,
    };
    if (!finish.runFinished || (!finish.replyTo && !finish.deduplicated)) return finish;
    // The last finisher of the run: every other execution had committed before it could count.
    const executions: RunOutcome['executions'] =
      row.run_size === 1
        ? [
            {
              executionId: row.id,
              functionId: row.function_id,
              functionName: row.function_name,
              status: row.execution_status,
              message: row.execution_message,
              result: row.result,
              error: row.error,
              try: row.try_no,
              response: row.response,
            },
          ]
        : await this.executions(execution.messageId, execution.run);
    finish.outcome = {
      status: row.status,
      executions,
      duplicateOf: null,
      deduplicated: finish.deduplicated,
      message: row.message,
    };
    return finish;
  }

  /**
   * The executions of a run with the message's status, for a sync reply. A duplicate's outcome is
   * its original's current run (its own, DUPLICATE and empty, once the original was purged).
   */
  async outcome(messageId: string, run: number): Promise<RunOutcome | null> {
    const state = await this.state(messageId);
    if (!state) return null;
    if (state.status === MessageStatus.Duplicate && state.duplicateOf) {
      const original = await this.state(state.duplicateOf);
      if (original) {
        const executions = await this.executions(state.duplicateOf, original.run);
        return {
          status: original.status,
          executions,
          duplicateOf: state.duplicateOf,
          deduplicated: true,
          message: original.message,
        };
      }
    }
    const executions = await this.executions(messageId, run);
    return {
      status: state.status,
      executions,
      duplicateOf: null,
      deduplicated: state.dedupKey !== null,
      message: state.message,
    };
  }

  /**
   * Sync duplicates of a message received in the last `maxAgeMs` (older ones have had their answer
   * or their timeout): the requests the outcome of its run must reach too.
   */
  async waitingDuplicates(originalId: string, maxAgeMs: number): Promise<WaitingDuplicate[]> {
    const waiting = await rows<{ id: string; run: number; reply_to: string }>(
      this.db,
      prepared(`SELECT id, run, reply_to FROM messages
        WHERE duplicate_of = $1 AND reply_to IS NOT NULL
          AND received_at > now() - $2::int * interval '1 millisecond'
        ORDER BY id`),
      [originalId, maxAgeMs],
    );
    return waiting.map((r) => ({ messageId: r.id, run: r.run, replyTo: r.reply_to }));
  }

  /** Every try of every function of a run; only a function's last try shapes the response. */
  private async executions(messageId: string, run: number): Promise<RunOutcome['executions']> {
    const tries = await rows<{
      id: string;
      function_id: string;
      function_name: string;
      status: ExecutionStatus;
      message: string | null;
      result: unknown;
      error: string | null;
      response: ShapedResponse | null;
      try_no: number;
    }>(
      this.db,
      prepared(`SELECT id, function_id, function_name, status, message, result, error, response, try_no
         FROM executions WHERE message_id = $1 AND run = $2 ORDER BY id`),
      [messageId, run],
    );
    const lastTry = new Map<string, number>();
    for (const r of tries) lastTry.set(r.function_id, Math.max(lastTry.get(r.function_id) ?? 0, r.try_no));
    return tries.map((r) => ({
      executionId: r.id,
      functionId: r.function_id,
      functionName: r.function_name,
      status: r.status,
      message: r.message,
      result: r.result,
      error: r.error,
      try: r.try_no,
      response: r.try_no === lastTry.get(r.function_id) ? r.response : null,
    }));
  }
}
