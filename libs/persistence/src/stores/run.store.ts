import type { DataSource } from 'typeorm';
import { ExecutionStatus, MessageStatus, type ExecutionSummary, type ShapedResponse } from '@hookline/contracts';
import { rowsOf, toDate } from './pg-values';
import type { ScriptLogLine } from '../entities/message.entity';

export interface PlannedExecution {
  id: string;
  functionId: string;
  functionName: string;
}

/** What the matcher decided for one run of a message. */
export interface RunPlan {
  messageId: string;
  run: number;
  status: typeof MessageStatus.Processing | typeof MessageStatus.Unmatched;
  providerId: string | null;
  providerName: string | null;
  message: string | null;
  matchLog: ScriptLogLine[];
  executions: PlannedExecution[];
  resubmittedBy: string | null;
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

export interface MessageState {
  run: number;
  status: MessageStatus;
  providerId: string | null;
  replyTo: string | null;
}

/** The outcome of a run, as a sync caller gets it. */
export interface RunOutcome {
  status: MessageStatus;
  executions: Array<ExecutionSummary & { response: ShapedResponse | null }>;
}

/**
 * State transitions of a message's run, each guarded so that a redelivered record changes nothing
 * twice: plan once, start a PENDING or RUNNING execution, finish a RUNNING one once.
 */
export class RunStore {
  constructor(private readonly db: DataSource) {}

  async state(messageId: string): Promise<MessageState | null> {
    const rows = await this.db.query(`SELECT run, status, provider_id, reply_to FROM messages WHERE id = $1`, [
      messageId,
    ]);
    if (rows.length === 0) return null;
    const [row] = rows;
    return { run: row.run, status: row.status, providerId: row.provider_id, replyTo: row.reply_to };
  }

  /** Records the plan unless this run was planned already; false when it was. */
  async recordPlan(plan: RunPlan): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const updated = rowsOf(
        await tx.query(
          `UPDATE messages
            SET status = $3, provider_id = $4, provider_name = $5, message = $6, match_log = $7,
                pending_jobs = $8, failed_jobs = 0, updated_at = now()
          WHERE id = $1 AND run = $2 AND status = 'RECEIVED'
          RETURNING id`,
          [
            plan.messageId,
            plan.run,
            plan.status,
            plan.providerId,
            plan.providerName,
            plan.message,
            JSON.stringify(plan.matchLog),
            plan.executions.length,
          ],
        ),
      );
      if (updated.length === 0) return false;
      if (plan.executions.length > 0) {
        const params: unknown[] = [plan.messageId, plan.run, ExecutionStatus.Pending, plan.resubmittedBy];
        const rows = plan.executions.map((e) => {
          params.push(e.id, e.functionId, e.functionName);
          const n = params.length;
          return `($${n - 2}, $1, $2, $${n - 1}, $${n}, $3, $4)`;
        });
        await tx.query(
          `INSERT INTO executions (id, message_id, run, function_id, function_name, status, resubmitted_by)
           VALUES ${rows.join(', ')}
           ON CONFLICT (message_id, run, function_id) DO NOTHING`,
          params,
        );
      }
      return true;
    });
  }

  /** Executions of a run that have not finished: what a redelivered plan must emit again. */
  async unfinishedExecutions(messageId: string, run: number): Promise<PlannedExecution[]> {
    const rows = await this.db.query(
      `SELECT id, function_id, function_name FROM executions
        WHERE message_id = $1 AND run = $2 AND status IN ('PENDING', 'RUNNING')`,
      [messageId, run],
    );
    return rows.map((r: any) => ({ id: r.id, functionId: r.function_id, functionName: r.function_name }));
  }

  /**
   * Marks an execution RUNNING as a new attempt. Null when it has finished already (a redelivered
   * job); a RUNNING one is taken over, since its executor stopped without finishing it.
   */
  async startExecution(executionId: string): Promise<{ attempt: number; startedAt: Date } | null> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE executions SET status = 'RUNNING', attempt = attempt + 1, started_at = now()
        WHERE id = $1 AND status IN ('PENDING', 'RUNNING')
        RETURNING attempt, started_at`,
        [executionId],
      ),
    );
    return rows.length === 0 ? null : { attempt: rows[0].attempt, startedAt: toDate(rows[0].started_at) };
  }

  /**
   * Records the end of an execution and counts it against its run; the last one sets the message's
   * final status. Null when the execution had been finished already.
   */
  async finishExecution(
    execution: FinishedExecution,
  ): Promise<{ finishedAt: Date; messageStatus: MessageStatus; runFinished: boolean; replyTo: string | null } | null> {
    return this.db.transaction(async (tx) => {
      const done = rowsOf(
        await tx.query(
          `UPDATE executions
            SET status = $2, logs = $3, message = $4, result = $5, error = $6, response = $7,
                duration_ms = $8, finished_at = now()
          WHERE id = $1 AND status = 'RUNNING'
          RETURNING finished_at`,
          [
            execution.id,
            execution.status,
            JSON.stringify(execution.logs),
            execution.message,
            execution.result === undefined ? null : JSON.stringify(execution.result),
            execution.error,
            execution.response === null ? null : JSON.stringify(execution.response),
            execution.durationMs,
          ],
        ),
      );
      if (done.length === 0) return null;
      const failed = execution.status === ExecutionStatus.Failed ? 1 : 0;
      // Evaluated on the locked row, so concurrent finishers of one run count correctly.
      const rows = rowsOf(
        await tx.query(
          `UPDATE messages
            SET pending_jobs = pending_jobs - 1,
                failed_jobs = failed_jobs + $3,
                status = CASE WHEN pending_jobs - 1 > 0 THEN status
                              WHEN failed_jobs + $3 > 0 THEN 'FAILED'
                              ELSE 'SUCCESS' END,
                updated_at = now()
          WHERE id = $1 AND run = $2
          RETURNING pending_jobs, status, reply_to`,
          [execution.messageId, execution.run, failed],
        ),
      );
      const finishedAt = toDate(done[0].finished_at);
      if (rows.length === 0) {
        // A newer run started meanwhile (resubmit); this execution still counts in its own run's records.
        return { finishedAt, messageStatus: MessageStatus.Processing, runFinished: false, replyTo: null };
      }
      return {
        finishedAt,
        messageStatus: rows[0].status,
        runFinished: rows[0].pending_jobs === 0,
        replyTo: rows[0].reply_to,
      };
    });
  }

  /** The executions of a run with the message's status, for a sync reply. */
  async outcome(messageId: string, run: number): Promise<RunOutcome | null> {
    const state = await this.state(messageId);
    if (!state) return null;
    const rows = await this.db.query(
      `SELECT id, function_id, function_name, status, message, result, error, response
         FROM executions WHERE message_id = $1 AND run = $2 ORDER BY id`,
      [messageId, run],
    );
    return {
      status: state.status,
      executions: rows.map((r: any) => ({
        executionId: r.id,
        functionId: r.function_id,
        functionName: r.function_name,
        status: r.status,
        message: r.message,
        result: r.result,
        error: r.error,
        response: r.response,
      })),
    };
  }
}
