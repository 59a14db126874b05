import {
  executionDocument,
  messageDocument,
  prefixTsQuery,
  SqlParams,
  timeRange,
  type HistoryFilter,
  type SqlQuery,
} from './history-filter';
import { keysetSearchIds, pageLimit, whereClause as where, type KeysetPage, type KeysetSearch } from './keyset-page';

export type { KeysetPage };

/** The columns of a line of the message list. */
export const MESSAGE_SUMMARY_COLUMNS = [
  'm.id',
  'm.method',
  'm.uri',
  'm.received_at',
  'm.status',
  'm.provider_id',
  'm.provider_name',
  'm.message',
  'm.remote_addr',
  'm.run',
  'm.run_started_at',
  'm.updated_at',
  'm.resubmitted_by',
];

/**
 * The messages matching `filter`, newest first, one keyset page at a time: the message list and
 * bulk resubmissions read through here, so both mean the same by every filter. Nothing is counted:
 * every filter has an index that yields its messages in id order, so a page stops after `limit` rows.
 */
export function messagePageQuery(filter: HistoryFilter, page: KeysetPage, columns = MESSAGE_SUMMARY_COLUMNS): SqlQuery {
  const params = new SqlParams();
  const conditions = messageConditions(filter, params, page.before);
  const limit = pageLimit(page.limit);
  const select = `SELECT ${columns.join(', ')} FROM messages m`;
  const order = `ORDER BY m.id DESC LIMIT ${limit}`;
  if (filter.q === undefined) return { text: `${select} ${where(conditions)} ${order}`, params: params.values };
  const search = messageSearch(filter.q, params);
  if (search === null) return { text: `${select} WHERE false`, params: params.values };
  const ids = keysetSearchIds({ from: 'messages m', id: 'm.id', conditions, ...search, limit });
  return { text: `${select} WHERE m.id IN (${ids}) ${order}`, params: params.values };
}

/** How many messages below `before` match `filter`: once per bulk resubmission, never per page. */
export function messageCountQuery(filter: HistoryFilter, before?: string): SqlQuery {
  const params = new SqlParams();
  const conditions = messageConditions(filter, params, before);
  let ids = `SELECT m.id FROM messages m ${where(conditions)}`;
  if (filter.q !== undefined) {
    const search = messageSearch(filter.q, params);
    ids =
      search === null
        ? `SELECT m.id FROM messages m WHERE false`
        : search.indexed
            .map((condition) => `SELECT m.id FROM messages m ${where([...conditions, condition])}`)
            .join(' UNION ');
  }
  return { text: `SELECT count(*)::int AS count FROM (${ids}) matching`, params: params.values };
}

/** Every filter but `q`, on messages aliased `m`. */
function messageConditions(filter: HistoryFilter, params: SqlParams, before: string | undefined): string[] {
  const conditions: string[] = [];
  if (filter.status !== undefined) conditions.push(`m.status = ${params.add(filter.status)}`);
  if (filter.providerId !== undefined) conditions.push(`m.provider_id = ${params.add(filter.providerId)}::uuid`);
  if (filter.uri !== undefined) conditions.push(`m.uri = ${params.add(filter.uri)}`);
  if (filter.functionId !== undefined) {
    conditions.push(
      `EXISTS (SELECT 1 FROM executions f WHERE f.message_id = m.id AND f.function_id = ${params.add(filter.functionId)}::uuid)`,
    );
  }
  conditions.push(...timeRange(filter, params, 'm.id', 'm.received_at'));
  if (before !== undefined) conditions.push(`m.id < ${params.add(before)}::uuid`);
  return conditions;
}

/** `q` on a message: its own text and URI, or the message and error of one of its executions. */
function messageSearch(q: string, params: SqlParams): Pick<KeysetSearch, 'matches' | 'indexed'> | null {
  const tsQuery = prefixTsQuery(q);
  if (tsQuery === null) return null;
  const query = `to_tsquery('simple', ${params.add(tsQuery)})`;
  const own = `${messageDocument('m')} @@ ${query}`;
  return {
    // OFFSET 0 keeps this a probe per message: hashed, it would first read every matching execution.
    matches: `${own} OR EXISTS (SELECT 1 FROM executions x WHERE x.message_id = m.id AND ${executionDocument('x')} @@ ${query} OFFSET 0)`,
    indexed: [own, `m.id IN (SELECT x.message_id FROM executions x WHERE ${executionDocument('x')} @@ ${query})`],
  };
}

/** What the status chart filters on: a time range (required) and optionally a provider and URI. */
export type StatusCountFilter = Pick<HistoryFilter, 'providerId' | 'uri'> & { from: Date; to: Date };

/**
 * How many messages of each status arrived in each bucket of `bucketMs` from `filter.from` (bucket 0)
 * to `filter.to`: one grouped scan of the id range, rows `{ bucket, status, count }`.
 */
export function messageStatusCountQuery(filter: StatusCountFilter, bucketMs: number): SqlQuery {
  const params = new SqlParams();
  const from = params.add(filter.from.toISOString());
  const bucket = params.add(bucketMs);
  const conditions = messageConditions(filter, params, undefined);
  return {
    text:
      `SELECT floor(extract(epoch FROM m.received_at - ${from}::timestamptz) * 1000 / ${bucket}::bigint)::int AS bucket,` +
      ` m.status, count(*)::int AS count FROM messages m ${where(conditions)} GROUP BY 1, 2 ORDER BY 1, 2`,
    params: params.values,
  };
}
