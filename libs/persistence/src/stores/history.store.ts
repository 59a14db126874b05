import type { DataSource } from 'typeorm';
import type { HistoryFilter, SqlQuery } from './history-filter';
import { executionPageQuery } from './execution-query';
import { messagePageQuery, messageStatusCountQuery, type StatusCountFilter } from './message-query';
import { toDate } from './pg-values';

/** One page, newest first; `nextCursor` (the last item's id) asks for the next, older one. */
export interface HistoryPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  /** `nextCursor` of the previous page. */
  cursor?: string;
  limit: number;
}

export interface MessageSummary {
  id: string;
  method: string;
  uri: string;
  receivedAt: Date;
  status: string;
  providerId: string | null;
  providerName: string | null;
  message: string | null;
  remoteAddr: string;
}

export interface ExecutionSummary {
  id: string;
  messageId: string;
  functionId: string;
  functionName: string;
  status: string;
  message: string | null;
  durationMs: number | null;
  attempt: number;
  try: number;
  run: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  resubmittedBy: string | null;
  uri: string;
  providerId: string | null;
  providerName: string | null;
}

/** Reads of the message and execution history, through the query builders. */
export class HistoryStore {
  constructor(private readonly db: DataSource) {}

  async messages(filter: HistoryFilter, page: PageRequest): Promise<HistoryPage<MessageSummary>> {
    const query = this.messagesQuery(filter, page);
    const rows: Array<Record<string, any>> = await this.db.query(query.text, query.params);
    return toPage(rows, page.limit, (row) => ({
      id: row.id,
      method: row.method,
      uri: row.uri,
      receivedAt: toDate(row.received_at),
      status: row.status,
      providerId: row.provider_id,
      providerName: row.provider_name,
      message: row.message,
      remoteAddr: row.remote_addr,
    }));
  }

  async executions(filter: HistoryFilter, page: PageRequest): Promise<HistoryPage<ExecutionSummary>> {
    const query = this.executionsQuery(filter, page);
    const rows: Array<Record<string, any>> = await this.db.query(query.text, query.params);
    return toPage(rows, page.limit, (row) => ({
      id: row.id,
      messageId: row.message_id,
      functionId: row.function_id,
      functionName: row.function_name,
      status: row.status,
      message: row.message,
      durationMs: row.duration_ms,
      attempt: row.attempt,
      try: row.try_no,
      run: row.run,
      startedAt: row.started_at === null ? null : toDate(row.started_at),
      finishedAt: row.finished_at === null ? null : toDate(row.finished_at),
      resubmittedBy: row.resubmitted_by,
      uri: row.uri,
      providerId: row.provider_id,
      providerName: row.provider_name,
    }));
  }

  /**
   * Messages per status per bucket of `bucketMs`, the first bucket starting at `filter.from`;
   * buckets and statuses without messages are absent.
   */
  async statusCounts(
    filter: StatusCountFilter,
    bucketMs: number,
  ): Promise<Array<{ bucket: number; status: string; count: number }>> {
    const query = messageStatusCountQuery(filter, bucketMs);
    const rows: Array<{ bucket: number; status: string; count: number }> = await this.db.query(
      query.text,
      query.params,
    );
    return rows.map((row) => ({ bucket: Number(row.bucket), status: row.status, count: Number(row.count) }));
  }

  /** The SQL `messages()` runs, for EXPLAIN. One more row than asked tells whether another page follows. */
  messagesQuery(filter: HistoryFilter, page: PageRequest): SqlQuery {
    return messagePageQuery(filter, { before: page.cursor, limit: page.limit + 1 });
  }

  /** The SQL `executions()` runs, for EXPLAIN. */
  executionsQuery(filter: HistoryFilter, page: PageRequest): SqlQuery {
    return executionPageQuery(filter, { before: page.cursor, limit: page.limit + 1 });
  }
}

function toPage<T extends { id: string }>(
  rows: Array<Record<string, any>>,
  limit: number,
  map: (row: Record<string, any>) => T,
): HistoryPage<T> {
  const items = rows.slice(0, limit).map(map);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
