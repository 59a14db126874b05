import { createHash } from 'node:crypto';
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

  it('stores bytea parameters and reads bytea columns as Buffers, every byte value intact', async () => {
    const { Pool } = pgliteDriver(join(root, 'pglite'));
    const pool = new Pool();
    const query = async (sql: string, params?: unknown[]) =>
      ((await pool.query(sql, params)) as { rows: Array<Record<string, unknown>> }).rows;
    try {
      const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      // A view into a larger buffer: only its own bytes are stored.
      const view = Buffer.from('..ab..').subarray(2, 4);
      await query('CREATE TABLE blobs (n int, b bytea)');
      await query('INSERT INTO blobs VALUES (1, $1), (2, $2), (3, $3)', [every, view, Buffer.alloc(0)]);

      const rows = await query('SELECT b, length(b) AS length, md5(b) AS md5 FROM blobs ORDER BY n');
      expect(rows.map((r) => Buffer.isBuffer(r.b))).toEqual([true, true, true]);
      expect(rows.map((r) => r.b)).toEqual([every, Buffer.from('ab'), Buffer.alloc(0)]);
      // What PostgreSQL itself holds, not only what comes back through the same codec.
      expect(rows.map((r) => r.length)).toEqual([256, 2, 0]);
      expect(rows[0].md5).toBe(createHash('md5').update(every).digest('hex'));
      await expect(query('SELECT $1::bytea', ['not bytes'])).rejects.toThrow(/Invalid input for bytea/);
    } finally {
      await new Promise((done) => pool.end(done));
    }
  }, 60_000);

  it('refuses a folder holding something that is not a database, and leaves it as it was', async () => {
    const dataDir = join(root, 'pglite');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');

    await expect(queryOnce(dataDir, 'SELECT 1')).rejects.toThrow(/holds files but no PostgreSQL database/);
    expect(readdirSync(dataDir)).toEqual(['notes.txt']);
  });
});
