import type { DataSource } from 'typeorm';
import { MessageStatus, type WebhookRequest } from '@hookline/contracts';
import { toDate, type PgBigint, type PgTimestamp } from './pg-values';
import { ConfigStore, CURRENT_REVISION_SQL } from './config.store';
import { execute, prepared, rows } from './sql';

/** A message as the ingress stores it. */
export interface NewMessage {
  id: string;
  method: string;
  uri: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  remoteAddr: string;
  contentType: string | null;
  body: Buffer;
  receivedAt: Date;
  /** Correlation of the waiting sync request, if any. */
  replyTo: string | null;
}

/** A stored message whose current run the broker has not acknowledged yet. */
export interface UnpublishedMessage {
  id: string;
  run: number;
  runStartedAt: string;
  replyTo: string | null;
  resubmittedBy: string | null;
  request: WebhookRequest;
}

/** Messages the bus refused for good (too large, invalid), with the reason: their runs end FAILED. */
export type RelayRefusals = Map<string, string>;

const COLUMNS = 13;
/** Batches of up to this many messages are stored by a prepared statement (one text per size). */
const PREPARED_BATCH_SIZES = 16;

/** Writes of the ingress path: batched inserts and the transactional outbox. */
export class MessageStore {
  constructor(private readonly db: DataSource) {}

  /** One INSERT for the whole batch. */
  /**
   * Stores the messages; resolves to the configuration's revision read by the same statement, so
   * at least as new as the configuration when they arrived.
   */
  async insertMany(messages: NewMessage[]): Promise<number> {
    if (messages.length === 0) return new ConfigStore(this.db).revision();
    const params: unknown[] = [];
    const values = messages.map((m, i) => {
      params.push(
        m.id,
        m.method,
        m.uri,
        JSON.stringify(m.query),
        JSON.stringify(m.headers),
        m.remoteAddr,
        m.contentType,
        m.body,
        m.receivedAt.toISOString(),
        MessageStatus.Received,
        m.replyTo,
        m.receivedAt.toISOString(),
        m.receivedAt.toISOString(),
      );
      const base = i * COLUMNS;
      return `(${Array.from({ length: COLUMNS }, (_, c) => `$${base + c + 1}`).join(', ')})`;
    });
    // A WITH's INSERT runs whether or not the query reads it, in the same snapshot as the SELECT.
    const sql = `WITH stored AS (
         INSERT INTO messages (id, method, uri, query, headers, remote_addr, content_type, body,
           received_at, status, reply_to, updated_at, run_started_at)
         VALUES ${values.join(', ')}
       )
       ${CURRENT_REVISION_SQL}`;
    // One text per batch size: the sizes a request-paced ingress sees most are prepared, a bounded set.
    const [row] = await rows<{ revision: PgBigint }>(
      this.db,
      messages.length <= PREPARED_BATCH_SIZES ? prepared(sql) : sql,
      params,
    );
    return Number(row.revision);
  }

  /**
   * Stored runs the broker has not acknowledged yet (the outbox's backlog), counted up to `cap`,
   * and how long the oldest has waited.
   */
  async outboxBacklog(cap = 100_000): Promise<{ count: number; capped: boolean; oldestAgeMs: number | null }> {
    const [row] = await rows<{ count: number; oldest_ms: PgBigint | null }>(
      this.db,
      `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM messages WHERE published_at IS NULL LIMIT $1) b) AS count,
              (SELECT (extract(epoch FROM now() - min(updated_at)) * 1000)::bigint
                 FROM messages WHERE published_at IS NULL) AS oldest_ms`,
      [cap + 1],
    );
    const count = Number(row.count);
    return {
      count: Math.min(count, cap),
      capped: count > cap,
      oldestAgeMs: row.oldest_ms === null ? null : Number(row.oldest_ms),
    };
  }

  /**
   * Records when the broker acknowledged each message (marked later, in batches). A message the
   * matcher planned meanwhile is marked already (by the plan) and is left as it is.
   */
  async markPublished(published: Array<{ id: string; at: Date }>): Promise<void> {
    if (published.length === 0) return;
    // Rows locked in id order, as the matcher's and executors' multi-row updates do: no deadlock.
    await execute(
      this.db,
      prepared(`WITH locked AS (
         SELECT id FROM messages WHERE id = ANY($1::uuid[]) AND published_at IS NULL ORDER BY id FOR UPDATE
       )
       UPDATE messages m SET published_at = i.at
         FROM locked JOIN unnest($1::uuid[], $2::timestamptz[]) AS i (id, at) ON i.id = locked.id
        WHERE m.id = locked.id`),
      [published.map((p) => p.id), published.map((p) => p.at.toISOString())],
    );
  }

  /**
   * Hands messages the broker never acknowledged to `publish`, and marks them published when it
   * resolves. Replicas skip each other's locked rows, so each message is relayed by one of them.
   */
  async relayUnpublished(
    minAgeMs: number,
    limit: number,
    publish: (messages: UnpublishedMessage[]) => Promise<void | RelayRefusals>,
  ): Promise<number> {
    return this.relay(
      `published_at IS NULL AND updated_at < now() - ($1::int * interval '1 millisecond')
       ORDER BY updated_at LIMIT $2`,
      [minAgeMs, limit],
      publish,
    );
  }

  /** Relays these messages now (those still unpublished), the way relayUnpublished would later. */
  async relayMany(
    ids: string[],
    publish: (messages: UnpublishedMessage[]) => Promise<void | RelayRefusals>,
  ): Promise<number> {
    return this.relay(`published_at IS NULL AND id = ANY($1::uuid[]) ORDER BY id`, [ids], publish);
  }

  /** Relays one message now, the way relayUnpublished would later. */
  async relayOne(
    id: string,
    publish: (message: UnpublishedMessage) => Promise<void | RelayRefusals>,
  ): Promise<boolean> {
    const count = await this.relay(`published_at IS NULL AND id = $1`, [id], ([message]) => publish(message));
    return count > 0;
  }

  private async relay(
    where: string,
    params: unknown[],
    publish: (messages: UnpublishedMessage[]) => Promise<void | RelayRefusals>,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const messages = await rows<UnpublishedRow>(
        tx,
        `SELECT id, run, run_started_at, reply_to, resubmitted_by, ${REQUEST_COLUMNS}
           FROM messages
          WHERE ${where}
          FOR UPDATE SKIP LOCKED`,
        params,
      );
      if (messages.length === 0) return 0;
      const refused =
        (await publish(
          messages.map((row) => ({
            id: row.id,
            run: row.run,
            runStartedAt: toDate(row.run_started_at).toISOString(),
            replyTo: row.reply_to,
            resubmittedBy: row.resubmitted_by,
            request: requestOf(row),
          })),
        )) ?? new Map<string, string>();
      await execute(tx, `UPDATE messages SET published_at = now() WHERE id = ANY($1::uuid[])`, [
        messages.map((row) => row.id).filter((id) => !refused.has(id)),
      ]);
      // Never publishable: the run ends FAILED with the reason, instead of being tried for ever.
      for (const [id, reason] of refused) {
        await execute(
          tx,
          `UPDATE messages SET status = 'FAILED', message = $2, pending_jobs = 0, published_at = now(), updated_at = now()
            WHERE id = $1 AND status = 'RECEIVED'`,
          [id, reason],
        );
      }
      return messages.length;
    });
  }

  /**
   * Starts a new run of a finished message with the current configuration. Returns the new run, or
   * null when the message does not exist; throws MessageBusyError while a run is in progress, and
   * MessageIsDuplicateError for a DUPLICATE (resubmit its original: a duplicate is never run).
   */
  async startResubmission(id: string, resubmittedBy: string): Promise<number | null> {
    const started = await rows<{ run: number; status: string }>(
      this.db,
      `UPDATE messages
          SET run = run + 1, run_started_at = now(), status = $3, pending_jobs = 0, failed_jobs = 0, published_at = NULL,
              reply_to = NULL, resubmitted_by = $2, message = NULL, updated_at = now()
        WHERE id = $1 AND status IN ('SUCCESS', 'FAILED', 'UNMATCHED')
        RETURNING run, status`,
      [id, resubmittedBy, MessageStatus.Received],
    );
    if (started.length > 0) return started[0].run;
    const exists = await rows<{ status: string; duplicate_of: string | null }>(
      this.db,
      `SELECT status, duplicate_of FROM messages WHERE id = $1`,
      [id],
    );
    if (exists.length === 0) return null;
    if (exists[0].status === MessageStatus.Duplicate) throw new MessageIsDuplicateError(id, exists[0].duplicate_of);
    throw new MessageBusyError(id, exists[0].status);
  }

  /** Embedded restarts: in-process topics are gone, so unfinished messages go through the outbox again. */
  async requeueUnfinished(): Promise<number> {
    const requeued = await rows<{ id: string }>(
      this.db,
      `UPDATE messages SET published_at = NULL
        WHERE status IN ('RECEIVED', 'PROCESSING') AND published_at IS NOT NULL
        RETURNING id`,
    );
    return requeued.length;
  }
}

export class MessageBusyError extends Error {
  constructor(
    readonly messageId: string,
    readonly status: string,
  ) {
    super(`message ${messageId} is still ${status}; resubmit it once it has finished`);
  }
}

/** A DUPLICATE is refused like a busy message (409), naming the original to resubmit instead. */
export class MessageIsDuplicateError extends MessageBusyError {
  constructor(
    messageId: string,
    readonly duplicateOf: string | null,
  ) {
    super(messageId, MessageStatus.Duplicate);
    this.message = duplicateOf
      ? `message ${messageId} is a duplicate of ${duplicateOf} and is never processed; resubmit ${duplicateOf} instead`
      : `message ${messageId} is a duplicate and is never processed; resubmit its original instead`;
  }
}

/** The columns of a message that requestOf reads. */
export const REQUEST_COLUMNS = 'method, uri, query, headers, remote_addr, content_type, body, received_at';

/** What REQUEST_COLUMNS selects. */
export interface RequestRow {
  method: string;
  uri: string;
  query: WebhookRequest['query'];
  headers: WebhookRequest['headers'];
  remote_addr: string;
  content_type: string | null;
  body: Buffer;
  received_at: PgTimestamp;
}

/** What the outbox relay selects. */
interface UnpublishedRow extends RequestRow {
  id: string;
  run: number;
  run_started_at: PgTimestamp;
  reply_to: string | null;
  resubmitted_by: string | null;
}

/** A stored message's request as events carry it, from a row with REQUEST_COLUMNS. */
export function requestOf(row: RequestRow): WebhookRequest {
  return {
    method: row.method,
    uri: row.uri,
    query: row.query,
    headers: row.headers,
    remoteAddr: row.remote_addr,
    contentType: row.content_type,
    body: row.body.toString('base64'),
    receivedAt: toDate(row.received_at).toISOString(),
  };
}
