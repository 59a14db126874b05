import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { MessageStatus } from '@hookline/contracts';
import { createDataSource, MessageStore, openDatabase, RunStore, type RunPlan } from '@hookline/persistence';
import { describeIntegration } from './harness/integration';
import { requireEnv } from './harness/system';
import { newMessage } from '@hookline/persistence/testing';

describeIntegration('deduplication on PostgreSQL, with matchers racing', () => {
  let a: DataSource;
  let b: DataSource;

  beforeAll(async () => {
    const config = { databaseUrl: requireEnv('HOOKLINE_IT_DATABASE_URL'), dataDir: '' };
    a = await openDatabase(createDataSource(config, 10));
    b = await openDatabase(createDataSource(config, 10));
  });
  afterAll(async () => {
    await a?.query(`DELETE FROM messages WHERE uri = 'dedup/race'`);
    await a?.destroy();
    await b?.destroy();
  });

  it('makes exactly one of many concurrent deliveries of one id the original', async () => {
    const providerId = uuidv7();
    const key = `${providerId}:race-${Date.now()}`;
    const ids = Array.from({ length: 20 }, () => uuidv7());
    await new MessageStore(a).insertMany(ids.map((id) => newMessage({ id, uri: 'dedup/race' })));
    const stores = [new RunStore(a), new RunStore(b)];
    const plan = (messageId: string): RunPlan => ({
      messageId,
      run: 0,
      status: MessageStatus.Processing,
      providerId,
      providerName: 'GitHub',
      message: null,
      matchLog: [],
      executions: [{ id: uuidv7(), functionId: uuidv7(), functionName: 'deploy' }],
      resubmittedBy: null,
      dedup: { key, header: 'X-GitHub-Delivery', value: 'race', windowSeconds: 60 },
    });

    // Two "matchers" (connection pools) plan every delivery at once, in shuffled order.
    const order = [...ids].sort(() => Math.random() - 0.5);
    const recorded = await Promise.all(order.map((id, i) => stores[i % 2].recordPlan(plan(id))));

    const originals = recorded.filter((r) => r?.status === MessageStatus.Processing).map((r) => r!.messageId);
    expect(originals).toHaveLength(1);
    const rows: Array<{ id: string; status: string; duplicate_of: string | null; jobs: number }> = await a.query(
      `SELECT m.id, m.status, m.duplicate_of, (SELECT count(*)::int FROM executions e WHERE e.message_id = m.id) AS jobs
         FROM messages m WHERE m.id = ANY($1::uuid[])`,
      [ids],
    );
    const [original] = originals;
    for (const row of rows) {
      if (row.id === original) expect(row).toMatchObject({ status: 'PROCESSING', duplicate_of: null, jobs: 1 });
      else expect(row).toMatchObject({ status: 'DUPLICATE', duplicate_of: original, jobs: 0 });
    }
  });
});
