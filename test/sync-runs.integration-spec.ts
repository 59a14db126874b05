import { createLogger } from '@hookline/config';
import { RUN_BY_HEADER, Topics } from '@hookline/contracts';
import { eventually } from '@hookline/testing';
import { KafkaBus, type Subscription } from '@hookline/transport';
import { Client } from './harness/http';
import { describeIntegration } from './harness/integration';
import { requireEnv, resetSystem, startDistributedSystem, type System } from './harness/system';

/**
 * The matcher runs the jobs of a sync run itself (one Kafka round trip less for the caller), up to
 * MATCHER_SYNC_RUNS at once; the jobs topic still carries one record per function, the matcher's
 * marked with `hookline-run-by: matcher`, which executors leave alone.
 */
describeIntegration('sync runs in the matcher, on Kafka and PostgreSQL', () => {
  let system: System;
  let client: Client;
  let bus: KafkaBus;
  let subscription: Subscription;
  /** Every hookline.jobs.v1 record published since the suite started, as another consumer sees it. */
  const jobs: Array<{ messageId: string | null; runBy: string | undefined }> = [];
  const jobsOf = (messageId: string, count: number) =>
    eventually(
      () => jobs.filter((job) => job.messageId === messageId),
      (found) => found.length >= count,
      { what: `${count} job records of ${messageId}` },
    );

  beforeAll(async () => {
    system = await startDistributedSystem({ SYNC_TIMEOUT_MS: '10000' }, { matcher: { MATCHER_SYNC_RUNS: '2' } });
    client = new Client(system);
    bus = new KafkaBus({
      brokers: requireEnv('HOOKLINE_IT_KAFKA_BROKERS').split(','),
      clientId: 'sync-runs-test',
      partitions: 3,
      replicationFactor: 1,
      logger: createLogger('test', 'silent'),
    });
    subscription = await bus.subscribe(
      {
        topic: Topics.Jobs,
        groupId: `sync-runs-test-${process.pid}`,
        fromBeginning: false,
        concurrency: 1,
        ephemeral: true,
      },
      async (record) => void jobs.push({ messageId: record.key, runBy: record.headers[RUN_BY_HEADER] }),
    );
    await resetSystem(system);
  });
  afterAll(async () => {
    await subscription?.close();
    await bus?.close();
    await system?.stop();
  });

  const provider = (uri: string) =>
    client.provider({ name: `Anything for ${uri}`, matchScript: `return URI === '${uri}'` });
  const fns = async (providerId: string, uri: string, count: number) => {
    for (let i = 1; i <= count; i++) {
      await client.fn({ name: `${uri}-${i}`, providerId, uri, script: `return ${i}` });
    }
  };

  it('leaves async runs, and sync runs over MATCHER_SYNC_RUNS, to the executors', async () => {
    const { id } = await provider('three');
    await fns(id, 'three', 3);

    const sync = await client.webhook('three', { body: '{}', sync: true });
    expect(sync.status).toBe(200);
    expect(sync.body.executions.map((e: { status: string }) => e.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect((await jobsOf(sync.body.messageId, 3)).map((job) => job.runBy)).toEqual([undefined, undefined, undefined]);

    const async = await client.webhook('three', { body: '{}' });
    expect(async.status).toBe(202);
    expect((await client.settled(async.body.messageId)).status).toBe('SUCCESS');
    expect((await jobsOf(async.body.messageId, 3)).map((job) => job.runBy)).toEqual([undefined, undefined, undefined]);
  });

  it('runs a sync run in the matcher, each function once, while no executor is running', async () => {
    // The executors stop: [ingress, ingress, matcher, executor, executor, admin API].
    for (const executor of system.apps.splice(3, 2)) await executor.close();
    const { id } = await provider('two');
    await fns(id, 'two', 2);

    const res = await client.webhook('two', { body: '{}', sync: true });
    expect(res.status).toBe(200);
    expect(res.body.executions.map((e: { result: number }) => e.result)).toEqual([1, 2]);
    const messageId = res.body.messageId;
    const message = await client.settled(messageId);
    expect(message.status).toBe('SUCCESS');
    expect(message.executions.map((e: { attempt: number; status: string }) => [e.status, e.attempt])).toEqual([
      ['SUCCESS', 1],
      ['SUCCESS', 1],
    ]);
    expect((await jobsOf(messageId, 2)).map((job) => job.runBy)).toEqual(['matcher', 'matcher']);
  });
});
