import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource, openDatabase } from './data-source';

describe('openDatabase without migrating (DATABASE_MIGRATE_AT_START=false)', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'hookline-migrate-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a schema with pending migrations, then opens once they are applied', async () => {
    const source = () => createDataSource({ databaseUrl: undefined, dataDir });

    await expect(openDatabase(source(), { migrate: false })).rejects.toThrow(/DATABASE_MIGRATE_AT_START=false/);

    await (await openDatabase(source())).destroy();
    const db = await openDatabase(source(), { migrate: false });
    expect(await db.showMigrations()).toBe(false);
    await db.destroy();
  }, 60_000);
});
