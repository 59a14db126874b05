import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-function retry policies: a function may ask for its failed runs to be tried again. Every try
 * is an execution row of its own (`try_no` 1, 2, …), so the history shows each; a try waiting for
 * its backoff is PENDING with `due_at` set until the retry relay publishes its job.
 */
export class FunctionRetries1764900000000 implements MigrationInterface {
  name = 'FunctionRetries1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE functions ADD COLUMN retry jsonb`);
    await db.query(`ALTER TABLE executions ADD COLUMN try_no integer NOT NULL DEFAULT 1`);
    await db.query(`ALTER TABLE executions ADD COLUMN due_at timestamptz`);
    await db.query(`DROP INDEX executions_message_run_function`);
    await db.query(
      `CREATE UNIQUE INDEX executions_message_run_function ON executions (message_id, run, function_id, try_no)`,
    );
    await db.query(`CREATE INDEX executions_due_at ON executions (due_at) WHERE due_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX executions_due_at`);
    // Only the last try of each function survives, so the old one-per-function index holds again.
    await db.query(`
      DELETE FROM executions e
       WHERE EXISTS (SELECT 1 FROM executions l
                      WHERE l.message_id = e.message_id AND l.run = e.run
                        AND l.function_id = e.function_id AND l.try_no > e.try_no)`);
    await db.query(`DROP INDEX executions_message_run_function`);
    await db.query(`CREATE UNIQUE INDEX executions_message_run_function ON executions (message_id, run, function_id)`);
    await db.query(`ALTER TABLE executions DROP COLUMN due_at`);
    await db.query(`ALTER TABLE executions DROP COLUMN try_no`);
    await db.query(`ALTER TABLE functions DROP COLUMN retry`);
  }
}
