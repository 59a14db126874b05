import { normaliseUri } from '@hookline/contracts';

/**
 * What the message history, the execution history and bulk resubmissions filter on. Every field
 * is optional; those given must all hold.
 */
export interface HistoryFilter {
  /** A message status for messages, an execution status for executions. */
  status?: string;
  /** The provider that matched the message. */
  providerId?: string;
  /** Messages with an execution of this function; executions of this function. */
  functionId?: string;
  /** Exactly this URI (no slashes at either end). */
  uri?: string;
  /** Received (messages) or planned (executions) at or after this time. */
  from?: Date;
  /** Received (messages) or planned (executions) before this time. */
  to?: Date;
  /** Words that must all start a word of the message's text, URI or executions' messages and errors. */
  q?: string;
}

/** SQL text with its positional parameters, ready for `db.query(text, params)`. */
export interface SqlQuery {
  text: string;
  params: unknown[];
}

/** Collects positional parameters while a query is assembled. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** The placeholder (`$3`) of a new parameter. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

// The documents searched by `q`. They must stay identical to the expressions of the GIN indexes
// messages_search and executions_search (migration 1764500000000), or those indexes go unused.
export const messageDocument = (m: string): string =>
  `to_tsvector('simple', coalesce(${m}.message, '') || ' ' || ${m}.uri || ' ' || translate(${m}.uri, '/', ' '))`;
export const executionDocument = (e: string): string =>
  `to_tsvector('simple', coalesce(${e}.message, '') || ' ' || coalesce(${e}.error, ''))`;

/**
 * `deploy Fail` → `'deploy':* & 'fail':*`, for `to_tsquery('simple', …)`: every word as a prefix.
 * Each word is quoted, so to_tsquery splits it with the same parser that built the index
 * (`deploy-prod` or `Error:` find what the document holds). Null when there is no word at all.
 */
export function prefixTsQuery(q: string): string | null {
  const words = q
    .split(/\s+/)
    // Like URIs: `/git/push/` is `git/push`.
    .map(normaliseUri)
    .filter((word) => word.length > 0);
  if (words.length === 0) return null;
  return words.map((word) => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}':*`).join(' & ');
}

/** Ids are UUIDv7; the allowance for a clock read twice (id, then receivedAt) in the ingress. */
const ID_TIME_SLACK_MS = 1000;

/**
 * The smallest UUIDv7 of a millisecond: every id generated at or after `time` is `>=` it and every
 * one before is `<` it, so a time range becomes a range of the primary key.
 */
export function uuidv7Floor(time: Date | number): string {
  const ms = Math.max(0, Math.min(typeof time === 'number' ? time : time.getTime(), 2 ** 48 - 1));
  const hex = Math.floor(ms).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

/** The time a UUIDv7 was generated. */
export const uuidv7Time = (id: string): Date => new Date(parseInt(id.replace(/-/g, '').slice(0, 12), 16));

/**
 * `from`/`to` on the id (the index does the work), widened by a second and then made exact on the
 * timestamp column, when there is one.
 */
export function timeRange(
  filter: Pick<HistoryFilter, 'from' | 'to'>,
  params: SqlParams,
  id: string,
  exact: string | null,
): string[] {
  const conditions: string[] = [];
  const slack = exact ? ID_TIME_SLACK_MS : 0;
  if (filter.from) {
    conditions.push(`${id} >= ${params.add(uuidv7Floor(filter.from.getTime() - slack))}::uuid`);
    if (exact) conditions.push(`${exact} >= ${params.add(filter.from.toISOString())}::timestamptz`);
  }
  if (filter.to) {
    conditions.push(`${id} < ${params.add(uuidv7Floor(filter.to.getTime() + slack))}::uuid`);
    if (exact) conditions.push(`${exact} < ${params.add(filter.to.toISOString())}::timestamptz`);
  }
  return conditions;
}
