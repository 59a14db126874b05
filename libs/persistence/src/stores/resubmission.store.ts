import type { DataSource } from 'typeorm';
import { uuidv7Floor, type HistoryFilter } from './history-filter';
import { messageCountQuery, messagePageQuery } from './message-query';
import { toDate, toDateOrNull, type PgTimestamp } from './pg-values';
import { execute, rows } from './sql';

export const ResubmissionStatus = {
  Pending: 'PENDING',
  Running: 'RUNNING',
  Done: 'DONE',
  Failed: 'FAILED',
  Cancelled: 'CANCELLED',
} as const;
export type ResubmissionStatus = (typeof ResubmissionStatus)[keyof typeof ResubmissionStatus];

/** A bulk resubmission and its progress. */
export interface Resubmission {
  id: string;
  filter: HistoryFilter;
  ratePerSecond: number;
  status: ResubmissionStatus;
  requestedBy: string;
  /** Messages that matched when it started; null until then. */
  total: number | null;
  done: number;
  /** Messages still being processed (or gone) when their turn came. */
  skipped: number;
  failed: number;
  /**
   * Messages are taken newest first: the next one is the newest below this id. It starts as the
   * first id after the operation was requested, so messages received later are left alone.
   */
  cursorId: string;
  /** The run the cursor's message had when its turn came. */
  cursorRun: number | null;
  /** False while the cursor's message is being resubmitted: a worker that stopped then left it in doubt. */
  cursorSettled: boolean;
  lastError: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** What resubmitting one message came to. */
export type ResubmitOutcome = { kind: 'done' } | { kind: 'skipped' } | { kind: 'failed'; error: string };

const UNFINISHED = `('${ResubmissionStatus.Pending}', '${ResubmissionStatus.Running}')`;

/**
 * Bulk resubmissions, persisted with their progress so a restarted worker continues where the last
 * one stopped. A worker claims one with a lease (`claimed_by`, `lease_until`) that every step it
 * takes renews and checks: one replica at a time runs an operation, and another takes over once a
 * lease has run out.
 */
export class ResubmissionStore {
  constructor(private readonly db: DataSource) {}

  async create(request: {
    id: string;
    filter: HistoryFilter;
    ratePerSecond: number;
    requestedBy: string;
  }): Promise<Resubmission> {
    const [row] = await rows<ResubmissionRow>(
      this.db,
      `INSERT INTO resubmissions (id, filter, rate_per_second, status, requested_by, cursor_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING *`,
      [
        request.id,
        JSON.stringify(request.filter),
        request.ratePerSecond,
        ResubmissionStatus.Pending,
        request.requestedBy,
        uuidv7Floor(Date.now() + 1),
      ],
    );
    return toResubmission(row);
  }

  async get(id: string): Promise<Resubmission | null> {
    const [row] = await rows<ResubmissionRow>(this.db, `SELECT * FROM resubmissions WHERE id = $1`, [id]);
    return row === undefined ? null : toResubmission(row);
  }

  /** Newest first, a keyset page at a time. */
  async list(page: { cursor?: string; limit: number }): Promise<{ items: Resubmission[]; nextCursor: string | null }> {
    const operations = await rows<ResubmissionRow>(
      this.db,
      `SELECT * FROM resubmissions WHERE $1::uuid IS NULL OR id < $1::uuid ORDER BY id DESC LIMIT $2`,
      [page.cursor ?? null, page.limit + 1],
    );
    const items = operations.slice(0, page.limit).map(toResubmission);
    return { items, nextCursor: operations.length > page.limit ? items[items.length - 1].id : null };
  }

  /** Stops an unfinished operation; null when there is none with this id or it had finished. */
  async cancel(id: string): Promise<Resubmission | null> {
    const [row] = await rows<ResubmissionRow>(
      this.db,
      `UPDATE resubmissions SET status = $2, finished_at = now(), updated_at = now()
          WHERE id = $1 AND status IN ${UNFINISHED}
          RETURNING *`,
      [id, ResubmissionStatus.Cancelled],
    );
    return row === undefined ? null : toResubmission(row);
  }

  /** Takes the oldest unfinished operation nobody holds a lease on, and marks it RUNNING. */
  async claim(workerId: string, leaseMs: number): Promise<Resubmission | null> {
    const [row] = await rows<ResubmissionRow>(
      this.db,
      `UPDATE resubmissions
            SET claimed_by = $1, lease_until = now() + $2::int * interval '1 millisecond', status = $3,
                started_at = coalesce(started_at, now()), updated_at = now()
          WHERE id = (SELECT id FROM resubmissions
                       WHERE status IN ${UNFINISHED} AND (lease_until IS NULL OR lease_until < now())
                       ORDER BY id LIMIT 1
                       FOR UPDATE SKIP LOCKED)
          RETURNING *`,
      [workerId, leaseMs, ResubmissionStatus.Running],
    );
    return row === undefined ? null : toResubmission(row);
  }

  /** Counts the messages the operation will go through, once, when it starts. */
  async countTotal(operation: Resubmission, workerId: string): Promise<number> {
    const query = messageCountQuery(operation.filter, operation.cursorId);
    const [{ count }] = await rows<{ count: number }>(this.db, query.text, query.params);
    await execute(
      this.db,
      `UPDATE resubmissions SET total = $3, updated_at = now() WHERE id = $1 AND claimed_by = $2`,
      [operation.id, workerId, count],
    );
    return count;
  }

  /** The next messages to resubmit: those matching the filter, newest first, below `before`. */
  async nextMessages(
    filter: HistoryFilter,
    before: string,
    limit: number,
  ): Promise<Array<{ id: string; run: number }>> {
    const query = messagePageQuery(filter, { before, limit }, ['m.id', 'm.run']);
    return rows<{ id: string; run: number }>(this.db, query.text, query.params);
  }

  /**
   * Moves the cursor to a message about to be resubmitted and renews the lease. False when the
   * operation is no longer this worker's to run (cancelled, or its lease lapsed and another took it).
   */
  async begin(id: string, workerId: string, message: { id: string; run: number }, leaseMs: number): Promise<boolean> {
    const begun = await rows<{ id: string }>(
      this.db,
      `UPDATE resubmissions
            SET cursor_id = $3, cursor_run = $4, cursor_settled = false,
                lease_until = now() + $5::int * interval '1 millisecond', updated_at = now()
          WHERE id = $1 AND claimed_by = $2 AND status = $6
          RETURNING id`,
      [id, workerId, message.id, message.run, leaseMs, ResubmissionStatus.Running],
    );
    return begun.length > 0;
  }

  /** Counts what became of the cursor's message (once, even if cancelled meanwhile). */
  async settle(id: string, workerId: string, outcome: ResubmitOutcome): Promise<void> {
    await execute(
      this.db,
      `UPDATE resubmissions
          SET done = done + $3, skipped = skipped + $4, failed = failed + $5, cursor_settled = true,
              last_error = coalesce($6, last_error), updated_at = now()
        WHERE id = $1 AND claimed_by = $2 AND NOT cursor_settled`,
      [
        id,
        workerId,
        outcome.kind === 'done' ? 1 : 0,
        outcome.kind === 'skipped' ? 1 : 0,
        outcome.kind === 'failed' ? 1 : 0,
        outcome.kind === 'failed' ? outcome.error : null,
      ],
    );
  }

  /** Ends a running operation (DONE or FAILED) and gives up its lease. */
  async finish(
    id: string,
    workerId: string,
    status: typeof ResubmissionStatus.Done | typeof ResubmissionStatus.Failed,
    error: string | null = null,
  ): Promise<void> {
    await execute(
      this.db,
      `UPDATE resubmissions
          SET status = $3, finished_at = now(), last_error = coalesce($4, last_error),
              claimed_by = NULL, lease_until = NULL, updated_at = now()
        WHERE id = $1 AND claimed_by = $2 AND status = $5`,
      [id, workerId, status, error, ResubmissionStatus.Running],
    );
  }

  /** Gives up the lease without finishing (the process is stopping): any worker may continue at once. */
  async release(id: string, workerId: string): Promise<void> {
    await execute(
      this.db,
      `UPDATE resubmissions SET claimed_by = NULL, lease_until = NULL, updated_at = now()
        WHERE id = $1 AND claimed_by = $2`,
      [id, workerId],
    );
  }
}

/** A row of resubmissions (`SELECT *`, `RETURNING *`). */
interface ResubmissionRow {
  id: string;
  /** The HistoryFilter as JSON: its dates are strings. */
  filter: Record<string, unknown>;
  rate_per_second: number;
  status: ResubmissionStatus;
  requested_by: string;
  total: number | null;
  done: number;
  skipped: number;
  failed: number;
  cursor_id: string;
  cursor_run: number | null;
  cursor_settled: boolean;
  last_error: string | null;
  created_at: PgTimestamp;
  started_at: PgTimestamp | null;
  finished_at: PgTimestamp | null;
}

function toResubmission(row: ResubmissionRow): Resubmission {
  const filter = row.filter;
  return {
    id: row.id,
    filter: {
      ...filter,
      ...(typeof filter.from === 'string' ? { from: new Date(filter.from) } : {}),
      ...(typeof filter.to === 'string' ? { to: new Date(filter.to) } : {}),
    } as HistoryFilter,
    ratePerSecond: row.rate_per_second,
    status: row.status,
    requestedBy: row.requested_by,
    total: row.total,
    done: row.done,
    skipped: row.skipped,
    failed: row.failed,
    cursorId: row.cursor_id,
    cursorRun: row.cursor_run,
    cursorSettled: row.cursor_settled,
    lastError: row.last_error,
    createdAt: toDate(row.created_at),
    startedAt: toDateOrNull(row.started_at),
    finishedAt: toDateOrNull(row.finished_at),
  };
}
