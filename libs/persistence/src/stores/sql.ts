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
