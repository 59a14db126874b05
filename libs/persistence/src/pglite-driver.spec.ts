import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgliteDriver } from './pglite-driver';

/** Runs one statement through the driver's pool and closes it. */
async function queryOnce(dataDir: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const { Pool } = pgliteDriver(dataDir);
  const pool = new Pool();
  try {
    return ((await pool.query(sql)) as { rows: Array<Record<string, unknown>> }).rows;
  } finally {
    await new Promise((done) => pool.end(done));
  }
}

describe('pgliteDriver', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'hookline-pglite-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates a new database folder, leaving nothing else beside it, and opens it again', async () => {
    const dataDir = join(root, 'pglite');
    await queryOnce(dataDir, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)');

    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(readdirSync(root)).toEqual(['pglite']);
    expect(await queryOnce(dataDir, 'SELECT n FROM kept')).toEqual([{ n: 7 }]);
  }, 60_000);

  it('takes an empty folder, and runs with a small buffer pool and checkpoints every 64 MB of WAL', async () => {
    const dataDir = join(root, 'pglite');
    mkdirSync(dataDir);
    const settings = await queryOnce(
      dataDir,
      `SELECT current_setting('shared_buffers') AS buffers, current_setting('max_wal_size') AS wal`,
    );
    expect(settings).toEqual([{ buffers: '16MB', wal: '64MB' }]);
  }, 60_000);

  it('refuses a folder holding something that is not a database, and leaves it as it was', async () => {
    const dataDir = join(root, 'pglite');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');

    await expect(queryOnce(dataDir, 'SELECT 1')).rejects.toThrow(/holds files but no PostgreSQL database/);
    expect(readdirSync(dataDir)).toEqual(['notes.txt']);
  });
});
