import { createHash } from 'node:crypto';
import { rowsOf } from './pg-values';

/** Whatever runs SQL: the DataSource, a transaction's EntityManager, or a connection of its own. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Runs a parameterised statement and gives the rows it returns (for an UPDATE or DELETE, those of
 * its RETURNING clause). `Row` is what the SQL selects, column names and types as pg returns them;
 * each store maps it to its domain type in one function.
 */
export async function rows<Row>(db: Queryable, sql: string, params?: unknown[]): Promise<Row[]> {
  return rowsOf<Row>(await db.query(sql, params));
}

/** Runs a statement whose result is not read. */
export async function execute(db: Queryable, sql: string, params?: unknown[]): Promise<void> {
  await db.query(sql, params);
}

const preparedNames = new Map<string, string>();

/**
 * Marks a statement of the hot path to be prepared: on PostgreSQL, each connection parses and plans
 * it once and then only executes it (see PreparingClient). An unnamed statement is planned at every
 * execution, and planning was most of PostgreSQL's time on the hot path: measured on this
 * project's store, plan and finish statements, 3.3–3.5 ms of PostgreSQL CPU per message unnamed,
 * 1.3–1.7 ms prepared. Every text marked stays prepared on every connection for its lifetime, so
 * only texts from a small fixed set belong here: constants, never SQL built from a filter or of any
 * length. Returns the text unchanged.
 */
export function prepared(sql: string): string {
  if (!preparedNames.has(sql)) {
    preparedNames.set(sql, `hookline_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`);
  }
  return sql;
}

/** The name a statement marked with prepared() is prepared under; undefined for any other text. */
export function preparedName(sql: string): string | undefined {
  return preparedNames.get(sql);
}
