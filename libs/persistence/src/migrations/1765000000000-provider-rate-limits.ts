import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-provider ingress rate limits (a token bucket per replica); null: unlimited. */
export class ProviderRateLimits1765000000000 implements MigrationInterface {
  name = 'ProviderRateLimits1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE providers ADD COLUMN rate_limit jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE providers DROP COLUMN rate_limit`);
  }
}
