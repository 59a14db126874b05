import { DataSource } from 'typeorm';
import { createDataSource, openDatabase } from './data-source';
import { MIGRATIONS } from './migrations';

const skip = process.env.HOOKLINE_INTEGRATION_SKIP;
const adminUrl = process.env.HOOKLINE_IT_ADMIN_DATABASE_URL;

/** Opening a PostgreSQL database: replicas take turns to migrate, on as few connections as they have. */
(skip || !adminUrl ? describe.skip : describe)('openDatabase (PostgreSQL)', () => {
  const name = `hookline_open_${process.pid}_${Date.now()}`;
  const url = () => {
    const u = new URL(adminUrl!);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const admin = () => new DataSource({ type: 'postgres', url: adminUrl });
  const opened: DataSource[] = [];
  const open = async (poolSize: number) => {
    const source = await openDatabase(createDataSource({ databaseUrl: url(), dataDir: '' }, poolSize));
    opened.push(source);
    return source;
  };

  beforeAll(async () => {
    const db = await admin().initialize();
    await db.query(`CREATE DATABASE ${name}`);
    await db.destroy();
  });
  afterAll(async () => {
    for (const source of opened) if (source.isInitialized) await source.destroy();
    const db = await admin().initialize();
    await db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await db.destroy();
  });

  it('migrates a new database on a pool of one connection (secrets:rotate opens one), with replicas racing', async () => {
    // The migration lock is held on a connection: migrating through another one would wait for ever.
    const [a, b] = await Promise.all([open(1), open(1)]);

    const applied = (await a.query(`SELECT count(*)::int AS n FROM migrations`)) as Array<{ n: number }>;
    expect(applied).toEqual([{ n: MIGRATIONS.length }]);
    expect(await b.showMigrations()).toBe(false);
    // The lock was given back: a third opens at once.
    await expect(open(1)).resolves.toBeInstanceOf(DataSource);
  }, 60_000);
});
