/** A timestamptz as a row holds it: pg returns a Date, PGlite through raw queries may return `2026-11-29 04:27:06.1+00`. */
export type PgTimestamp = Date | string;

/** An int8 as a row holds it: pg returns a string, PGlite a number or a bigint; read it with Number(). */
export type PgBigint = string | number | bigint;

export function toDate(value: PgTimestamp): Date {
  if (value instanceof Date) return value;
  return new Date(value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
}

/**
 * TypeORM's `query()` answers an UPDATE or DELETE with `[rows, affected]` and anything else with the
 * rows; this gives the rows (of a RETURNING clause) either way.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}

export const toDateOrNull = (value: PgTimestamp | null): Date | null => (value === null ? null : toDate(value));
