import type { DataSource } from 'typeorm';
import { storable, type DeadLetterEvent } from '@hookline/contracts';
import { pageLimit, whereClause } from './keyset-page';
import { rowsOf, toDate } from './pg-values';

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
    await this.db.query(
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
    const rows = await this.db.query(
      `SELECT * FROM dead_letters ${whereClause(conditions)} ORDER BY id DESC LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit).map(toRecord);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].deadLetterId : null };
  }

  async get(id: string): Promise<DeadLetterRecord | null> {
    const rows = await this.db.query(`SELECT * FROM dead_letters WHERE id = $1`, [id]);
    return rows.length === 0 ? null : toRecord(rows[0]);
  }

  /** Marks it retried; false when it was retried already (by someone else, concurrently). */
  async markRetried(id: string, by: string): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE dead_letters SET retried_at = now(), retried_by = $2 WHERE id = $1 AND retried_at IS NULL RETURNING id`,
        [id, by],
      ),
    );
    return rows.length > 0;
  }
}

function toRecord(row: Record<string, any>): DeadLetterRecord {
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
    value: row.value === null ? null : Buffer.from(row.value).toString('base64'),
    retriedAt: row.retried_at === null ? null : toDate(row.retried_at).toISOString(),
    retriedBy: row.retried_by,
  };
}
