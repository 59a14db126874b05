import type { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { pageLimit } from './keyset-page';
import { toDate, type PgTimestamp } from './pg-values';
import { execute, rows } from './sql';

/** What an audit entry records; values must be masked by the caller (no secret ever belongs here). */
export interface AuditRecord {
  /** The name of the token that made the change (`admin` for ADMIN_TOKEN). */
  tokenName: string;
  /** `provider.update`, `token.create`, `message.resubmit`… */
  action: string;
  targetType: string;
  targetId: string | null;
  /** The target before the change (null for a creation). */
  before: unknown;
  /** The target after the change (null for a deletion). */
  after: unknown;
}

export interface AuditEntry extends AuditRecord {
  /** UUIDv7: newest first is the key order. */
  id: string;
  at: Date;
}

export interface AuditFilter {
  action?: string;
  targetId?: string;
}

/** The audit log: written with the change it describes, read newest first. */
export class AuditStore {
  constructor(private readonly db: DataSource) {}

  /**
   * Appends an entry with `manager`. Pass the manager of the change's own transaction: then the
   * entry exists exactly when the change does.
   */
  static async write(manager: EntityManager, record: AuditRecord): Promise<void> {
    await execute(
      manager,
      `INSERT INTO audit_log (id, token_name, action, target_type, target_id, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        uuidv7(),
        record.tokenName,
        record.action,
        record.targetType,
        record.targetId,
        toJson(record.before),
        toJson(record.after),
      ],
    );
  }

  /** Newest first, a keyset page at a time. */
  async list(
    filter: AuditFilter,
    page: { cursor?: string; limit: number },
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const where = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (filter.action !== undefined) where((p) => `action = ${p}`, filter.action);
    if (filter.targetId !== undefined) where((p) => `target_id = ${p}`, filter.targetId);
    if (page.cursor !== undefined) where((p) => `id < ${p}::uuid`, page.cursor);
    const limit = pageLimit(page.limit);
    const entries = await rows<AuditRow>(
      this.db,
      `SELECT * FROM audit_log ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT ${limit + 1}`,
      params,
    );
    const items = entries.slice(0, limit).map(toAuditEntry);
    return { items, nextCursor: entries.length > limit ? items[items.length - 1].id : null };
  }
}

const toJson = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

/** A row of audit_log (`SELECT *`). */
interface AuditRow {
  id: string;
  at: PgTimestamp;
  token_name: string;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
}

const toAuditEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: toDate(row.at),
  tokenName: row.token_name,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  before: row.before,
  after: row.after,
});
