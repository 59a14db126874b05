/** A keyset page: the `limit` newest rows with an id below `before` (the newest without one). */
export interface KeysetPage {
  before?: string;
  limit: number;
}

export const whereClause = (conditions: string[]): string =>
  conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;

/** Inlined, not a parameter: the planner must know how few rows a page needs. */
export function pageLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`a page limit must be a positive integer, not ${limit}`);
  return limit;
}

/** Rows tested one by one before the text indexes take over. */
export const SEARCH_SCAN_BUDGET = 5000;

export interface KeysetSearch {
  /** The rows searched, with aliases (`messages m`). */
  from: string;
  /** Their UUIDv7 key, which orders the pages (`m.id`). */
  id: string;
  /** The other filters, the cursor included. */
  conditions: string[];
  /** Whether one row matches the words: cheap enough for a few thousand rows. */
  matches: string;
  /** The same test in forms the GIN indexes can answer; a row matches if one of them holds. */
  indexed: string[];
  limit: number;
}

/**
 * The ids of the newest `limit` rows matching a text search, as a subquery. A planner cannot tell
 * how many rows a word matches (a rare word it takes for a common one walks the whole table in id
 * order), so this decides at run time instead. First the newest SEARCH_SCAN_BUDGET rows that pass
 * the other filters are tested one by one: a common word fills the page among them. Only if it does
 * not are the text indexes asked, for rows older than those: a word that rare matches few rows.
 * The second step sits behind a one-time filter, so it costs nothing when the first fills the page.
 */
export function keysetSearchIds(search: KeysetSearch): string {
  const where = whereClause(search.conditions);
  const older = search.indexed.map(
    (condition) =>
      `SELECT ${search.id} AS id FROM ${search.from}
        WHERE ${[...search.conditions, `${search.id} < (SELECT id FROM tested_to)`, condition].join(' AND ')}`,
  );
  // MATERIALIZED, so that older_hits runs only if the gate below reads it; inlined, its branches
  // would be planned (in parallel, even) under the gate and pay their start-up whatever it says.
  return `
    WITH recent_hits AS (
      SELECT r.id FROM (
        SELECT ${search.id} AS id, (${search.matches}) AS hit FROM ${search.from} ${where}
         ORDER BY ${search.id} DESC LIMIT ${SEARCH_SCAN_BUDGET}) r
       WHERE r.hit ORDER BY r.id DESC LIMIT ${search.limit}
    ), tested_to AS (
      -- The oldest row tested; none if every row passing the other filters was tested.
      SELECT ${search.id} AS id FROM ${search.from} ${where}
       ORDER BY ${search.id} DESC OFFSET ${SEARCH_SCAN_BUDGET - 1} LIMIT 1
    ), older_hits AS MATERIALIZED (
      ${older.join('\n      UNION ALL ')}
    )
    SELECT id FROM recent_hits
    UNION ALL
    SELECT id FROM older_hits
     WHERE (SELECT count(*) FROM recent_hits) < ${search.limit} AND (SELECT id FROM tested_to) IS NOT NULL`;
}
