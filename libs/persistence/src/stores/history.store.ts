import type { DataSource } from 'typeorm';
import {
  isFinalMessage,
  type ExecutionStatus,
  type MessageStatus,
  type ShapedResponse,
  type WebhookRequest,
} from '@hookline/contracts';
import type { HistoryFilter, SqlQuery } from './history-filter';
import { executionPageQuery } from './execution-query';
import { messagePageQuery, messageStatusCountQuery, type StatusCountFilter } from './message-query';
import type { ExecutionEntity } from '../entities/execution.entity';
import type { MessageEntity, ScriptLogLine } from '../entities/message.entity';
import { REQUEST_COLUMNS, requestOf, type RequestRow } from './message.store';
import { toDate, toDateOrNull, type PgTimestamp } from './pg-values';
import { rows } from './sql';

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
  /** 0 for the original delivery; each resubmission adds one. */
  run: number;
  /** The executions of the latest run, in the order they were planned. */
  functions: MessageFunction[];
  /** From the start of the latest run (the arrival, or the resubmission) to its end; null until it ends. */
  durationMs: number | null;
  /** The token that started the latest run; null for the original delivery. */
  resubmittedBy: string | null;
}

/** A function of a message's latest run, and how its execution stands. */
export interface MessageFunction {
  id: string;
  name: string;
  status: string;
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

  /** A page of messages, then the functions of all of them in one more query: two queries a page. */
  async messages(filter: HistoryFilter, page: PageRequest): Promise<HistoryPage<MessageSummary>> {
    const query = this.messagesQuery(filter, page);
    const messages = await rows<MessageSummaryRow>(this.db, query.text, query.params);
    const result = toPage(messages, page.limit, (row) => {
      const status = row.status;
      // A message's updated_at moves only when its status does, so a finished one's is when it finished.
      const durationMs = isFinalMessage(status)
        ? Math.max(0, toDate(row.updated_at).getTime() - toDate(row.run_started_at).getTime())
        : null;
      return {
        id: row.id,
        method: row.method,
        uri: row.uri,
        receivedAt: toDate(row.received_at),
        status,
        providerId: row.provider_id,
        providerName: row.provider_name,
        message: row.message,
        remoteAddr: row.remote_addr,
        run: row.run,
        functions: [] as MessageFunction[],
        durationMs,
        resubmittedBy: row.resubmitted_by,
      };
    });
    const byId = new Map(result.items.map((item) => [item.id, item]));
    for (const row of await this.latestRunFunctions(result.items)) {
      byId.get(row.message_id)?.functions.push({ id: row.function_id, name: row.function_name, status: row.status });
    }
    return result;
  }

  /**
   * Each function of each message's latest run, as its last try stands, in the order the functions
   * were planned (their first try's id); read through executions_message_run_function.
   */
  private async latestRunFunctions(
    messages: Array<{ id: string; run: number }>,
  ): Promise<Array<{ message_id: string; function_id: string; function_name: string; status: string }>> {
    if (messages.length === 0) return [];
    return rows(this.db, messageFunctionsQuery, [messages.map((m) => m.id), messages.map((m) => m.run)]);
  }

  async executions(filter: HistoryFilter, page: PageRequest): Promise<HistoryPage<ExecutionSummary>> {
    const query = this.executionsQuery(filter, page);
    const executions = await rows<ExecutionSummaryRow>(this.db, query.text, query.params);
    return toPage(executions, page.limit, (row) => ({
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
      startedAt: toDateOrNull(row.started_at),
      finishedAt: toDateOrNull(row.finished_at),
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
    const counts = await rows<{ bucket: number; status: string; count: number }>(this.db, query.text, query.params);
    return counts.map((row) => ({ bucket: Number(row.bucket), status: row.status, count: Number(row.count) }));
  }

  /** A stored message without its body (only `payload()` reads that); null when there is none. */
  async message(id: string): Promise<MessageDetail | null> {
    const [row] = await rows<MessageDetailRow>(
      this.db,
      `SELECT ${MESSAGE_DETAIL_COLUMNS} FROM messages WHERE id = $1`,
      [id],
    );
    return row === undefined ? null : toMessageDetail(row);
  }

  /** Every execution of every run of a message, by run, then in the order they were planned. */
  async executionsOf(messageId: string): Promise<ExecutionEntity[]> {
    const executions = await rows<ExecutionRow>(
      this.db,
      `SELECT ${EXECUTION_COLUMNS} FROM executions WHERE message_id = $1 ORDER BY run ASC, id ASC`,
      [messageId],
    );
    return executions.map(toExecution);
  }

  /** A message's body exactly as received, with its content type; null when there is no such message. */
  async payload(id: string): Promise<{ contentType: string | null; body: Buffer } | null> {
    const [row] = await rows<{ content_type: string | null; body: Buffer }>(
      this.db,
      `SELECT content_type, body FROM messages WHERE id = $1`,
      [id],
    );
    return row === undefined ? null : { contentType: row.content_type, body: row.body };
  }

  /** A stored message's request as events carry it; null when there is no such message. */
  async request(id: string): Promise<{ messageId: string; request: WebhookRequest } | null> {
    const [row] = await rows<RequestRow & { id: string }>(
      this.db,
      `SELECT id, ${REQUEST_COLUMNS} FROM messages WHERE id = $1`,
      [id],
    );
    return row === undefined ? null : { messageId: row.id, request: requestOf(row) };
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

const messageFunctionsQuery = `
  SELECT message_id, function_id, function_name, status FROM (
    SELECT DISTINCT ON (e.message_id, e.function_id) e.message_id, e.function_id, e.function_name, e.status,
           first_value(e.id) OVER (PARTITION BY e.message_id, e.function_id ORDER BY e.try_no) AS planned
      FROM unnest($1::uuid[], $2::int[]) AS latest(message_id, run)
      JOIN executions e ON e.message_id = latest.message_id AND e.run = latest.run
     ORDER BY e.message_id, e.function_id, e.try_no DESC) last_tries
   ORDER BY message_id, planned`;

/** A stored message as its detail shows it: everything but the body and the run's bookkeeping. */
export type MessageDetail = Pick<
  MessageEntity,
  | 'id'
  | 'method'
  | 'uri'
  | 'query'
  | 'headers'
  | 'remoteAddr'
  | 'contentType'
  | 'receivedAt'
  | 'status'
  | 'providerId'
  | 'providerName'
  | 'message'
  | 'matchLog'
  | 'run'
  | 'duplicateOf'
>;

const MESSAGE_DETAIL_COLUMNS = `id, method, uri, query, headers, remote_addr, content_type, received_at, status,
  provider_id, provider_name, message, match_log, run, duplicate_of`;

/** What MESSAGE_DETAIL_COLUMNS selects. */
interface MessageDetailRow {
  id: string;
  method: string;
  uri: string;
  query: MessageEntity['query'];
  headers: MessageEntity['headers'];
  remote_addr: string;
  content_type: string | null;
  received_at: PgTimestamp;
  status: MessageStatus;
  provider_id: string | null;
  provider_name: string | null;
  message: string | null;
  match_log: ScriptLogLine[];
  run: number;
  duplicate_of: string | null;
}

const toMessageDetail = (row: MessageDetailRow): MessageDetail => ({
  id: row.id,
  method: row.method,
  uri: row.uri,
  query: row.query,
  headers: row.headers,
  remoteAddr: row.remote_addr,
  contentType: row.content_type,
  receivedAt: toDate(row.received_at),
  status: row.status,
  providerId: row.provider_id,
  providerName: row.provider_name,
  message: row.message,
  matchLog: row.match_log,
  run: row.run,
  duplicateOf: row.duplicate_of,
});

const EXECUTION_COLUMNS = `id, message_id, run, function_id, function_name, status, try_no, due_at, attempt, logs,
  message, result, error, response, duration_ms, started_at, finished_at, created_at, resubmitted_by`;

/** What EXECUTION_COLUMNS selects. */
interface ExecutionRow {
  id: string;
  message_id: string;
  run: number;
  function_id: string;
  function_name: string;
  status: ExecutionStatus;
  try_no: number;
  due_at: PgTimestamp | null;
  attempt: number;
  logs: ScriptLogLine[];
  message: string | null;
  result: unknown;
  error: string | null;
  response: ShapedResponse | null;
  duration_ms: number | null;
  started_at: PgTimestamp | null;
  finished_at: PgTimestamp | null;
  created_at: PgTimestamp;
  resubmitted_by: string | null;
}

const toExecution = (row: ExecutionRow): ExecutionEntity => ({
  id: row.id,
  messageId: row.message_id,
  run: row.run,
  functionId: row.function_id,
  functionName: row.function_name,
  status: row.status,
  try: row.try_no,
  dueAt: toDateOrNull(row.due_at),
  attempt: row.attempt,
  logs: row.logs,
  message: row.message,
  result: row.result,
  error: row.error,
  response: row.response,
  durationMs: row.duration_ms,
  startedAt: toDateOrNull(row.started_at),
  finishedAt: toDateOrNull(row.finished_at),
  createdAt: toDate(row.created_at),
  resubmittedBy: row.resubmitted_by,
});

/** What MESSAGE_SUMMARY_COLUMNS selects. */
interface MessageSummaryRow {
  id: string;
  method: string;
  uri: string;
  received_at: PgTimestamp;
  status: string;
  provider_id: string | null;
  provider_name: string | null;
  message: string | null;
  remote_addr: string;
  run: number;
  run_started_at: PgTimestamp;
  updated_at: PgTimestamp;
  resubmitted_by: string | null;
}

/** What EXECUTION_SUMMARY_COLUMNS selects. */
interface ExecutionSummaryRow {
  id: string;
  message_id: string;
  function_id: string;
  function_name: string;
  status: string;
  message: string | null;
  duration_ms: number | null;
  attempt: number;
  try_no: number;
  run: number;
  started_at: PgTimestamp | null;
  finished_at: PgTimestamp | null;
  resubmitted_by: string | null;
  uri: string;
  provider_id: string | null;
  provider_name: string | null;
}

function toPage<Row, T extends { id: string }>(rows: Row[], limit: number, map: (row: Row) => T): HistoryPage<T> {
  const items = rows.slice(0, limit).map(map);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
