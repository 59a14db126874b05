import type { DataSource } from 'typeorm';
import { isEmbedded, rowsOf } from '@hookline/persistence';

/** Anything that runs SQL: a dedicated connection, or the embedded database itself. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** What one batch of the purge looked at and removed. */
export interface PurgedBatch {
  /** Messages looked at, in id order: fewer than the limit means the end was reached. */
  scanned: number;
  /** The last id looked at: the next batch starts after it. */
  last: string | null;
  messages: number;
  executions: number;
}

/** Any number unique to Hookline's retention purge (the migration lock is another). */
const RETENTION_LOCK = 7_240_519;

/** The lowest id of the purge's keyset walk. */
export const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/** The SQL of the retention purge: the replicas' lock and one short batch at a time. */
export class RetentionStore {
  constructor(private readonly db: DataSource) {}

  /**
   * Runs `work` holding the retention lock (a session advisory lock on a connection of its own, so
   * it goes when the process does), or answers null when another process holds it. PGlite serves
   * one process and lends its only session per transaction, so there `work` runs on the database.
   */
  async exclusively<T>(work: (db: Queryable) => Promise<T>): Promise<T | null> {
    if (isEmbedded(this.db)) return work(this.db);
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [RETENTION_LOCK]);
      if (!locked) return null;
      try {
        return await work(runner);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [RETENTION_LOCK]).catch(() => undefined);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Looks at the next `limit` messages after `after` with ids below `belowId` (UUIDv7: received
   * before the cutoff) and deletes those finished whose latest run started before `before`; their
   * executions go with them (ON DELETE CASCADE). One statement: a short transaction of its own.
   * RECEIVED and PROCESSING messages stay, however old, and so does anything resubmitted since.
   */
  async purgeBatch(
    db: Queryable,
    batch: { after: string; belowId: string; before: Date; limit: number },
  ): Promise<PurgedBatch> {
    const rows = rowsOf(
      await db.query(
        `WITH batch AS (
           SELECT id FROM messages WHERE id > $1::uuid AND id < $2::uuid ORDER BY id LIMIT $3::int
         ), gone AS (
           -- Conditions on the row itself, so one resubmitted meanwhile is re-checked and kept.
           DELETE FROM messages
            WHERE id IN (SELECT id FROM batch)
              AND status NOT IN ('RECEIVED', 'PROCESSING')
              AND run_started_at < $4::timestamptz
           RETURNING id
         )
         SELECT (SELECT count(*) FROM batch)::int AS scanned,
                (SELECT id FROM batch ORDER BY id DESC LIMIT 1) AS last,
                (SELECT count(*) FROM gone)::int AS messages,
                -- The statement's snapshot still sees the executions the cascade removes.
                (SELECT count(*) FROM executions WHERE message_id IN (SELECT id FROM gone))::int AS executions`,
        [batch.after, batch.belowId, batch.limit, batch.before.toISOString()],
      ),
    );
    const [row] = rows;
    return { scanned: row.scanned, last: row.last, messages: row.messages, executions: row.executions };
  }
}

/**
 * Deletes up to `limit` dead letters that failed before `before` and whose message is gone or was
 * purged (a dead letter is kept while its message is, so that it can still be retried).
 */
export async function purgeDeadLetters(db: Queryable, before: Date, limit: number): Promise<number> {
  const rows = rowsOf(
    await db.query(
      `DELETE FROM dead_letters
        WHERE id IN (SELECT d.id FROM dead_letters d
                      WHERE d.failed_at < $1::timestamptz
                        AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = d.message_id)
                      ORDER BY d.failed_at LIMIT $2::int)
        RETURNING id`,
      [before.toISOString(), limit],
    ),
  );
  return rows.length;
}

/** The lowest UUIDv7 of a moment: every id generated earlier sorts below it. */
export function uuidv7Floor(at: Date): string {
  const hex = Math.max(0, at.getTime()).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}
