import { DataSource } from 'typeorm';
import { createDataSource, openDatabase, RetentionStore } from '@hookline/persistence';
import { RetentionJob } from '@hookline/retention';
import { seedManyOld } from '../libs/retention/src/testing/seed-messages';
import { describeIntegration } from './harness/integration';
import { requireEnv } from './harness/system';

/** The id the retention purge's advisory lock takes (pg_locks shows a bigint key as classid 0, objid n). */
const RETENTION_LOCK = 7_240_519;

describeIntegration('the retention purge on PostgreSQL, with two replicas', () => {
  let a: DataSource;
  let b: DataSource;

  const job = (db: DataSource) =>
    new RetentionJob({ days: 7, intervalMs: 60_000, batchSize: 200 }, new RetentionStore(db), { pauseMs: 20 });
  const oldMessages = async (): Promise<number> =>
    (await a.query(`SELECT count(*)::int AS n FROM messages WHERE uri = 'retention/bulk'`))[0].n;
  const lockHolders = async (): Promise<number> =>
    (
      await a.query(
        `SELECT count(*)::int AS n FROM pg_locks
          WHERE locktype = 'advisory' AND classid = 0 AND objid = $1 AND objsubid = 1 AND granted`,
        [RETENTION_LOCK],
      )
    )[0].n;

  beforeAll(async () => {
    const config = { databaseUrl: requireEnv('HOOKLINE_IT_DATABASE_URL'), dataDir: '' };
    a = await openDatabase(createDataSource(config, 2));
    b = await openDatabase(createDataSource(config, 2));
  });
  afterAll(async () => {
    await a?.query(`DELETE FROM messages WHERE uri = 'retention/bulk'`);
    await a?.destroy();
    await b?.destroy();
  });

  it('lets one of two purgers started together run and the other skip', async () => {
    await seedManyOld(a, 3000, 30);

    const reports = await Promise.all([job(a).runOnce(), job(b).runOnce()]);

    const ran = reports.filter((report) => report !== null);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ messages: 3000, executions: 3000 });
    expect(ran[0]!.batches).toBeGreaterThan(10);
    expect(await oldMessages()).toBe(0);
  });

  it('skips a run while another replica purges, and runs once the lock is free', async () => {
    await seedManyOld(a, 2000, 30);
    const first = job(a).runOnce();
    const deadline = Date.now() + 10_000;
    while ((await lockHolders()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));

    expect(await job(b).runOnce()).toBeNull();
    expect(await oldMessages()).toBeGreaterThan(0);

    expect(await first).toMatchObject({ messages: 2000 });
    expect(await lockHolders()).toBe(0);
    expect(await job(b).runOnce()).toMatchObject({ messages: 0, batches: 1 });
  });
});
