import type { DataSource } from 'typeorm';
import { isEmbedded } from '../data-source';
import { execute, rows, type Queryable } from './sql';

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

/**
 * The SQL of the retention purge (run by @hookline/retention's job): the replicas' lock and one
 * short batch at a time. Each batch runs on the `db` that `exclusively` lends.
 */
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
      const [{ locked }] = await rows<{ locked: boolean }>(runner, `SELECT pg_try_advisory_lock($1) AS locked`, [
        RETENTION_LOCK,
      ]);
      if (!locked) return null;
      try {
        return await work(runner);
      } finally {
        await execute(runner, `SELECT pg_advisory_unlock($1)`, [RETENTION_LOCK]).catch(() => undefined);
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
    const [row] = await rows<PurgedBatch>(
      db,
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
    );
    return { scanned: row.scanned, last: row.last, messages: row.messages, executions: row.executions };
  }

  /**
   * Deletes up to `limit` dead letters that failed before `before` and whose message is gone or was
   * purged (a dead letter is kept while its message is, so that it can still be retried).
   */
  async purgeDeadLetters(db: Queryable, before: Date, limit: number): Promise<number> {
    const purged = await rows<{ id: string }>(
      db,
      `DELETE FROM dead_letters
        WHERE id IN (SELECT d.id FROM dead_letters d
                      WHERE d.failed_at < $1::timestamptz
                        AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = d.message_id)
                      ORDER BY d.failed_at LIMIT $2::int)
        RETURNING id`,
      [before.toISOString(), limit],
    );
    return purged.length;
  }
}
