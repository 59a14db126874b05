import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Providers, functions, messages and executions. Ids come from the application (UUIDv7). */
export class InitialSchema1764400000000 implements MigrationInterface {
  name = 'InitialSchema1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE providers (
        id uuid PRIMARY KEY,
        name text NOT NULL CONSTRAINT providers_name_unique UNIQUE,
        description text,
        active boolean NOT NULL DEFAULT true,
        sequence integer NOT NULL,
        match_script text NOT NULL,
        properties jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE functions (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        description text,
        provider_id uuid NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
        uri text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        script text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX functions_provider_uri ON functions (provider_id, uri)`);
    // Bumped in the same transaction as any provider or function change; caches compare it.
    await db.query(`
      CREATE TABLE config_revision (
        id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        revision bigint NOT NULL
      )`);
    await db.query(`INSERT INTO config_revision (id, revision) VALUES (1, 1)`);
    await db.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY,
        method text NOT NULL,
        uri text NOT NULL,
        query jsonb NOT NULL,
        headers jsonb NOT NULL,
        remote_addr text NOT NULL,
        content_type text,
        body bytea NOT NULL,
        received_at timestamptz NOT NULL,
        status text NOT NULL,
        provider_id uuid,
        provider_name text,
        message text,
        match_log jsonb NOT NULL DEFAULT '[]',
        run integer NOT NULL DEFAULT 0,
        run_started_at timestamptz NOT NULL,
        pending_jobs integer NOT NULL DEFAULT 0,
        failed_jobs integer NOT NULL DEFAULT 0,
        published_at timestamptz,
        reply_to text,
        resubmitted_by text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The outbox relay scans only what the broker has not acknowledged yet.
    await db.query(`CREATE INDEX messages_unpublished ON messages (updated_at) WHERE published_at IS NULL`);
    await db.query(`
      CREATE TABLE executions (
        id uuid PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        run integer NOT NULL,
        function_id uuid NOT NULL,
        function_name text NOT NULL,
        status text NOT NULL,
        attempt integer NOT NULL DEFAULT 0,
        logs jsonb NOT NULL DEFAULT '[]',
        message text,
        result jsonb,
        error text,
        response jsonb,
        duration_ms integer,
        started_at timestamptz,
        finished_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        resubmitted_by text
      )`);
    await db.query(`CREATE UNIQUE INDEX executions_message_run_function ON executions (message_id, run, function_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE executions`);
    await db.query(`DROP TABLE messages`);
    await db.query(`DROP TABLE config_revision`);
    await db.query(`DROP TABLE functions`);
    await db.query(`DROP TABLE providers`);
  }
}
