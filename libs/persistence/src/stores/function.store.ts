import type { DataSource } from 'typeorm';
import type { RetryPolicy } from '@hookline/contracts';
import type { FunctionEntity } from '../entities/function.entity';
import { toDate, type PgTimestamp } from './pg-values';
import { execute, rows, type Queryable } from './sql';

/** What a new function is stored with; its timestamps come from the database. */
export type NewFunction = Omit<FunctionEntity, 'createdAt' | 'updatedAt'>;

/** The fields of a function a change may set (it never moves to another provider). */
export type FunctionChanges = Partial<Omit<FunctionEntity, 'id' | 'providerId' | 'createdAt' | 'updatedAt'>>;

/**
 * The functions of providers. Writes take the manager of the caller's transaction, the one that
 * bumps the configuration revision.
 */
export class FunctionStore {
  constructor(private readonly db: DataSource) {}

  /** Oldest first; every function, or those of one provider. */
  async list(filter: { providerId?: string } = {}, db: Queryable = this.db): Promise<FunctionEntity[]> {
    const functions = filter.providerId
      ? await rows<FunctionRow>(
          db,
          `SELECT ${FUNCTION_COLUMNS} FROM functions WHERE provider_id = $1 ORDER BY created_at ASC, id ASC`,
          [filter.providerId],
        )
      : await rows<FunctionRow>(db, `SELECT ${FUNCTION_COLUMNS} FROM functions ORDER BY created_at ASC, id ASC`);
    return functions.map(toFunction);
  }

  async get(id: string, db: Queryable = this.db): Promise<FunctionEntity | null> {
    const [row] = await rows<FunctionRow>(db, `SELECT ${FUNCTION_COLUMNS} FROM functions WHERE id = $1`, [id]);
    return row === undefined ? null : toFunction(row);
  }

  /** What a script test needs of a function; null when there is no such function. */
  async script(id: string): Promise<Pick<FunctionEntity, 'id' | 'providerId' | 'uri' | 'script'> | null> {
    const [row] = await rows<Pick<FunctionRow, 'id' | 'provider_id' | 'uri' | 'script'>>(
      this.db,
      `SELECT id, provider_id, uri, script FROM functions WHERE id = $1`,
      [id],
    );
    return row === undefined ? null : { id: row.id, providerId: row.provider_id, uri: row.uri, script: row.script };
  }

  async insert(fn: NewFunction, db: Queryable): Promise<void> {
    await execute(
      db,
      `INSERT INTO functions (id, name, description, provider_id, uri, active, script, retry)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        fn.id,
        fn.name,
        fn.description,
        fn.providerId,
        fn.uri,
        fn.active,
        fn.script,
        fn.retry === null ? null : JSON.stringify(fn.retry),
      ],
    );
  }

  /** Sets the fields present in `changes`, and `updated_at`; nothing when there are none. */
  async update(id: string, changes: FunctionChanges, db: Queryable): Promise<void> {
    const params: unknown[] = [id];
    const sets: string[] = [];
    const set = (column: string, value: unknown) => sets.push(`${column} = $${params.push(value)}`);
    if (changes.name !== undefined) set('name', changes.name);
    if (changes.description !== undefined) set('description', changes.description);
    if (changes.uri !== undefined) set('uri', changes.uri);
    if (changes.active !== undefined) set('active', changes.active);
    if (changes.script !== undefined) set('script', changes.script);
    if (changes.retry !== undefined) set('retry', changes.retry === null ? null : JSON.stringify(changes.retry));
    if (sets.length === 0) return;
    await execute(db, `UPDATE functions SET ${sets.join(', ')}, updated_at = CURRENT_TIMESTAMP WHERE id = $1`, params);
  }

  async delete(id: string, db: Queryable): Promise<void> {
    await execute(db, `DELETE FROM functions WHERE id = $1`, [id]);
  }
}

const FUNCTION_COLUMNS = 'id, name, description, provider_id, uri, active, script, retry, created_at, updated_at';

/** What FUNCTION_COLUMNS selects. */
interface FunctionRow {
  id: string;
  name: string;
  description: string | null;
  provider_id: string;
  uri: string;
  active: boolean;
  script: string;
  retry: RetryPolicy | null;
  created_at: PgTimestamp;
  updated_at: PgTimestamp;
}

const toFunction = (row: FunctionRow): FunctionEntity => ({
  id: row.id,
  name: row.name,
  description: row.description,
  providerId: row.provider_id,
  uri: row.uri,
  active: row.active,
  script: row.script,
  retry: row.retry,
  createdAt: toDate(row.created_at),
  updatedAt: toDate(row.updated_at),
});
