import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { createDataSource, openDatabase } from '../data-source';
import { ResubmissionStatus, ResubmissionStore } from './resubmission.store';

describe('ResubmissionStore (PGlite)', () => {
  let dataDir: string;
  let db: DataSource;
  let store: ResubmissionStore;
  const message = { id: uuidv7(), run: 0 };

  const create = () =>
    store.create({ id: uuidv7(), filter: { status: 'FAILED' }, ratePerSecond: 20, requestedBy: 'admin' });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hookline-resubmissions-'));
    db = await openDatabase(createDataSource({ databaseUrl: undefined, dataDir }));
    store = new ResubmissionStore(db);
  }, 60_000);

  afterAll(async () => {
    await db.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Each test leaves nothing claimable behind for the next.
  afterEach(async () => {
    await db.query(`UPDATE resubmissions SET status = 'DONE' WHERE status IN ('PENDING', 'RUNNING')`);
  });

  it('keeps the filter and starts below the first id after it was asked for', async () => {
    const from = new Date('2026-01-01T00:00:00.000Z');
    const before = Date.now();
    const created = await store.create({
      id: uuidv7(),
      filter: { uri: 'a/b', from },
      ratePerSecond: 7,
      requestedBy: 'ops',
    });

    expect(created).toMatchObject({
      filter: { uri: 'a/b', from },
      ratePerSecond: 7,
      status: ResubmissionStatus.Pending,
      requestedBy: 'ops',
      total: null,
      cursorSettled: true,
    });
    expect(await store.get(created.id)).toEqual(created);
    const cursorMs = parseInt(created.cursorId.replace(/-/g, '').slice(0, 12), 16);
    expect(cursorMs).toBeGreaterThan(before);
  });

  it('lets one worker at a time hold an operation, until its lease runs out', async () => {
    const created = await create();

    const a = await store.claim('worker-a', 60_000);
    expect(a).toMatchObject({ id: created.id, status: ResubmissionStatus.Running, startedAt: expect.any(Date) });
    expect(await store.claim('worker-b', 60_000)).toBeNull();

    await db.query(`UPDATE resubmissions SET lease_until = now() - interval '1 second' WHERE id = $1`, [created.id]);
    expect(await store.claim('worker-b', 60_000)).toMatchObject({ id: created.id });
    // The worker that lost its lease finds out at its next step.
    expect(await store.begin(created.id, 'worker-a', message, 60_000)).toBe(false);
    expect(await store.begin(created.id, 'worker-b', message, 60_000)).toBe(true);
  });

  it('counts each message once, and a released operation can be claimed at once', async () => {
    const created = await create();
    await store.claim('worker-a', 60_000);

    await store.begin(created.id, 'worker-a', message, 60_000);
    expect(await store.get(created.id)).toMatchObject({ cursorId: message.id, cursorRun: 0, cursorSettled: false });
    await store.settle(created.id, 'worker-a', { kind: 'done' });
    await store.settle(created.id, 'worker-a', { kind: 'done' });
    await store.begin(created.id, 'worker-a', { id: uuidv7(), run: 3 }, 60_000);
    await store.settle(created.id, 'worker-a', { kind: 'failed', error: 'message x: boom' });
    await store.release(created.id, 'worker-a');

    expect(await store.get(created.id)).toMatchObject({ done: 1, failed: 1, skipped: 0, lastError: 'message x: boom' });
    expect(await store.claim('worker-b', 60_000)).toMatchObject({ id: created.id, done: 1 });
  });

  it('stops a cancelled operation at its next step but still counts the message in hand', async () => {
    const created = await create();
    await store.claim('worker-a', 60_000);
    await store.begin(created.id, 'worker-a', message, 60_000);

    expect(await store.cancel(created.id)).toMatchObject({ status: ResubmissionStatus.Cancelled });
    await store.settle(created.id, 'worker-a', { kind: 'skipped' });

    expect(await store.begin(created.id, 'worker-a', { id: uuidv7(), run: 0 }, 60_000)).toBe(false);
    await store.finish(created.id, 'worker-a', ResubmissionStatus.Done);
    expect(await store.get(created.id)).toMatchObject({ status: ResubmissionStatus.Cancelled, skipped: 1 });
    expect(await store.cancel(created.id)).toBeNull();
  });

  it('lists newest first, a page at a time', async () => {
    const [older, newer] = [await create(), await create()];

    const first = await store.list({ limit: 1 });
    const second = await store.list({ cursor: first.nextCursor!, limit: 1 });

    expect([first.items[0].id, second.items[0].id]).toEqual([newer.id, older.id]);
  });
});
