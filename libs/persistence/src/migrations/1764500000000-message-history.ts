import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the message and execution history (every filter walks its index newest first, as ids
 * are UUIDv7) and the table of bulk resubmissions. The text-search expressions must stay identical
 * to those in `stores/history-filter.ts`, or the planner cannot use these indexes.
 */
export class MessageHistory1764500000000 implements MigrationInterface {
  name = 'MessageHistory1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX messages_status_id ON messages (status, id DESC)`);
    await db.query(`CREATE INDEX messages_provider_id ON messages (provider_id, id DESC)`);
    await db.query(`CREATE INDEX messages_uri_id ON messages (uri, id DESC)`);
    // The URI a second time with its slashes as spaces, so `push` finds `git/push` as well as `git/pu` does.
    await db.query(`
      CREATE INDEX messages_search ON messages USING gin (
        to_tsvector('simple', coalesce(message, '') || ' ' || uri || ' ' || translate(uri, '/', ' ')))`);
    // A function's executions newest first; message_id lets "messages with an execution of F" skip the heap.
    await db.query(`CREATE INDEX executions_function_id ON executions (function_id, id DESC) INCLUDE (message_id)`);
    await db.query(`CREATE INDEX executions_status_id ON executions (status, id DESC)`);
    await db.query(`
      CREATE INDEX executions_search ON executions USING gin (
        to_tsvector('simple', coalesce(message, '') || ' ' || coalesce(error, '')))`);
    await db.query(`
      CREATE TABLE resubmissions (
        id uuid PRIMARY KEY,
        filter jsonb NOT NULL,
        rate_per_second integer NOT NULL,
        status text NOT NULL,
        requested_by text NOT NULL,
        total integer,
        done integer NOT NULL DEFAULT 0,
        skipped integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        cursor_id uuid NOT NULL,
        cursor_run integer,
        cursor_settled boolean NOT NULL DEFAULT true,
        claimed_by text,
        lease_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX resubmissions_unfinished ON resubmissions (id) WHERE status IN ('PENDING', 'RUNNING')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE resubmissions`);
    await db.query(`DROP INDEX executions_search`);
    await db.query(`DROP INDEX executions_status_id`);
    await db.query(`DROP INDEX executions_function_id`);
    await db.query(`DROP INDEX messages_search`);
    await db.query(`DROP INDEX messages_uri_id`);
    await db.query(`DROP INDEX messages_provider_id`);
    await db.query(`DROP INDEX messages_status_id`);
  }
}
