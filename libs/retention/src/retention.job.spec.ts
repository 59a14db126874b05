import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { MessageStatus } from '@hookline/contracts';
import { createDataSource, openDatabase, RetentionStore } from '@hookline/persistence';
import { until } from '@hookline/testing';
import { RetentionJob } from './retention.job';
import { daysAgo, seedMessages } from './testing/seed-messages';

describe('RetentionJob on PGlite', () => {
  let dataDir: string;
  let db: DataSource;

  const job = (batchSize = 1000) =>
    new RetentionJob({ days: 7, intervalMs: 60_000, batchSize }, new RetentionStore(db), { pauseMs: 1 });
  const remaining = async (): Promise<string[]> =>
    (await db.query(`SELECT id FROM messages ORDER BY id`)).map((row: { id: string }) => row.id);
  const executionsOf = async (ids: string[]): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM executions WHERE message_id = ANY($1::uuid[])`, [ids]))[0].n;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hookline-retention-'));
    db = await openDatabase(createDataSource({ databaseUrl: undefined, dataDir }));
  }, 60_000);
  afterAll(async () => {
    await db?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => db.query('TRUNCATE executions, messages, dead_letters'));

  it('purges finished messages older than RETENTION_DAYS with their executions, and keeps the rest', async () => {
    const old = await seedMessages(db, [
      { status: MessageStatus.Success, receivedAt: daysAgo(30), executions: 2 },
      { status: MessageStatus.Failed, receivedAt: daysAgo(8), executions: 1 },
      { status: MessageStatus.Unmatched, receivedAt: daysAgo(8) },
      { status: MessageStatus.Duplicate, receivedAt: daysAgo(8) },
    ]);
    const kept = await seedMessages(db, [
      // Unfinished: an old stuck message stays visible.
      { status: MessageStatus.Received, receivedAt: daysAgo(30) },
      { status: MessageStatus.Processing, receivedAt: daysAgo(30), executions: 1 },
      // Resubmitted two days ago: its latest run is recent.
      { status: MessageStatus.Success, receivedAt: daysAgo(10), runStartedAt: daysAgo(2), executions: 1 },
      { status: MessageStatus.Success, receivedAt: daysAgo(6), executions: 1 },
      { status: MessageStatus.Failed, receivedAt: new Date(), executions: 1 },
    ]);

    const report = await job().runOnce();

    expect(report).toMatchObject({ messages: 4, executions: 3 });
    expect(await remaining()).toEqual([...kept].sort());
    expect(await executionsOf(old)).toBe(0);
    expect(await executionsOf(kept)).toBe(4);
  });

  it('purges old dead letters whose message is gone, and keeps those of kept messages and recent ones', async () => {
    const [kept] = await seedMessages(db, [{ status: MessageStatus.Failed, receivedAt: daysAgo(1) }]);
    const deadLetter = async (messageId: string | null, failedAt: Date) => {
      const id = uuidv7();
      await db.query(
        `INSERT INTO dead_letters (id, group_id, source_topic, partition, record_offset, message_id, attempts, error, headers, failed_at)
         VALUES ($1, 'g', 't', 0, '1', $2, 5, 'boom', '{}', $3)`,
        [id, messageId, failedAt.toISOString()],
      );
      return id;
    };
    await deadLetter(uuidv7(), daysAgo(30));
    await deadLetter(null, daysAgo(9));
    const ofKept = await deadLetter(kept, daysAgo(9));
    const recent = await deadLetter(uuidv7(), daysAgo(1));

    const report = await job(1).runOnce();

    expect(report).toMatchObject({ deadLetters: 2 });
    const left = (await db.query(`SELECT id FROM dead_letters ORDER BY id`)).map((row: { id: string }) => row.id);
    expect(left).toEqual([ofKept, recent].sort());
  });

  it('walks the table in batches and skips what it keeps without stopping', async () => {
    const statuses = [MessageStatus.Success, MessageStatus.Processing, MessageStatus.Failed];
    const ids = await seedMessages(
      db,
      Array.from({ length: 11 }, (_, i) => ({
        status: statuses[i % 3],
        receivedAt: new Date(daysAgo(20).getTime() + i),
        executions: 1,
      })),
    );
    const unfinished = ids.filter((_, i) => i % 3 === 1);

    const report = await job(2).runOnce();

    // 11 old messages, 2 at a time: the sixth batch finds fewer than 2 and ends the run.
    expect(report).toMatchObject({ messages: 7, executions: 7, batches: 6 });
    expect(await remaining()).toEqual(unfinished);
  });

  it('unlinks a kept duplicate from the original it purges', async () => {
    const [original] = await seedMessages(db, [{ status: MessageStatus.Success, receivedAt: daysAgo(9) }]);
    const [duplicate] = await seedMessages(db, [{ status: MessageStatus.Duplicate, receivedAt: daysAgo(1) }]);
    await db.query(`UPDATE messages SET duplicate_of = $1 WHERE id = $2`, [original, duplicate]);

    await job().runOnce();

    expect(await db.query(`SELECT id, duplicate_of FROM messages`)).toEqual([{ id: duplicate, duplicate_of: null }]);
  });

  it('runs first shortly after start, then on its interval, until stopped', async () => {
    const scheduled = new RetentionJob({ days: 7, intervalMs: 40, batchSize: 1000 }, new RetentionStore(db), {
      pauseMs: 1,
      firstRunDelayMs: 5,
    });
    const runs = jest.spyOn(scheduled, 'runOnce');
    await seedMessages(db, [{ status: MessageStatus.Success, receivedAt: daysAgo(8) }]);

    scheduled.start();
    await until(() => runs.mock.calls.length >= 2, { what: 'a first run and one on the interval' });
    await scheduled.stop();
    const count = runs.mock.calls.length;
    // Stopped: however long we wait, no run starts. Two more intervals show it.
    await new Promise((resolve) => setTimeout(resolve, 2 * 40 + 20));

    expect(runs.mock.calls.length).toBe(count);
    expect(await remaining()).toEqual([]);
  });
});
