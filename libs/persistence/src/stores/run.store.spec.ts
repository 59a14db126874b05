import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { MessageStatus } from '@hookline/contracts';
import { createDataSource, openDatabase } from '../data-source';
import { MessageIsDuplicateError, MessageStore } from './message.store';
import { RunStore, type DedupClaim, type RunPlan } from './run.store';
import { newMessage } from '../testing';

describe('RunStore deduplication (PGlite)', () => {
  let dataDir: string;
  let db: DataSource;
  let runs: RunStore;
  let messages: MessageStore;
  const providerId = uuidv7();

  /** A stored, unplanned message received at `at`; sync when `replyTo` is given. */
  const receive = async (at = new Date(), replyTo: string | null = null): Promise<string> => {
    const id = uuidv7({ msecs: at.getTime() });
    await messages.insertMany([newMessage({ id, uri: 'dedup', receivedAt: at, replyTo })]);
    return id;
  };
  const claim = (value: string, windowSeconds = 60, provider = providerId): DedupClaim => ({
    key: `${provider}:${value}`,
    header: 'X-GitHub-Delivery',
    value,
    windowSeconds,
  });
  const plan = (messageId: string, dedup: DedupClaim | null): RunPlan => ({
    messageId,
    run: 0,
    status: MessageStatus.Processing,
    providerId,
    providerName: 'GitHub',
    message: null,
    matchLog: [],
    executions: [{ id: uuidv7(), functionId: uuidv7(), functionName: 'deploy' }],
    resubmittedBy: null,
    dedup,
  });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hookline-runstore-'));
    db = await openDatabase(createDataSource({ databaseUrl: undefined, dataDir }));
    runs = new RunStore(db);
    messages = new MessageStore(db);
  }, 60_000);
  afterAll(async () => {
    await db?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => db.query('TRUNCATE executions, messages'));

  it('records a repeat of a delivery id within the window as DUPLICATE of the first, with no executions', async () => {
    const first = await receive();
    const second = await receive();

    expect(await runs.recordPlan(plan(first, claim('d-1')))).toMatchObject({ status: 'PROCESSING' });
    const recorded = await runs.recordPlan(plan(second, claim('d-1')));

    expect(recorded).toMatchObject({ status: 'DUPLICATE', duplicateOf: first, executions: [] });
    expect(recorded?.message).toBe(`duplicate of message ${first}: same X-GitHub-Delivery 'd-1' within 60 s`);
    expect(await runs.state(second)).toMatchObject({
      status: 'DUPLICATE',
      duplicateOf: first,
      dedupKey: claim('d-1').key,
    });
    expect(await db.query(`SELECT count(*)::int AS n FROM executions WHERE message_id = $1`, [second])).toEqual([
      { n: 0 },
    ]);
  });

  it('lets a later delivery of an id outside the window, another id or another provider be an original', async () => {
    const first = await receive(new Date(Date.now() - 61_000));
    const late = await receive();
    const otherId = await receive();
    const otherProvider = await receive();
    await runs.recordPlan(plan(first, claim('d-2')));

    expect((await runs.recordPlan(plan(late, claim('d-2'))))?.status).toBe('PROCESSING');
    expect((await runs.recordPlan(plan(otherId, claim('d-3'))))?.status).toBe('PROCESSING');
    expect((await runs.recordPlan(plan(otherProvider, claim('d-2', 60, uuidv7()))))?.status).toBe('PROCESSING');
  });

  it('links a third delivery to the original, never to a duplicate', async () => {
    const [first, second, third] = [await receive(), await receive(), await receive()];
    for (const id of [first, second, third]) await runs.recordPlan(plan(id, claim('d-4')));

    expect((await runs.state(third))?.duplicateOf).toBe(first);
  });

  it("answers a duplicate with its original's outcome, and finds the sync duplicates waiting for it", async () => {
    const first = await receive();
    const sync = await receive(new Date(), 'corr-sync');
    const async = await receive();
    const original = plan(first, claim('d-5'));
    await runs.recordPlan(original);
    await runs.recordPlan(plan(sync, claim('d-5')));
    await runs.recordPlan(plan(async, claim('d-5')));

    expect(await runs.outcome(sync, 0)).toMatchObject({ status: 'PROCESSING', duplicateOf: first });
    await runs.startExecution(original.executions[0].id);
    const finished = await runs.finishExecution({
      id: original.executions[0].id,
      messageId: first,
      run: 0,
      status: 'FAILED',
      logs: [],
      message: null,
      result: null,
      error: 'Error: boom',
      response: null,
      durationMs: 1,
    });

    expect(finished).toMatchObject({ runFinished: true, deduplicated: true, messageStatus: 'FAILED' });
    expect(await runs.outcome(sync, 0)).toMatchObject({
      status: 'FAILED',
      duplicateOf: first,
      executions: [{ executionId: original.executions[0].id, error: 'Error: boom' }],
    });
    expect(await runs.waitingDuplicates(first, 60_000)).toEqual([{ messageId: sync, run: 0, replyTo: 'corr-sync' }]);
  });

  it('refuses to resubmit a duplicate, naming the original', async () => {
    const first = await receive();
    const second = await receive();
    await runs.recordPlan(plan(first, claim('d-6')));
    await runs.recordPlan(plan(second, claim('d-6')));

    const refusal = messages.startResubmission(second, 'admin');

    await expect(refusal).rejects.toBeInstanceOf(MessageIsDuplicateError);
    await expect(refusal).rejects.toThrow(`resubmit ${first} instead`);
  });

  describe('plan and finish, each in one statement', () => {
    const finish = (id: string, messageId: string, status: 'SUCCESS' | 'FAILED', result: unknown) =>
      runs.finishExecution({
        id,
        messageId,
        run: 0,
        status,
        logs: [],
        message: null,
        result,
        error: null,
        response: status === 'SUCCESS' ? { status: 201, headers: { 'x-by': id } } : null,
        durationMs: 1,
      });
    const twoFunctions = (messageId: string): RunPlan => ({
      ...plan(messageId, null),
      executions: [
        { id: uuidv7(), functionId: uuidv7(), functionName: 'first' },
        { id: uuidv7(), functionId: uuidv7(), functionName: 'second' },
      ],
    });

    it('plans a run once: a second plan of the same run, or of a stale one, records nothing', async () => {
      const id = await receive();
      const first = twoFunctions(id);

      expect(await runs.recordPlan(first)).toMatchObject({ status: 'PROCESSING', deduplicated: false });
      expect(await runs.recordPlan(twoFunctions(id))).toBeNull();
      expect(await runs.recordPlan({ ...twoFunctions(id), run: 1 })).toBeNull();
      expect(await runs.unfinishedExecutions(id, 0)).toEqual(
        expect.arrayContaining(first.executions.map((e) => expect.objectContaining({ id: e.id }))),
      );
      expect(await runs.state(id)).toMatchObject({ status: 'PROCESSING', dedupKey: null });
    });

    it('starts the executions of a plan recorded with start, so they finish with no start statement', async () => {
      const id = await receive(new Date(), 'corr-s');
      const planned = { ...twoFunctions(id), start: true };
      const before = Date.now();

      const recorded = await runs.recordPlan(planned);

      expect(recorded?.startedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
      const rows: Array<{ status: string; attempt: number; started_at: Date | null }> = await db.query(
        `SELECT status, attempt, started_at FROM executions WHERE message_id = $1`,
        [id],
      );
      expect(rows.map((r) => [r.status, r.attempt, new Date(r.started_at!).getTime()])).toEqual([
        ['RUNNING', 1, recorded!.startedAt!.getTime()],
        ['RUNNING', 1, recorded!.startedAt!.getTime()],
      ]);
      const [a, b] = planned.executions;
      await finish(a.id, id, 'SUCCESS', 1);
      expect(await finish(b.id, id, 'SUCCESS', 2)).toMatchObject({ runFinished: true, messageStatus: 'SUCCESS' });
      // One that did not finish (the matcher died mid-run) is started again as a second attempt.
      const again = await receive(new Date(), 'corr-t');
      const replanned = { ...plan(again, null), start: true };
      await runs.recordPlan(replanned);
      expect(await runs.startExecution(replanned.executions[0].id)).toMatchObject({ attempt: 2, try: 1 });
    });

    it('records a plan without start as PENDING, never started', async () => {
      const id = await receive();
      expect(await runs.recordPlan(twoFunctions(id))).toMatchObject({ startedAt: null });
      const rows: Array<{ status: string; attempt: number; started_at: Date | null }> = await db.query(
        `SELECT status, attempt, started_at FROM executions WHERE message_id = $1`,
        [id],
      );
      expect(rows).toEqual([
        { status: 'PENDING', attempt: 0, started_at: null },
        { status: 'PENDING', attempt: 0, started_at: null },
      ]);
    });

    it("marks a planned run's message published, and the ingress's later mark writes no new row version", async () => {
      const published = async (id: string) =>
        (
          (await db.query(`SELECT xmin::text AS version, published_at FROM messages WHERE id = $1`, [id])) as Array<{
            version: string;
            published_at: Date | null;
          }>
        )[0];
      const planned = await receive();
      const acknowledged = await receive();
      const ackedAt = new Date(Date.now() - 60_000);
      await messages.markPublished([{ id: acknowledged, at: ackedAt }]);

      await runs.recordPlan(plan(planned, null));
      await runs.recordPlan(plan(acknowledged, null));

      const afterPlan = await published(planned);
      expect(afterPlan.published_at).not.toBeNull();
      // Marked by the ingress first: the broker's acknowledgement stays the recorded time.
      expect(new Date((await published(acknowledged)).published_at!).getTime()).toBe(ackedAt.getTime());
      await messages.markPublished([{ id: planned, at: new Date() }]);
      expect(await published(planned)).toEqual(afterPlan);
    });

    it('records an UNMATCHED plan without executions', async () => {
      const id = await receive();

      const recorded = await runs.recordPlan({ ...plan(id, null), status: 'UNMATCHED', executions: [] });

      expect(recorded).toMatchObject({ status: 'UNMATCHED' });
      expect(await runs.state(id)).toMatchObject({ status: 'UNMATCHED' });
    });

    it("hands the sync run's outcome to whoever finishes its last execution, as outcome() reads it", async () => {
      const id = await receive(new Date(), 'corr-1');
      const planned = twoFunctions(id);
      await runs.recordPlan(planned);
      const [a, b] = planned.executions;
      await runs.startExecution(a.id);
      await runs.startExecution(b.id);

      const firstDone = await finish(b.id, id, 'SUCCESS', { z: 1, a: [2] });
      const lastDone = await finish(a.id, id, 'FAILED', null);

      expect(firstDone).toMatchObject({ runFinished: false, messageStatus: 'PROCESSING' });
      expect(firstDone?.outcome).toBeUndefined();
      expect(lastDone).toMatchObject({ runFinished: true, messageStatus: 'FAILED', replyTo: 'corr-1' });
      expect(lastDone?.outcome).toEqual(await runs.outcome(id, 0));
      expect(await finish(a.id, id, 'SUCCESS', null)).toBeNull();
    });

    it('gives a one-function run its outcome without reading the executions again', async () => {
      const id = await receive(new Date(), 'corr-2');
      const planned = plan(id, null);
      await runs.recordPlan(planned);
      await runs.startExecution(planned.executions[0].id);

      const done = await finish(planned.executions[0].id, id, 'SUCCESS', { b: 'x', a: 1 });

      expect(done?.outcome).toEqual(await runs.outcome(id, 0));
      expect(done?.outcome).toMatchObject({ status: 'SUCCESS', executions: [{ functionName: 'deploy' }] });
    });

    it('finds the executions it finishes by their key, not by reading every execution', async () => {
      // Enough finished runs that a scan of the table costs the planner more than the key would.
      await db.query(
        `WITH m AS (
           INSERT INTO messages (id, method, uri, query, headers, remote_addr, body, received_at, status, run_started_at, updated_at)
           SELECT gen_random_uuid(), 'POST', 'seeded', '{}', '{}', '127.0.0.1', '\\x', now(), 'SUCCESS', now(), now()
             FROM generate_series(1, 5000)
           RETURNING id)
         INSERT INTO executions (id, message_id, run, function_id, function_name, status)
         SELECT gen_random_uuid(), id, 0, gen_random_uuid(), 'fn', 'SUCCESS' FROM m`,
      );
      await db.query('ANALYZE messages, executions');
      const id = await receive(new Date(), 'corr-3');
      const planned = plan(id, null);
      await runs.recordPlan(planned);
      await runs.startExecution(planned.executions[0].id);
      const query = jest.spyOn(db, 'query');

      await finish(planned.executions[0].id, id, 'SUCCESS', 1);

      const statement = query.mock.calls.find(([sql]) => sql.includes('UPDATE executions'));
      query.mockRestore();
      expect(statement).toBeDefined();
      const [sql, params] = statement as [string, unknown[]];
      // Planned as when it ran (its parameters known), but not run: the execution is finished now.
      const [{ 'QUERY PLAN': explained }] = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const [{ Plan: root }] = typeof explained === 'string' ? JSON.parse(explained) : explained;
      expect(scans(root)).not.toContainEqual({ node: 'Seq Scan', relation: 'executions' });
    });

    it('leaves the outcome out of an async run nobody waits for', async () => {
      const id = await receive();
      const planned = plan(id, null);
      await runs.recordPlan(planned);
      await runs.startExecution(planned.executions[0].id);

      const done = await finish(planned.executions[0].id, id, 'SUCCESS', 1);

      expect(done).toMatchObject({ runFinished: true, messageStatus: 'SUCCESS', replyTo: null });
      expect(done?.outcome).toBeUndefined();
    });
  });

  describe('calls made at the same time, sharing statements', () => {
    const finished = (id: string, messageId: string, durationMs = 1) => ({
      id,
      messageId,
      run: 0,
      status: 'SUCCESS' as const,
      logs: [],
      message: null,
      result: null,
      error: null,
      response: null,
      durationMs,
    });

    it('records each plan once, also when the same run is planned twice at once', async () => {
      const ids = await Promise.all(Array.from({ length: 5 }, () => receive()));
      const plans = ids.map((id) => plan(id, null));

      const recorded = await Promise.all([...plans, plan(ids[0], null)].map((p) => runs.recordPlan(p)));

      expect(recorded.slice(0, 5).map((r) => r?.status)).toEqual(Array(5).fill('PROCESSING'));
      expect(recorded[5]).toBeNull();
      for (const [i, id] of ids.entries()) {
        expect(await runs.unfinishedExecutions(id, 0)).toEqual([plans[i].executions[0]]);
      }
    });

    it('counts executions of one run finished together once each, with one of them finishing the run', async () => {
      const id = await receive(new Date(), 'corr-batch');
      const planned = {
        ...plan(id, null),
        executions: ['a', 'b', 'c'].map((name) => ({ id: uuidv7(), functionId: uuidv7(), functionName: name })),
      };
      await runs.recordPlan(planned);
      // Two calls ahead of them take the statements in flight, so that the rest leave together.
      const ahead = await Promise.all([receive(), receive()]);
      const aheadPlans = ahead.map((other) => plan(other, null));
      await Promise.all(aheadPlans.map((p) => runs.recordPlan(p)));
      const all = [...aheadPlans.map((p) => p.executions[0].id), ...planned.executions.map((e) => e.id)];
      const started = await Promise.all(all.map((execution) => runs.startExecution(execution)));
      expect(started.map((s) => s?.attempt)).toEqual([1, 1, 1, 1, 1]);

      const [, , ...done] = await Promise.all([
        ...aheadPlans.map((p, i) => runs.finishExecution(finished(p.executions[0].id, ahead[i]))),
        ...planned.executions.map((e) => runs.finishExecution(finished(e.id, id))),
        runs.finishExecution(finished(planned.executions[0].id, id)),
      ]);

      expect(done[3]).toBeNull();
      expect(done.filter((d) => d?.runFinished)).toHaveLength(1);
      expect(done.slice(0, 3).map((d) => d?.messageStatus)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
      expect(done.find((d) => d?.runFinished)?.outcome).toEqual(await runs.outcome(id, 0));
      const [row] = await db.query(`SELECT pending_jobs, failed_jobs FROM messages WHERE id = $1`, [id]);
      expect(row).toEqual({ pending_jobs: 0, failed_jobs: 0 });
    });

    it('fails only the call whose row breaks the statement', async () => {
      const [a, b] = [await receive(), await receive()];
      const taken = plan(a, null);
      await runs.recordPlan(taken);
      const clash = { ...plan(b, null), executions: [{ ...taken.executions[0], functionId: uuidv7() }] };
      const [c, d] = [await receive(), await receive()];

      const plans = await Promise.allSettled([runs.recordPlan(clash), runs.recordPlan(plan(c, null))]);
      expect(plans.map((p) => p.status)).toEqual(['rejected', 'fulfilled']);
      expect(await runs.state(b)).toMatchObject({ status: 'RECEIVED' });

      const good = plan(d, null);
      await runs.recordPlan(good);
      await runs.startExecution(taken.executions[0].id);
      await runs.startExecution(good.executions[0].id);
      const finishes = await Promise.allSettled([
        runs.finishExecution(finished(taken.executions[0].id, a, 2 ** 40)),
        runs.finishExecution(finished(good.executions[0].id, d)),
      ]);
      expect(finishes.map((f) => f.status)).toEqual(['rejected', 'fulfilled']);
      expect(await runs.state(d)).toMatchObject({ status: 'SUCCESS' });
    });
  });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of an EXPLAIN (FORMAT JSON) plan that reads a table, with the table. */
function scans(node: PlanNode): Array<{ node: string; relation: string }> {
  const own = node['Relation Name'] ? [{ node: node['Node Type'], relation: node['Relation Name'] }] : [];
  return [...own, ...(node.Plans ?? []).flatMap(scans)];
}
