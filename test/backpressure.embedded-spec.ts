import { until } from '@hookline/testing';
import { Client } from './harness/http';
import { startEmbeddedSystem, type System } from './harness/system';

/** SYNC_MAX_LAG: sync requests are refused early while the consumers are behind, then taken again. */
describe('sync requests while the executors are behind (SYNC_MAX_LAG)', () => {
  let system: System;
  let client: Client;

  beforeAll(async () => {
    // One partition and one job at a time: the backlog below takes at least 20 × 200 ms of wall
    // clock however fast the machine is, several of the guard's once-a-second readings.
    system = await startEmbeddedSystem({
      SYNC_MAX_LAG: '3',
      SYNC_TIMEOUT_MS: '20000',
      EXECUTOR_CONCURRENCY: '1',
      KAFKA_TOPIC_PARTITIONS: '1',
    });
    client = new Client(system);
  });
  afterAll(() => system?.stop());

  it('answers 503 sync_busy, storing nothing, while more than SYNC_MAX_LAG records wait, and 200 once caught up', async () => {
    const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
    await client.fn({
      name: 'Slow',
      providerId: provider.id,
      uri: 'slow',
      script: 'const end = Date.now() + 200; while (Date.now() < end) {} return 1',
    });
    const backlog = await Promise.all(Array.from({ length: 20 }, () => client.webhook('slow', { body: '{}' })));
    expect(backlog.every((res) => res.status === 202)).toBe(true);

    let refused: Awaited<ReturnType<Client['webhook']>> | null = null;
    let taken = 0;
    const sync = async (uri: string) => {
      const res = await client.webhook(uri, { body: '{}', sync: true });
      if (res.status !== 503) taken++;
      return res;
    };
    // Probed on a URI without functions: one that is taken is answered by the matcher (404) instead
    // of waiting behind the backlog, so the probes keep coming while the guard reads the lag.
    await until(
      async () => {
        const res = await sync('unrouted');
        if (res.status === 503) refused = res;
        return refused !== null;
      },
      { what: 'a sync request refused while the executor is behind' },
    );
    expect(refused!.body).toMatchObject({ error: 'sync_busy', message: expect.stringContaining('SYNC_MAX_LAG=3') });
    expect(refused!.headers.get('retry-after')).toBe('1');

    for (const res of backlog) await client.settled(res.body.messageId, 60_000);
    await until(async () => (await sync('slow')).status === 200, {
      what: 'a sync request taken once the executor caught up',
      timeoutMs: 30_000,
      intervalMs: 500,
    });
    // The backlog and the sync requests that were taken: none of the refused ones.
    const stored = await system.db.query(`SELECT count(*)::int AS n FROM messages`);
    expect(stored[0].n).toBe(backlog.length + taken);
  }, 120_000);
});

/** EMBEDDED_MAX_BACKLOG: a burst waits in the database, not in the in-process bus, and all of it is run. */
describe('a burst larger than EMBEDDED_MAX_BACKLOG', () => {
  let system: System;
  let client: Client;

  beforeAll(async () => {
    system = await startEmbeddedSystem({
      EMBEDDED_MAX_BACKLOG: '5',
      EXECUTOR_CONCURRENCY: '1',
      KAFKA_TOPIC_PARTITIONS: '1',
    });
    client = new Client(system);
  });
  afterAll(() => system?.stop());

  /** Records the matcher and executors have not handled, as `/metrics` reports them. */
  const pipelineLag = async (): Promise<number> => {
    const text = await (await fetch(`${system.adminUrl}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith('hookline_consumer_lag{'))
      .reduce((sum, line) => sum + Number(line.split(' ')[1]), 0);
  };

  it('accepts every webhook, never hands the matcher and executors much more than the limit, and runs them all', async () => {
    const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
    await client.fn({
      name: 'Slow',
      providerId: provider.id,
      uri: 'burst',
      script: 'const end = Date.now() + 30; while (Date.now() < end) {} return 1',
    });
    let highest = 0;
    let settled = false;
    const watching = (async () => {
      while (!settled) {
        highest = Math.max(highest, await pipelineLag());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      const burst = await Promise.all(Array.from({ length: 100 }, () => client.webhook('burst', { body: '{}' })));
      expect(burst.every((res) => res.status === 202)).toBe(true);
      for (const res of burst) expect((await client.settled(res.body.messageId, 60_000)).status).toBe('SUCCESS');
    } finally {
      settled = true;
      await watching;
    }
    // The ingress and the outbox relay each read the room before handing records over: together
    // they may pass the limit by one batch of the relay's, never by the burst.
    expect(highest).toBeGreaterThan(0);
    expect(highest).toBeLessThanOrEqual(10);
  }, 120_000);
});
