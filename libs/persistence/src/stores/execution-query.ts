import {
  executionDocument,
  messageDocument,
  prefixTsQuery,
  SqlParams,
  timeRange,
  type HistoryFilter,
  type SqlQuery,
} from './history-filter';
import { keysetSearchIds, pageLimit, whereClause as where, type KeysetPage } from './keyset-page';

/** The columns of a line of the execution list: the execution with its message's URI and provider. */
export const EXECUTION_SUMMARY_COLUMNS = [
  'e.id',
  'e.message_id',
  'e.function_id',
  'e.function_name',
  'e.status',
  'e.message',
  'e.duration_ms',
  'e.attempt',
  'e.try_no',
  'e.run',
  'e.started_at',
  'e.finished_at',
  'e.resubmitted_by',
  'm.uri',
  'm.provider_id',
  'm.provider_name',
];

const ROWS = 'executions e JOIN messages m ON m.id = e.message_id';

/**
 * The executions matching `filter`, newest first (ids are UUIDv7 from when the run was planned),
 * one keyset page at a time. `status` is the execution's; `providerId` and `uri` are its message's;
 * `from`/`to` bound when it was planned; `q` searches its message and error, and its message's text.
 */
export function executionPageQuery(filter: HistoryFilter, page: KeysetPage): SqlQuery {
  const params = new SqlParams();
  const conditions = executionConditions(filter, params, page.before);
  const limit = pageLimit(page.limit);
  const order = `ORDER BY e.id DESC LIMIT ${limit}`;
  const select = `SELECT ${EXECUTION_SUMMARY_COLUMNS.join(', ')} FROM ${ROWS}`;
  if (filter.q === undefined) return { text: `${select} ${where(conditions)} ${order}`, params: params.values };
  const tsQuery = prefixTsQuery(filter.q);
  if (tsQuery === null) return { text: `${select} WHERE false`, params: params.values };
  const query = `to_tsquery('simple', ${params.add(tsQuery)})`;
  const indexed = [`${executionDocument('e')} @@ ${query}`, `${messageDocument('m')} @@ ${query}`];
  const ids = keysetSearchIds({ from: ROWS, id: 'e.id', conditions, matches: indexed.join(' OR '), indexed, limit });
  return { text: `${select} WHERE e.id IN (${ids}) ${order}`, params: params.values };
}

function executionConditions(filter: HistoryFilter, params: SqlParams, before: string | undefined): string[] {
  const conditions: string[] = [];
  if (filter.status !== undefined) conditions.push(`e.status = ${params.add(filter.status)}`);
  if (filter.providerId !== undefined) conditions.push(`m.provider_id = ${params.add(filter.providerId)}::uuid`);
  if (filter.functionId !== undefined) conditions.push(`e.function_id = ${params.add(filter.functionId)}::uuid`);
  if (filter.uri !== undefined) conditions.push(`m.uri = ${params.add(filter.uri)}`);
  // Execution ids come from the matcher's clock and created_at from the database's: the id alone decides.
  conditions.push(...timeRange(filter, params, 'e.id', null));
  if (before !== undefined) conditions.push(`e.id < ${params.add(before)}::uuid`);
  return conditions;
}
