import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Records that a consumer gave up on after its bounded redelivery, so that operators can list them
 * and retry them through the admin API (the same records go to hookline.deadletter.v1).
 */
export class DeadLetters1764800000000 implements MigrationInterface {
  name = 'DeadLetters1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE dead_letters (
        id uuid PRIMARY KEY,
        group_id text NOT NULL,
        source_topic text NOT NULL,
        partition integer NOT NULL,
        record_offset text NOT NULL,
        record_key text,
        message_id uuid,
        attempts integer NOT NULL,
        error text NOT NULL,
        headers jsonb NOT NULL,
        value bytea,
        failed_at timestamptz NOT NULL,
        retried_at timestamptz,
        retried_by text
      )`);
    await db.query(`CREATE INDEX dead_letters_message_id ON dead_letters (message_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE dead_letters`);
  }
}
