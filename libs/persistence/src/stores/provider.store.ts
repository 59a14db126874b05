import type { DataSource } from 'typeorm';
import type { RateLimit } from '@hookline/contracts';
import type { ProviderEntity, ProviderProperty } from '../entities/provider.entity';
import { toDate, type PgTimestamp } from './pg-values';
import { execute, rows, type Queryable } from './sql';

/** What a new provider is stored with; its timestamps come from the database. */
export type NewProvider = Omit<ProviderEntity, 'createdAt' | 'updatedAt'>;

/** The fields of a provider a change may set. */
export type ProviderChanges = Partial<Omit<ProviderEntity, 'id' | 'sequence' | 'createdAt' | 'updatedAt'>>;

/**
 * Providers, in evaluation order (`sequence`, then age). Writes take the manager of the caller's
 * transaction, the one that bumps the configuration revision.
 */
export class ProviderStore {
  constructor(private readonly db: DataSource) {}

  /** Every provider, in evaluation order. */
  async list(db: Queryable = this.db): Promise<ProviderEntity[]> {
    const providers = await rows<ProviderRow>(
      db,
      `SELECT ${PROVIDER_COLUMNS} FROM providers ORDER BY sequence ASC, created_at ASC`,
    );
    return providers.map(toProvider);
  }

  async get(id: string, db: Queryable = this.db): Promise<ProviderEntity | null> {
    const [row] = await rows<ProviderRow>(db, `SELECT ${PROVIDER_COLUMNS} FROM providers WHERE id = $1`, [id]);
    return row === undefined ? null : toProvider(row);
  }

  async exists(id: string, db: Queryable = this.db): Promise<boolean> {
    const [row] = await rows<{ exists: boolean }>(
      db,
      `SELECT EXISTS (SELECT 1 FROM providers WHERE id = $1) AS exists`,
      [id],
    );
    return row.exists;
  }

  /** The match script alone (a script test needs nothing else); null when there is no such provider. */
  async matchScript(id: string): Promise<string | null> {
    const [row] = await rows<{ match_script: string }>(this.db, `SELECT match_script FROM providers WHERE id = $1`, [
      id,
    ]);
    return row === undefined ? null : row.match_script;
  }

  /** Ids in evaluation order. */
  async ids(db: Queryable = this.db): Promise<string[]> {
    const providers = await rows<{ id: string }>(db, `SELECT id FROM providers ORDER BY sequence, created_at`);
    return providers.map((row) => row.id);
  }

  /** The sequence after the last one: a new provider is evaluated after every existing one. */
  async nextSequence(db: Queryable): Promise<number> {
    const [{ next }] = await rows<{ next: number }>(db, `SELECT COALESCE(MAX(sequence), 0) + 1 AS next FROM providers`);
    return Number(next);
  }

  async insert(provider: NewProvider, db: Queryable): Promise<void> {
    await execute(
      db,
      `INSERT INTO providers (id, name, description, active, sequence, match_script, properties, dedup_header,
         dedup_window_seconds, rate_limit)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        provider.id,
        provider.name,
        provider.description,
        provider.active,
        provider.sequence,
        provider.matchScript,
        JSON.stringify(provider.properties),
        provider.dedupHeader,
        provider.dedupWindowSeconds,
        jsonOrNull(provider.rateLimit),
      ],
    );
  }

  /** Sets the fields present in `changes`, and `updated_at`; nothing when there are none. */
  async update(id: string, changes: ProviderChanges, db: Queryable): Promise<void> {
    const params: unknown[] = [id];
    const sets: string[] = [];
    const set = (column: string, value: unknown) => sets.push(`${column} = $${params.push(value)}`);
    if (changes.name !== undefined) set('name', changes.name);
    if (changes.description !== undefined) set('description', changes.description);
    if (changes.active !== undefined) set('active', changes.active);
    if (changes.matchScript !== undefined) set('match_script', changes.matchScript);
    if (changes.properties !== undefined) set('properties', JSON.stringify(changes.properties));
    if (changes.dedupHeader !== undefined) set('dedup_header', changes.dedupHeader);
    if (changes.dedupWindowSeconds !== undefined) set('dedup_window_seconds', changes.dedupWindowSeconds);
    if (changes.rateLimit !== undefined) set('rate_limit', jsonOrNull(changes.rateLimit));
    if (sets.length === 0) return;
    await execute(db, `UPDATE providers SET ${sets.join(', ')}, updated_at = CURRENT_TIMESTAMP WHERE id = $1`, params);
  }

  /** Its functions go with it (foreign key cascade). */
  async delete(id: string, db: Queryable): Promise<void> {
    await execute(db, `DELETE FROM providers WHERE id = $1`, [id]);
  }

  /** Gives each provider its position in `ids` as its sequence (those that have it already are left alone). */
  async reorder(ids: string[], db: Queryable): Promise<void> {
    await execute(
      db,
      `UPDATE providers AS p
          SET sequence = o.position, updated_at = now()
         FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, position)
        WHERE p.id = o.id AND p.sequence IS DISTINCT FROM o.position`,
      [ids],
    );
  }
}

const PROVIDER_COLUMNS = `id, name, description, active, sequence, match_script, properties, dedup_header,
  dedup_window_seconds, rate_limit, created_at, updated_at`;

/** What PROVIDER_COLUMNS selects. */
interface ProviderRow {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  sequence: number;
  match_script: string;
  properties: ProviderProperty[];
  dedup_header: string | null;
  dedup_window_seconds: number | null;
  rate_limit: RateLimit | null;
  created_at: PgTimestamp;
  updated_at: PgTimestamp;
}

const toProvider = (row: ProviderRow): ProviderEntity => ({
  id: row.id,
  name: row.name,
  description: row.description,
  active: row.active,
  sequence: row.sequence,
  matchScript: row.match_script,
  properties: row.properties,
  dedupHeader: row.dedup_header,
  dedupWindowSeconds: row.dedup_window_seconds,
  rateLimit: row.rate_limit,
  createdAt: toDate(row.created_at),
  updatedAt: toDate(row.updated_at),
});

/** A jsonb value; null stays SQL NULL, not JSON null. */
const jsonOrNull = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));
