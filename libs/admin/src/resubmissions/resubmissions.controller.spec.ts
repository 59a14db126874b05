import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { MessageStatus } from '@hookline/contracts';
import type { NewMessage } from '@hookline/persistence';
import { eventually } from '@hookline/testing';
import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';

const newMessage = (uri: string): NewMessage => ({
  id: uuidv7(),
  method: 'POST',
  uri,
  query: {},
  headers: { 'content-type': 'application/json' },
  remoteAddr: '203.0.113.9',
  contentType: 'application/json',
  body: Buffer.from('{"ref":"main"}'),
  receivedAt: new Date(),
  replyTo: null,
});

/** Stores `count` messages as the ingress does, then moves them to `status` (matched by `providerId`). */
async function seed(
  t: AdminTestApp,
  count: number,
  fields: { uri?: string; status: MessageStatus; providerId?: string | null },
): Promise<string[]> {
  const messages = Array.from({ length: count }, () => newMessage(fields.uri ?? 'resubmit/bulk'));
  await t.messages.insertMany(messages);
  const ids = messages.map((m) => m.id);
  await t.db.query(
    `UPDATE messages SET status = $2, provider_id = $3, provider_name = 'github', published_at = now()
      WHERE id = ANY($1::uuid[])`,
    [ids, fields.status, fields.providerId ?? null],
  );
  return ids;
}

const runs = async (t: AdminTestApp, ids: string[]): Promise<number[]> => {
  const rows: Array<{ id: string; run: number }> = await t.db.query(
    `SELECT id, run FROM messages WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.id, row.run]));
  return ids.map((id) => byId.get(id)!);
};

const resubmission = async (t: AdminTestApp, id: string) =>
  (await t.request({ method: 'GET', url: `/api/v1/resubmissions/${id}` })).json();

/** Polls until the operation's state satisfies `done`; returns that state. */
const waitFor = (t: AdminTestApp, id: string, done: (state: Record<string, any>) => boolean) =>
  eventually(() => resubmission(t, id), done, { what: `resubmission ${id}`, timeoutMs: 60_000, intervalMs: 50 });

const start = (t: AdminTestApp, body: unknown) =>
  t.request({ method: 'POST', url: '/api/v1/resubmissions', payload: body as Record<string, unknown> });

describe('resubmissions API', () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await createAdminTestApp();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  it('resubmits every message matching the filter, at the rate asked, and tracks its progress', async () => {
    const providerId = uuidv7();
    const failed = await seed(t, 30, { status: MessageStatus.Failed, providerId });
    const otherProvider = await seed(t, 5, { status: MessageStatus.Failed, providerId: uuidv7() });
    const succeeded = await seed(t, 5, { status: MessageStatus.Success, providerId });

    const response = await start(t, { filter: { status: 'FAILED', providerId }, ratePerSecond: 10 });

    expect(response.statusCode).toBe(202);
    const created = response.json();
    expect(created).toEqual({
      id: expect.any(String),
      filter: { status: 'FAILED', providerId },
      ratePerSecond: 10,
      status: 'PENDING',
      total: null,
      done: 0,
      skipped: 0,
      failed: 0,
      requestedBy: 'admin',
      lastError: null,
      createdAt: expect.any(String),
      startedAt: null,
      finishedAt: null,
    });
    const running = await waitFor(t, created.id, (s) => s.status === 'RUNNING' && s.total !== null);
    expect(running.total).toBe(30);
    const finished = await waitFor(t, created.id, (s) => s.status !== 'RUNNING');
    expect(finished).toMatchObject({ status: 'DONE', total: 30, done: 30, skipped: 0, failed: 0, lastError: null });
    // 30 messages 100 ms apart: the last one goes 2.9 s after the first.
    expect(Date.parse(finished.finishedAt) - Date.parse(finished.startedAt)).toBeGreaterThanOrEqual(2000);
    expect(await runs(t, failed)).toEqual(failed.map(() => 1));
    expect(await runs(t, [...otherProvider, ...succeeded])).toEqual([...otherProvider, ...succeeded].map(() => 0));
    const [row] = await t.db.query(`SELECT status, resubmitted_by FROM messages WHERE id = $1`, [failed[0]]);
    expect(row).toEqual({ status: 'RECEIVED', resubmitted_by: 'admin' });

    const listed = (await t.request({ method: 'GET', url: '/api/v1/resubmissions' })).json();
    expect(listed.items.map((r: { id: string }) => r.id)).toContain(created.id);
  });

  it('skips messages still being processed, and leaves out those received after it was asked for', async () => {
    const providerId = uuidv7();
    const finished = await seed(t, 3, { uri: 'resubmit/mixed', status: MessageStatus.Unmatched, providerId });
    const busy = await seed(t, 2, { uri: 'resubmit/mixed', status: MessageStatus.Processing, providerId });

    const created = (await start(t, { filter: { uri: '/resubmit/mixed/' }, ratePerSecond: 500 })).json();
    const later = await seed(t, 2, { uri: 'resubmit/mixed', status: MessageStatus.Failed, providerId });

    const done = await waitFor(t, created.id, (s) => s.status === 'DONE');
    expect(done).toMatchObject({ filter: { uri: 'resubmit/mixed' }, total: 5, done: 3, skipped: 2, failed: 0 });
    expect(await runs(t, [...finished, ...busy, ...later])).toEqual([1, 1, 1, 0, 0, 0, 0]);
  });

  it('can be cancelled; what was resubmitted stays resubmitted', async () => {
    const providerId = uuidv7();
    const ids = await seed(t, 20, { uri: 'resubmit/cancel', status: MessageStatus.Failed, providerId });
    // Slow enough that the cancel lands long before the last message, however busy the machine.
    const created = (await start(t, { filter: { providerId }, ratePerSecond: 2 })).json();
    await waitFor(t, created.id, (s) => s.done >= 2);

    const response = await t.request({ method: 'POST', url: `/api/v1/resubmissions/${created.id}/cancel` });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'CANCELLED', finishedAt: expect.any(String) });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const after = await resubmission(t, created.id);
    expect(after.status).toBe('CANCELLED');
    expect(after.done).toBeLessThan(20);
    const resubmitted = (await runs(t, ids)).filter((run) => run === 1).length;
    expect(resubmitted).toBe(after.done);
    const again = await t.request({ method: 'POST', url: `/api/v1/resubmissions/${created.id}/cancel` });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({
      error: 'resubmission_finished',
      message: `resubmission ${created.id} is CANCELLED already`,
    });
  });

  it('resolves the message a stopped worker left in doubt without resubmitting it twice', async () => {
    const providerId = uuidv7();
    // Newest first: `inDoubt` was in hand when the worker stopped; it did get its new run.
    const [older, inDoubt] = await seed(t, 2, { uri: 'resubmit/doubt', status: MessageStatus.Failed, providerId });
    await t.db.query(`UPDATE messages SET run = 1, status = 'RECEIVED', resubmitted_by = 'admin' WHERE id = $1`, [
      inDoubt,
    ]);
    const id = uuidv7();
    await t.db.query(
      `INSERT INTO resubmissions (id, filter, rate_per_second, status, requested_by, total, cursor_id, cursor_run,
                                  cursor_settled, claimed_by, lease_until, started_at)
       VALUES ($1, $2, 50, 'RUNNING', 'admin', 2, $3, 0, false, 'a-worker-that-died', now() - interval '1 second', now())`,
      [id, JSON.stringify({ providerId }), inDoubt],
    );

    const done = await waitFor(t, id, (s) => s.status === 'DONE');

    expect(done).toMatchObject({ total: 2, done: 2, skipped: 0 });
    expect(await runs(t, [older, inDoubt])).toEqual([1, 1]);
  });

  it('answers 404 for an unknown resubmission', async () => {
    for (const url of [`/api/v1/resubmissions/${uuidv7()}`, '/api/v1/resubmissions/nope']) {
      const response = await t.request({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
    }
    const cancel = await t.request({ method: 'POST', url: `/api/v1/resubmissions/${uuidv7()}/cancel` });
    expect(cancel.statusCode).toBe(404);
  });

  it.each([
    [{}, 'filter', 'filter is required'],
    [{ filter: 'FAILED' }, 'filter', 'filter must be an object'],
    [{ filter: {} }, 'filter', 'filter must name at least one of status, providerId, functionId, uri, from, to, q'],
    [
      { filter: { status: 'BROKEN' } },
      'filter.status',
      `filter.status must be one of ${Object.values(MessageStatus).join(', ')}`,
    ],
    [
      { filter: { status: 'FAILED', from: 'an hour ago' } },
      'filter.from',
      'filter.from must be an ISO 8601 time with its offset, like 2026-11-29T10:00:00Z, or a date',
    ],
    [{ filter: { status: 'FAILED', colour: 'red' } }, 'filter.colour', 'property colour should not exist'],
    [
      { filter: { status: 'FAILED' }, ratePerSecond: 501 },
      'ratePerSecond',
      'ratePerSecond must not be greater than 500',
    ],
    [{ filter: { status: 'FAILED' }, ratePerSecond: 0 }, 'ratePerSecond', 'ratePerSecond must not be less than 1'],
  ])('refuses %j', async (body, field, message) => {
    const response = await start(t, body);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'validation_failed', field, message });
  });
});

describe('a bulk resubmission across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-resubmission-restart-'));
  let t: AdminTestApp | null = null;
  const open = async () => (t = await createAdminTestApp({ env: { DATA_DIR: dataDir } }));

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'continues where it stopped and resubmits no message twice',
    async () => {
      let app = await open();
      const providerId = uuidv7();
      const ids = await seed(app, 30, { status: MessageStatus.Failed, providerId });
      // 5 a second: the restart below takes far less than the 5 s the rest would, even on a busy machine.
      const created = (await start(app, { filter: { status: 'FAILED', providerId }, ratePerSecond: 5 })).json();
      await waitFor(app, created.id, (s) => s.done >= 5);

      await app.close();
      t = null;
      app = await open();

      const resumed = await resubmission(app, created.id);
      expect(resumed.status).toBe('RUNNING');
      expect(resumed.done).toBeGreaterThanOrEqual(5);
      expect(resumed.done).toBeLessThan(30);
      const done = await waitFor(app, created.id, (s) => s.status === 'DONE');
      expect(done).toMatchObject({ total: 30, done: 30, skipped: 0, failed: 0 });
      expect(await runs(app, ids)).toEqual(ids.map(() => 1));
    },
    START_TIMEOUT_MS * 2,
  );
});
