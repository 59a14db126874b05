import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API tokens with roles (stored as the SHA-256 of their secret, never the secret) and the audit
 * log of configuration changes, token changes and resubmissions.
 */
export class ApiTokensAndAudit1764700000000 implements MigrationInterface {
  name = 'ApiTokensAndAudit1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL CONSTRAINT api_tokens_role_known CHECK (role IN ('admin', 'operator', 'viewer')),
        details boolean NOT NULL DEFAULT false,
        secret_sha256 text NOT NULL CONSTRAINT api_tokens_secret_sha256_unique UNIQUE,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz
      )`);
    // Names are recorded as who did what: 'CI' and 'ci' would be two people in the audit log.
    await db.query(`CREATE UNIQUE INDEX api_tokens_name_unique ON api_tokens (lower(name))`);
    await db.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        token_name text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        before jsonb,
        after jsonb
      )`);
    // Newest first is the primary key order (UUIDv7); these serve the two filters of the list.
    await db.query(`CREATE INDEX audit_log_action_id ON audit_log (action, id DESC)`);
    await db.query(`CREATE INDEX audit_log_target_id ON audit_log (target_id, id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_log`);
    await db.query(`DROP TABLE api_tokens`);
  }
}
