import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { HistoryFilter } from './history-filter';
import { HistoryStore } from './history.store';
import { SEARCH_SCAN_BUDGET } from './keyset-page';
import { messageCountQuery } from './message-query';

interface SeedExecution {
  functionId: string;
  functionName?: string;
  tryNo?: number;
  status?: string;
  message?: string | null;
  error?: string | null;
  run?: number;
  resubmittedBy?: string | null;
}

interface SeedMessage {
  uri: string;
  /** The id's time; receivedAt too unless given. */
  at?: Date;
  receivedAt?: Date;
  status?: string;
  providerId?: string | null;
  providerName?: string | null;
  message?: string | null;
  run?: number;
  /** When the latest run started; receivedAt unless given. */
  runStartedAt?: Date;
  /** The last status change; now unless given. */
  updatedAt?: Date;
  resubmittedBy?: string | null;
  executions?: SeedExecution[];
}

/**
 * What the message and execution history mean by each filter, on the database `open` gives (PGlite
 * in the unit project, PostgreSQL in the integration project). Each test works in URIs of its own.
 */
export function historyStoreBehaviour(open: () => Promise<{ db: DataSource; close: () => Promise<void> }>): void {
  let db: DataSource;
  let close: () => Promise<void>;
  let history: HistoryStore;

  beforeAll(async () => {
    ({ db, close } = await open());
    history = new HistoryStore(db);
  }, 60_000);

  afterAll(async () => {
    await close?.();
  });

  /** Stores messages in the order given (oldest first), with their executions; returns their ids. */
  const seed = async (messages: SeedMessage[]): Promise<string[]> => {
    const ids: string[] = [];
    for (const m of messages) {
      const id = m.at ? uuidv7({ msecs: m.at.getTime() }) : uuidv7();
      const receivedAt = m.receivedAt ?? m.at ?? new Date();
      await db.query(
        `INSERT INTO messages (id, method, uri, query, headers, remote_addr, body, received_at, status, provider_id,
                               provider_name, message, run_started_at, run, updated_at, resubmitted_by)
         VALUES ($1, 'POST', $2, '{}', '{}', '203.0.113.9', '\\x', $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          id,
          m.uri,
          receivedAt.toISOString(),
          m.status ?? 'SUCCESS',
          m.providerId ?? null,
          m.providerName ?? null,
          m.message ?? null,
          (m.runStartedAt ?? receivedAt).toISOString(),
          m.run ?? 0,
          (m.updatedAt ?? new Date()).toISOString(),
          m.resubmittedBy ?? null,
        ],
      );
      for (const e of m.executions ?? []) {
        await db.query(
          `INSERT INTO executions (id, message_id, run, function_id, function_name, status, attempt, message, error,
                                   duration_ms, resubmitted_by, try_no)
           VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, 10, $9, $10)`,
          [
            uuidv7(),
            id,
            e.run ?? 0,
            e.functionId,
            e.functionName ?? 'fn',
            e.status ?? 'SUCCESS',
            e.message ?? null,
            e.error ?? null,
            e.resubmittedBy ?? null,
            e.tryNo ?? 1,
          ],
        );
      }
      ids.push(id);
    }
    return ids;
  };

  /** `count` messages in one statement, oldest first, ids a millisecond apart ending a minute ago. */
  const seedMany = async (uri: string, count: number): Promise<void> => {
    const last = Date.now() - 60_000;
    await db.query(
      `INSERT INTO messages (id, method, uri, query, headers, remote_addr, body, received_at, status, run_started_at)
       SELECT (lpad(to_hex($3::bigint - $2::bigint + i), 12, '0') || '7000' || '8' || lpad(to_hex(i), 15, '0'))::uuid,
              'POST', $1, '{}', '{}', '203.0.113.9', '\\x', to_timestamp(($3::bigint - $2::bigint + i) / 1000.0),
              'SUCCESS', now()
         FROM generate_series(1, $2::int) AS i`,
      [uri, count, last],
    );
  };

  /** Every page's ids, following nextCursor. */
  const allMessageIds = async (filter: HistoryFilter, limit = 2): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await history.messages(filter, { cursor, limit });
      ids.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  };

  const messageIds = async (filter: HistoryFilter, limit = 50) =>
    (await history.messages(filter, { limit })).items.map((m) => m.id);

  const count = async (filter: HistoryFilter): Promise<number> => {
    const query = messageCountQuery(filter);
    return (await db.query(query.text, query.params))[0].count;
  };

  describe('messages', () => {
    it('pages newest first and says when the last page is reached', async () => {
      const ids = await seed(Array.from({ length: 5 }, () => ({ uri: 'h/paging' })));

      expect(await allMessageIds({ uri: 'h/paging' })).toEqual([...ids].reverse());
      const last = await history.messages({ uri: 'h/paging' }, { cursor: ids[1], limit: 1 });
      expect(last).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    });

    it('maps a summary', async () => {
      const providerId = uuidv7();
      const at = new Date('2025-03-04T05:06:07.089Z');
      const [id] = await seed([
        {
          uri: 'h/summary',
          at,
          updatedAt: new Date(at.getTime() + 5),
          status: 'FAILED',
          providerId,
          providerName: 'github',
          message: 'one failed',
        },
      ]);

      expect((await history.messages({ uri: 'h/summary' }, { limit: 5 })).items).toEqual([
        {
          id,
          method: 'POST',
          uri: 'h/summary',
          receivedAt: at,
          status: 'FAILED',
          providerId,
          providerName: 'github',
          message: 'one failed',
          remoteAddr: '203.0.113.9',
          run: 0,
          functions: [],
          durationMs: 5,
          resubmittedBy: null,
        },
      ]);
    });

    it("lists the functions of each message's latest run, how long that run took and who resubmitted it", async () => {
      const [deploy, notify] = [uuidv7(), uuidv7()];
      const at = new Date('2025-03-04T05:06:07.000Z');
      const [first, resubmitted, running] = await seed([
        {
          uri: 'h/columns',
          at,
          updatedAt: new Date(at.getTime() + 1_250),
          executions: [
            { functionId: deploy, functionName: 'deploy' },
            { functionId: notify, functionName: 'notify', status: 'FAILED' },
            // Tried again by its retry policy: the list shows how the last try stands, in the first's place.
            { functionId: deploy, functionName: 'deploy', tryNo: 2, status: 'PENDING' },
          ],
        },
        {
          uri: 'h/columns',
          at: new Date(at.getTime() + 1),
          run: 1,
          runStartedAt: new Date(at.getTime() + 60_000),
          updatedAt: new Date(at.getTime() + 60_040),
          resubmittedBy: 'ops-token',
          executions: [
            { functionId: deploy, functionName: 'deploy', status: 'FAILED' },
            { functionId: deploy, functionName: 'deploy', run: 1 },
          ],
        },
        {
          uri: 'h/columns',
          at: new Date(at.getTime() + 2),
          status: 'PROCESSING',
          executions: [{ functionId: deploy, functionName: 'deploy', status: 'RUNNING' }],
        },
      ]);

      const { items } = await history.messages({ uri: 'h/columns' }, { limit: 5 });

      expect(
        items.map(({ id, run, functions, durationMs, resubmittedBy }) => ({
          id,
          run,
          functions,
          durationMs,
          resubmittedBy,
        })),
      ).toEqual([
        {
          id: running,
          run: 0,
          functions: [{ id: deploy, name: 'deploy', status: 'RUNNING' }],
          durationMs: null,
          resubmittedBy: null,
        },
        {
          id: resubmitted,
          run: 1,
          functions: [{ id: deploy, name: 'deploy', status: 'SUCCESS' }],
          durationMs: 40,
          resubmittedBy: 'ops-token',
        },
        {
          id: first,
          run: 0,
          functions: [
            { id: deploy, name: 'deploy', status: 'PENDING' },
            { id: notify, name: 'notify', status: 'FAILED' },
          ],
          durationMs: 1_250,
          resubmittedBy: null,
        },
      ]);
    });

    it('filters by status, provider, URI and function, all together', async () => {
      const [github, gitlab, deploy, notify] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
      const ids = await seed([
        { uri: 'h/filters/a', status: 'FAILED', providerId: github, executions: [{ functionId: deploy }] },
        {
          uri: 'h/filters/a',
          status: 'SUCCESS',
          providerId: github,
          executions: [{ functionId: deploy }, { functionId: notify }],
        },
        { uri: 'h/filters/b', status: 'FAILED', providerId: gitlab, executions: [{ functionId: notify }] },
        { uri: 'h/filters/b', status: 'UNMATCHED' },
      ]);

      expect(await messageIds({ providerId: github })).toEqual([ids[1], ids[0]]);
      expect(await messageIds({ providerId: github, status: 'FAILED' })).toEqual([ids[0]]);
      expect(await messageIds({ uri: 'h/filters/b' })).toEqual([ids[3], ids[2]]);
      expect(await messageIds({ functionId: notify })).toEqual([ids[2], ids[1]]);
      expect(await messageIds({ functionId: deploy, status: 'SUCCESS' })).toEqual([ids[1]]);
      expect(await messageIds({ functionId: notify, uri: 'h/filters/a', providerId: gitlab })).toEqual([]);
    });

    it('lists a message once however many executions of the function it has', async () => {
      const fn = uuidv7();
      const [id] = await seed([
        { uri: 'h/runs', executions: [{ functionId: fn }, { functionId: fn, run: 1, resubmittedBy: 'admin' }] },
      ]);

      expect(await messageIds({ functionId: fn })).toEqual([id]);
    });

    it('takes from as inclusive and to as exclusive, on receivedAt', async () => {
      const t = Date.parse('2025-06-01T12:00:00.000Z');
      const ids = await seed([
        { uri: 'h/time', at: new Date(t - 1) },
        { uri: 'h/time', at: new Date(t) },
        { uri: 'h/time', at: new Date(t + 3_600_000 - 1) },
        { uri: 'h/time', at: new Date(t + 3_600_000) },
      ]);

      const range = { uri: 'h/time', from: new Date(t), to: new Date(t + 3_600_000) };
      expect(await messageIds(range)).toEqual([ids[2], ids[1]]);
      expect(await messageIds({ uri: 'h/time', from: new Date(t + 3_600_000) })).toEqual([ids[3]]);
      expect(await messageIds({ uri: 'h/time', to: new Date(t) })).toEqual([ids[0]]);
    });

    it('goes by receivedAt when the id was made a little earlier', async () => {
      const t = Date.parse('2025-06-02T12:00:00.000Z');
      // The ingress reads the clock for the id, then again for receivedAt.
      const [id] = await seed([{ uri: 'h/skew', at: new Date(t - 3), receivedAt: new Date(t) }]);

      expect(await messageIds({ uri: 'h/skew', from: new Date(t) })).toEqual([id]);
      expect(await messageIds({ uri: 'h/skew', to: new Date(t) })).toEqual([]);
    });

    describe('text search', () => {
      let ids: string[];
      const search = (q: string, filter: HistoryFilter = {}) => messageIds({ uri: undefined, ...filter, q });

      beforeAll(async () => {
        ids = await seed([
          { uri: 'h/search/git/push', status: 'UNMATCHED', message: 'no active provider matched' },
          {
            uri: 'h/search/jira',
            executions: [{ functionId: uuidv7(), message: 'Deployed build 4242 to production' }],
          },
          {
            uri: 'h/search/jira',
            status: 'FAILED',
            executions: [{ functionId: uuidv7(), status: 'FAILED', error: 'Error: deploy service answered 503' }],
          },
          { uri: 'h/search/other', message: 'nothing to see' },
        ]);
      });

      it('finds words of the message text, its URI and its executions', async () => {
        expect(await search('provider matched')).toEqual([ids[0]]);
        expect(await search('h/search/git/push')).toEqual([ids[0]]);
        expect(await search('push')).toEqual([ids[0]]);
        expect(await search('4242')).toEqual([ids[1]]);
        expect(await search('answered 503')).toEqual([ids[2]]);
      });

      it('takes every word as a prefix, whatever its case, and needs them all', async () => {
        expect(await search('DEPLOY')).toEqual([ids[2], ids[1]]);
        expect(await search('depl produc')).toEqual([ids[1]]);
        expect(await search('deploy 503', { uri: 'h/search/jira' })).toEqual([ids[2]]);
        expect(await search('deploy xyzzy')).toEqual([]);
      });

      it('combines with the other filters', async () => {
        expect(await search('deploy', { status: 'FAILED' })).toEqual([ids[2]]);
        expect(await search('deploy', { uri: 'h/search/other' })).toEqual([]);
      });

      it('counts the same messages it lists', async () => {
        expect(await count({ q: 'deploy' })).toBe(2);
        expect(await count({ q: 'deploy', status: 'FAILED' })).toBe(1);
      });
    });

    describe(`text search beyond the ${SEARCH_SCAN_BUDGET} newest messages`, () => {
      const uri = 'h/deep';
      let matching: string[];

      beforeAll(async () => {
        // Two old matches, then more non-matching messages than one search reads one by one.
        matching = await seed([
          { uri, at: new Date(Date.now() - 3_600_000), message: 'rare needle here' },
          {
            uri,
            at: new Date(Date.now() - 3_500_000),
            executions: [{ functionId: uuidv7(), status: 'FAILED', error: 'needle in an execution' }],
          },
        ]);
        await seedMany(uri, SEARCH_SCAN_BUDGET + 500);
      }, 60_000);

      it('finds rare words through the indexes, in order, page by page', async () => {
        expect(await messageIds({ uri, q: 'needle' })).toEqual([matching[1], matching[0]]);
        expect(await allMessageIds({ uri, q: 'needle' }, 1)).toEqual([matching[1], matching[0]]);
        expect(await count({ uri, q: 'needle' })).toBe(2);
      });

      it('finds common words among the newest messages', async () => {
        const page = await history.messages({ uri, q: 'h/deep' }, { limit: 3 });

        expect(page.items).toHaveLength(3);
        expect(page.items.map((m) => m.id)).toEqual(
          (await history.messages({ uri }, { limit: 3 })).items.map((m) => m.id),
        );
      });

      it('finds nothing when nothing matches', async () => {
        expect(await history.messages({ uri, q: 'xyzzy' }, { limit: 10 })).toEqual({ items: [], nextCursor: null });
      });
    });
  });

  describe('status counts', () => {
    it('counts messages per bucket and status, from inclusive and to exclusive, on receivedAt', async () => {
      const provider = uuidv7();
      const from = new Date('2024-03-03T08:00:00.000Z');
      const at = (ms: number) => new Date(from.getTime() + ms);
      await seed([
        { uri: 'h/stats', at: at(-1) },
        { uri: 'h/stats', at: at(0), providerId: provider },
        { uri: 'h/stats', at: at(59_999), status: 'FAILED', providerId: provider },
        { uri: 'h/stats', at: at(60_000), providerId: provider },
        { uri: 'h/stats', at: at(61_000), providerId: provider },
        { uri: 'h/stats', at: at(61_000), receivedAt: at(120_000), providerId: provider },
        { uri: 'h/stats-other', at: at(1000), providerId: provider },
      ]);

      const counts = await history.statusCounts(
        { uri: 'h/stats', providerId: provider, from, to: at(120_000) },
        60_000,
      );

      expect(counts).toEqual([
        { bucket: 0, status: 'FAILED', count: 1 },
        { bucket: 0, status: 'SUCCESS', count: 1 },
        { bucket: 1, status: 'SUCCESS', count: 2 },
      ]);
    });
  });

  describe('executions', () => {
    it('lists executions newest first with their message URI and provider, filtered', async () => {
      const [github, deploy, notify] = [uuidv7(), uuidv7(), uuidv7()];
      const [first, second] = await seed([
        {
          uri: 'h/executions',
          providerId: github,
          providerName: 'github',
          executions: [{ functionId: deploy, status: 'FAILED', error: 'boom: timed out' }],
        },
        {
          uri: 'h/executions',
          providerId: github,
          providerName: 'github',
          message: 'retried',
          executions: [{ functionId: notify }],
        },
      ]);

      const all = await history.executions({ uri: 'h/executions' }, { limit: 10 });
      expect(all.items.map((e) => [e.messageId, e.functionId])).toEqual([
        [second, notify],
        [first, deploy],
      ]);
      expect(all.items[1]).toEqual({
        id: expect.any(String),
        messageId: first,
        functionId: deploy,
        functionName: 'fn',
        status: 'FAILED',
        message: null,
        durationMs: 10,
        attempt: 1,
        try: 1,
        run: 0,
        startedAt: null,
        finishedAt: null,
        resubmittedBy: null,
        uri: 'h/executions',
        providerId: github,
        providerName: 'github',
      });
      const ids = async (filter: HistoryFilter) =>
        (await history.executions(filter, { limit: 10 })).items.map((e) => e.messageId);
      expect(await ids({ providerId: github, status: 'FAILED' })).toEqual([first]);
      expect(await ids({ functionId: notify })).toEqual([second]);
      expect(await ids({ providerId: github, q: 'timed' })).toEqual([first]);
      expect(await ids({ providerId: github, q: 'retried' })).toEqual([second]);
      expect(await ids({ providerId: github, from: new Date(Date.now() + 60_000) })).toEqual([]);

      const page = await history.executions({ providerId: github }, { limit: 1 });
      const next = await history.executions({ providerId: github }, { cursor: page.nextCursor!, limit: 1 });
      expect([page.items[0].messageId, next.items[0].messageId, next.nextCursor]).toEqual([second, first, null]);
    });
  });
}
