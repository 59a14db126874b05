import type { DataSource, EntityManager } from 'typeorm';
import {
  ExecutionStatus,
  MessageStatus,
  type ExecutionSummary,
  type JobEvent,
  type ShapedResponse,
} from '@hookline/contracts';
import { rowsOf, toDate } from './pg-values';
import { REQUEST_COLUMNS, requestOf } from './message.store';
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
export type RecordedPlan = RunPlan & { deduplicated: boolean };

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
  function_id: string;
  function_name: string;
  execution_status: ExecutionStatus;
  execution_message: string | null;
  result: unknown;
  error: string | null;
  response: ShapedResponse | null;
  try_no: number;
  finished_at: Date | string;
  /** Null with the columns below when a newer run of the message started meanwhile. */
  pending_jobs: number | null;
  status: MessageStatus | null;
  reply_to: string | null;
  deduplicated: boolean | null;
  message: string | null;
  run_size: number;
}

/** A DataSource, or the EntityManager of a transaction. */
type Queryable = Pick<EntityManager, 'query'>;

/** First of the two keys of the per-delivery-id advisory lock; the second is a hash of the dedup key. */
const DEDUP_LOCK_SPACE = 7_240_518;

/**
 * State transitions of a message's run, each guarded so that a redelivered record changes nothing
 * twice: plan once, start a PENDING or RUNNING execution, finish a RUNNING one once.
 */
export class RunStore {
  constructor(private readonly db: DataSource) {}

  async state(messageId: string): Promise<MessageState | null> {
    const rows = await this.db.query(
      `SELECT run, status, provider_id, reply_to, dedup_key, duplicate_of, message FROM messages WHERE id = $1`,
      [messageId],
    );
    if (rows.length === 0) return null;
    const [row] = rows;
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
    // Without a claim the plan is one statement: no transaction to open and commit around it.
    if (!plan.dedup) return this.writePlan(this.db, plan);
    const claim = plan.dedup;
    return this.db.transaction(async (tx) => this.writePlan(tx, await this.deduplicate(tx, plan, claim)));
  }

  /** The message's plan and its PENDING executions in one statement, unless the run was planned already. */
  private async writePlan(db: Queryable, recorded: RunPlan): Promise<RecordedPlan | null> {
    const params: unknown[] = [
      recorded.messageId,
      recorded.run,
      recorded.status,
      recorded.providerId,
      recorded.providerName,
      recorded.message,
      JSON.stringify(recorded.matchLog),
      recorded.executions.length,
      recorded.dedup?.key ?? null,
      recorded.duplicateOf ?? null,
    ];
    if (recorded.executions.length > 0) params.push(recorded.resubmittedBy);
    const values = recorded.executions.map((e) => {
      params.push(e.id, e.functionId, e.functionName);
      const n = params.length;
      return `($${n - 2}::uuid, $${n - 1}::uuid, $${n}::text)`;
    });
    // The INSERT reads the UPDATE's rows: no executions unless this statement planned the run.
    const insert =
      values.length === 0
        ? ''
        : `, planned_executions AS (
             INSERT INTO executions (id, message_id, run, function_id, function_name, status, resubmitted_by)
             SELECT e.id, planned.id, planned.run, e.function_id, e.function_name, 'PENDING', $11::text
               FROM planned, (VALUES ${values.join(', ')}) AS e (id, function_id, function_name)
             ON CONFLICT (message_id, run, function_id, try_no) DO NOTHING
           )`;
    const rows: Array<{ deduplicated: boolean }> = rowsOf(
      await db.query(
        `WITH planned AS (
           UPDATE messages
              SET status = $3, provider_id = $4, provider_name = $5, message = $6, match_log = $7,
                  pending_jobs = $8, failed_jobs = 0, dedup_key = COALESCE($9, dedup_key),
                  duplicate_of = COALESCE($10, duplicate_of), updated_at = now()
            WHERE id = $1 AND run = $2 AND status = 'RECEIVED'
            RETURNING id, run, dedup_key
         )${insert}
         SELECT dedup_key IS NOT NULL AS deduplicated FROM planned`,
        params,
      ),
    );
    if (rows.length === 0) return null;
    return { ...recorded, deduplicated: rows[0].deduplicated };
  }

  /**
   * Under a transaction-scoped lock on the key (held until commit, so the next claimant of the key
   * sees this one's plan): the plan as a DUPLICATE of the earliest other original with the same key
   * received within the window either side, or unchanged when there is none.
   */
  private async deduplicate(tx: EntityManager, plan: RunPlan, claim: DedupClaim): Promise<RunPlan> {
    await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [DEDUP_LOCK_SPACE, claim.key]);
    const originals: Array<{ id: string }> = await tx.query(
      `SELECT o.id
         FROM messages m
         JOIN messages o
           ON o.dedup_key = $2 AND o.id <> m.id AND o.duplicate_of IS NULL AND o.status <> 'DUPLICATE'
          AND o.received_at BETWEEN m.received_at - $3::int * interval '1 second' AND m.received_at + $3::int * interval '1 second'
        WHERE m.id = $1
        ORDER BY o.id
        LIMIT 1`,
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
    };
  }

  /**
   * Executions of a run that have not finished: what a redelivered plan must emit again. A retry
   * waiting for its backoff is left to the retry relay.
   */
  async unfinishedExecutions(messageId: string, run: number): Promise<PlannedExecution[]> {
    const rows = await this.db.query(
      `SELECT id, function_id, function_name FROM executions
        WHERE message_id = $1 AND run = $2 AND status IN ('PENDING', 'RUNNING') AND due_at IS NULL`,
      [messageId, run],
    );
    return rows.map((r: any) => ({ id: r.id, functionId: r.function_id, functionName: r.function_name }));
  }

  /**
   * Marks an execution RUNNING as a new attempt. Null when it has finished already (a redelivered
   * job); a RUNNING one is taken over, since its executor stopped without finishing it. Its due time
   * is not checked: the retry relay clears it in the transaction that publishes the job, so a job
   * that arrives first must wait for that commit here (a row lock), not miss the row.
   */
  async startExecution(
    executionId: string,
  ): Promise<{ attempt: number; try: number; functionId: string; functionName: string; startedAt: Date } | null> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE executions SET status = 'RUNNING', attempt = attempt + 1, started_at = now()
        WHERE id = $1 AND status IN ('PENDING', 'RUNNING')
        RETURNING attempt, try_no, function_id, function_name, started_at`,
        [executionId],
      ),
    );
    if (rows.length === 0) return null;
    const [row] = rows;
    return {
      attempt: row.attempt,
      try: row.try_no,
      functionId: row.function_id,
      functionName: row.function_name,
      startedAt: toDate(row.started_at),
    };
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
      const done = rowsOf(
        await tx.query(
          `UPDATE executions
            SET status = 'FAILED', logs = $2, message = $3, result = NULL, error = $4, response = $5,
                duration_ms = $6, finished_at = now()
          WHERE id = $1 AND status = 'RUNNING'
          RETURNING finished_at`,
          [
            execution.id,
            JSON.stringify(execution.logs),
            execution.message,
            execution.error,
            execution.response === null ? null : JSON.stringify(execution.response),
            execution.durationMs,
          ],
        ),
      );
      if (done.length === 0) return null;
      const [next] = await tx.query(
        `INSERT INTO executions (id, message_id, run, function_id, function_name, status, resubmitted_by, try_no, due_at)
         SELECT $2, message_id, run, function_id, function_name, 'PENDING', resubmitted_by, try_no + 1,
                now() + $3::int * interval '1 millisecond'
           FROM executions WHERE id = $1
         RETURNING due_at`,
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
      const rows: Array<Record<string, any>> = await tx.query(
        `SELECT e.id AS execution_id, e.message_id, e.run, e.function_id, m.provider_id, m.run_started_at,
                m.reply_to, ${REQUEST_COLUMNS.split(', ')
                  .map((column) => `m.${column}`)
                  .join(', ')}
           FROM executions e JOIN messages m ON m.id = e.message_id
          WHERE e.due_at <= now() AND e.status = 'PENDING'
          ORDER BY e.due_at
          LIMIT $1
          FOR UPDATE OF e SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await publish(
        rows.map((row) => ({
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
      await tx.query(`UPDATE executions SET due_at = NULL WHERE id = ANY($1::uuid[])`, [
        rows.map((row) => row.execution_id),
      ]);
      return rows.length;
    });
  }

  /**
   * Records the end of an execution and counts it against its run; the last one sets the message's
   * final status. Null when the execution had been finished already.
   */
  finishExecution(execution: FinishedExecution): Promise<ExecutionFinish | null> {
    return this.finish(execution, [ExecutionStatus.Running]);
  }

  /**
   * Ends an execution that could not be run or recorded (its job was dead-lettered) as FAILED with
   * `error`, whether it had started or not, and counts it against its run like finishExecution.
   */
  failExecution(execution: {
    id: string;
    messageId: string;
    run: number;
    error: string;
  }): Promise<ExecutionFinish | null> {
    return this.finish(
      {
        ...execution,
        status: ExecutionStatus.Failed,
        logs: [],
        message: null,
        result: null,
        response: null,
        durationMs: 0,
      },
      [ExecutionStatus.Pending, ExecutionStatus.Running],
    );
  }

  /**
   * Ends a run that could not be handled (its message was dead-lettered): the message FAILED with
   * `reason`, and its unfinished executions with it. False when the run had finished already.
   */
  async failRun(messageId: string, run: number, reason: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const failed = rowsOf(
        await tx.query(
          `UPDATE messages SET status = 'FAILED', message = $3, pending_jobs = 0, updated_at = now()
            WHERE id = $1 AND run = $2 AND status IN ('RECEIVED', 'PROCESSING')
            RETURNING id`,
          [messageId, run, reason],
        ),
      );
      if (failed.length === 0) return false;
      await tx.query(
        `UPDATE executions SET status = 'FAILED', error = $3, finished_at = now(), due_at = NULL
          WHERE message_id = $1 AND run = $2 AND status IN ('PENDING', 'RUNNING')`,
        [messageId, run, reason],
      );
      return true;
    });
  }

  private async finish(execution: FinishedExecution, from: ExecutionStatus[]): Promise<ExecutionFinish | null> {
    const failed = execution.status === ExecutionStatus.Failed ? 1 : 0;
    // One statement: the execution finished, counted against its run (evaluated on the locked
    // message row, so concurrent finishers of one run count correctly), and the run's size.
    const rows: FinishRow[] = rowsOf(
      await this.db.query(
        `WITH done AS (
           UPDATE executions
              SET status = $2, logs = $3, message = $4, result = $5, error = $6, response = $7,
                  duration_ms = $8, finished_at = now()
            WHERE id = $1 AND status = ANY($9::text[])
            RETURNING id, function_id, function_name, status, message, result, error, response, try_no, finished_at
         ), counted AS (
           UPDATE messages
              SET pending_jobs = pending_jobs - 1,
                  failed_jobs = failed_jobs + $12,
                  status = CASE WHEN pending_jobs - 1 > 0 THEN status
                                WHEN failed_jobs + $12 > 0 THEN 'FAILED'
                                ELSE 'SUCCESS' END,
                  updated_at = now()
            WHERE id = $10 AND run = $11 AND EXISTS (SELECT 1 FROM done)
            RETURNING pending_jobs, status, reply_to, dedup_key IS NOT NULL AS deduplicated, message
         )
         SELECT done.id, done.function_id, done.function_name, done.status AS execution_status,
                done.message AS execution_message, done.result, done.error, done.response, done.try_no,
                done.finished_at,
                counted.pending_jobs, counted.status, counted.reply_to, counted.deduplicated, counted.message,
                (SELECT count(*)::int FROM executions WHERE message_id = $10 AND run = $11) AS run_size
           FROM done LEFT JOIN counted ON true`,
        [
          execution.id,
          execution.status,
          JSON.stringify(execution.logs),
          execution.message,
          execution.result === undefined ? null : JSON.stringify(execution.result),
          execution.error,
          execution.response === null ? null : JSON.stringify(execution.response),
          execution.durationMs,
          from,
          execution.messageId,
          execution.run,
          failed,
        ],
      ),
    );
    if (rows.length === 0) return null;
    const [row] = rows;
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
      runFinished: row.pending_jobs === 0,
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
    const rows = await this.db.query(
      `SELECT id, run, reply_to FROM messages
        WHERE duplicate_of = $1 AND reply_to IS NOT NULL
          AND received_at > now() - $2::int * interval '1 millisecond'
        ORDER BY id`,
      [originalId, maxAgeMs],
    );
    return rows.map((r: any) => ({ messageId: r.id, run: r.run, replyTo: r.reply_to }));
  }

  /** Every try of every function of a run; only a function's last try shapes the response. */
  private async executions(messageId: string, run: number): Promise<RunOutcome['executions']> {
    const rows = await this.db.query(
      `SELECT id, function_id, function_name, status, message, result, error, response, try_no
         FROM executions WHERE message_id = $1 AND run = $2 ORDER BY id`,
      [messageId, run],
    );
    const lastTry = new Map<string, number>();
    for (const r of rows) lastTry.set(r.function_id, Math.max(lastTry.get(r.function_id) ?? 0, r.try_no));
    return rows.map((r: any) => ({
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
