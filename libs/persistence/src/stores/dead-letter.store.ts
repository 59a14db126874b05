import type { DataSource } from 'typeorm';
import { storable, type DeadLetterEvent } from '@hookline/contracts';
import { pageLimit, whereClause } from './keyset-page';
import { toDate, type PgTimestamp } from './pg-values';
import { execute, rows } from './sql';

/** A dead letter as operators see it. */
export interface DeadLetterRecord extends DeadLetterEvent {
  retriedAt: string | null;
  retriedBy: string | null;
}

/** The dead letters of every consumer group, newest first. */
export class DeadLetterStore {
  constructor(private readonly db: DataSource) {}

  async record(deadLetter: DeadLetterEvent): Promise<void> {
    const d = storable(deadLetter);
    await execute(
      this.db,
      `INSERT INTO dead_letters (id, group_id, source_topic, partition, record_offset, record_key, message_id,
         attempts, error, headers, value, failed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        d.deadLetterId,
        d.groupId,
        d.sourceTopic,
        d.partition,
        d.offset,
        d.key,
        d.messageId,
        d.attempts,
        d.error,
        JSON.stringify(d.headers),
        d.value === null ? null : Buffer.from(d.value, 'base64'),
        d.failedAt,
      ],
    );
  }

  async list(
    page: { cursor?: string; limit: number },
    filter: { messageId?: string } = {},
  ): Promise<{ items: DeadLetterRecord[]; nextCursor: string | null }> {
    const params: unknown[] = [];
    const conditions: string[] = [];
    if (page.cursor) conditions.push(`id < $${params.push(page.cursor)}::uuid`);
    if (filter.messageId) conditions.push(`message_id = $${params.push(filter.messageId)}::uuid`);
    const limit = pageLimit(page.limit);
    const letters = await rows<DeadLetterRow>(
      this.db,
      `SELECT * FROM dead_letters ${whereClause(conditions)} ORDER BY id DESC LIMIT ${limit + 1}`,
      params,
    );
    const items = letters.slice(0, limit).map(toRecord);
    return { items, nextCursor: letters.length > limit ? items[items.length - 1].deadLetterId : null };
  }

  async get(id: string): Promise<DeadLetterRecord | null> {
    const [row] = await rows<DeadLetterRow>(this.db, `SELECT * FROM dead_letters WHERE id = $1`, [id]);
    return row === undefined ? null : toRecord(row);
  }

  /** Marks it retried; false when it was retried already (by someone else, concurrently). */
  async markRetried(id: string, by: string): Promise<boolean> {
    const retried = await rows<{ id: string }>(
      this.db,
      `UPDATE dead_letters SET retried_at = now(), retried_by = $2 WHERE id = $1 AND retried_at IS NULL RETURNING id`,
      [id, by],
    );
    return retried.length > 0;
  }
}

/** A row of dead_letters (`SELECT *`). */
interface DeadLetterRow {
  id: string;
  group_id: string;
  source_topic: string;
  partition: number;
  record_offset: string;
  record_key: string | null;
  message_id: string | null;
  attempts: number;
  error: string;
  failed_at: PgTimestamp;
  headers: DeadLetterEvent['headers'];
  value: Buffer | null;
  retried_at: PgTimestamp | null;
  retried_by: string | null;
}

function toRecord(row: DeadLetterRow): DeadLetterRecord {
  return {
    deadLetterId: row.id,
    groupId: row.group_id,
    sourceTopic: row.source_topic,
    partition: row.partition,
    offset: row.record_offset,
    key: row.record_key,
    messageId: row.message_id,
    attempts: row.attempts,
    error: row.error,
    failedAt: toDate(row.failed_at).toISOString(),
    headers: row.headers,
    value: row.value === null ? null : row.value.toString('base64'),
    retriedAt: row.retried_at === null ? null : toDate(row.retried_at).toISOString(),
    retriedBy: row.retried_by,
  };
}
