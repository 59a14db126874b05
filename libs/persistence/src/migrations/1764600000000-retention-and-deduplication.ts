import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deduplication: a provider may name the header that identifies a delivery, and a message records
 * its dedup key and the original it duplicates. The retention purge needs no schema of its own.
 */
export class RetentionAndDeduplication1764600000000 implements MigrationInterface {
  name = 'RetentionAndDeduplication1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE providers
        ADD COLUMN dedup_header text,
        ADD COLUMN dedup_window_seconds integer CONSTRAINT providers_dedup_window_positive CHECK (dedup_window_seconds > 0)`);
    await db.query(`ALTER TABLE messages ADD COLUMN dedup_key text, ADD COLUMN duplicate_of uuid`);
    // Not valid first: every existing row is NULL, and validating separately does not block writes.
    await db.query(`
      ALTER TABLE messages ADD CONSTRAINT messages_duplicate_of_fkey
        FOREIGN KEY (duplicate_of) REFERENCES messages(id) ON DELETE SET NULL NOT VALID`);
    await db.query(`ALTER TABLE messages VALIDATE CONSTRAINT messages_duplicate_of_fkey`);
    // The matcher's look-up of an earlier delivery; only deduplicated messages are indexed.
    await db.query(`CREATE INDEX messages_dedup_key ON messages (dedup_key, id) WHERE dedup_key IS NOT NULL`);
    // Sync duplicates waiting for their original, and the foreign key when the retention purge deletes one.
    await db.query(`CREATE INDEX messages_duplicate_of ON messages (duplicate_of) WHERE duplicate_of IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX messages_duplicate_of`);
    await db.query(`DROP INDEX messages_dedup_key`);
    await db.query(`ALTER TABLE messages DROP CONSTRAINT messages_duplicate_of_fkey`);
    await db.query(`ALTER TABLE messages DROP COLUMN duplicate_of, DROP COLUMN dedup_key`);
    await db.query(`ALTER TABLE providers DROP COLUMN dedup_window_seconds, DROP COLUMN dedup_header`);
  }
}
