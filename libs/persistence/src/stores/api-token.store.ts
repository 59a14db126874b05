import type { DataSource, EntityManager } from 'typeorm';
import { toDate, toDateOrNull, type PgTimestamp } from './pg-values';
import { rows } from './sql';

/** Least to most: each role may do what the ones before it may. */
export const API_TOKEN_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiTokenRole = (typeof API_TOKEN_ROLES)[number];

/** A stored API token, without its secret (only the SHA-256 of it is stored, and never read back). */
export interface ApiToken {
  id: string;
  name: string;
  role: ApiTokenRole;
  /** May see message headers, query strings and payloads. */
  details: boolean;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** What a request authenticated with. */
export type ApiTokenGrant = Pick<ApiToken, 'id' | 'name' | 'role' | 'details'>;

/** How stale `last_used_at` may get: writing it on every request would make reads write. */
const LAST_USED_RESOLUTION_SECONDS = 60;

/** API tokens of the admin API. Secrets are looked up by their digest, so none is ever stored. */
export class ApiTokenStore {
  constructor(private readonly db: DataSource) {}

  /** Pass a transaction's manager to make the insert part of it. */
  async create(
    token: Pick<ApiToken, 'id' | 'name' | 'role' | 'details' | 'createdBy'> & { secretSha256: string },
    manager: EntityManager = this.db.manager,
  ): Promise<ApiToken> {
    const [row] = await rows<ApiTokenRow>(
      manager,
      `INSERT INTO api_tokens (id, name, role, details, secret_sha256, created_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${COLUMNS}`,
      [token.id, token.name, token.role, token.details, token.secretSha256, token.createdBy],
    );
    return toApiToken(row);
  }

  /** Oldest first. */
  async list(): Promise<ApiToken[]> {
    const tokens = await rows<ApiTokenRow>(this.db, `SELECT ${COLUMNS} FROM api_tokens ORDER BY id`);
    return tokens.map(toApiToken);
  }

  /** The deleted token, or null when there was none with this id. */
  async delete(id: string, manager: EntityManager = this.db.manager): Promise<ApiToken | null> {
    const [row] = await rows<ApiTokenRow>(manager, `DELETE FROM api_tokens WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
    return row === undefined ? null : toApiToken(row);
  }

  /**
   * The token whose secret has this SHA-256 (hex), or null. Read on every request, never cached,
   * so a deleted token stops working at once; `last_used_at` is kept to the minute in the same
   * round trip.
   */
  async authenticate(secretSha256: string): Promise<ApiTokenGrant | null> {
    const found = await rows<Pick<ApiTokenRow, 'id' | 'name' | 'role' | 'details'>>(
      this.db,
      `WITH found AS (
           SELECT id, name, role, details, last_used_at FROM api_tokens WHERE secret_sha256 = $1
         ), touched AS (
           UPDATE api_tokens t SET last_used_at = now()
             FROM found
            WHERE t.id = found.id
              AND (found.last_used_at IS NULL
                   OR found.last_used_at < now() - $2::int * interval '1 second')
         )
         SELECT id, name, role, details FROM found`,
      [secretSha256, LAST_USED_RESOLUTION_SECONDS],
    );
    if (found.length === 0) return null;
    const { id, name, role, details } = found[0];
    return { id, name, role, details };
  }
}

const COLUMNS = 'id, name, role, details, created_by, created_at, last_used_at';

/** What COLUMNS selects. */
interface ApiTokenRow {
  id: string;
  name: string;
  role: ApiTokenRole;
  details: boolean;
  created_by: string;
  created_at: PgTimestamp;
  last_used_at: PgTimestamp | null;
}

const toApiToken = (row: ApiTokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  role: row.role,
  details: row.details,
  createdBy: row.created_by,
  createdAt: toDate(row.created_at),
  lastUsedAt: toDateOrNull(row.last_used_at),
});
