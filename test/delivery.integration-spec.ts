import { createLogger } from '@hookline/config';
import { ConsumerGroups, encodeEvent, Topics, type JobEvent, type MessageReceivedEvent } from '@hookline/contracts';
import { KafkaBus } from '@hookline/transport';
import { Client } from './harness/http';
import { describeIntegration } from './harness/integration';
import { waitUntilConsumed } from './harness/kafka-lag';
import { requireEnv, resetSystem, startDistributedSystem, type System } from './harness/system';

/**
 * At least once, end to end: records that reach the services again (a consumer restarted before
 * committing) neither duplicate records nor re-run finished functions, and a job whose executor
 * died mid-run runs again as a new attempt.
 */
describeIntegration('delivery guarantees on Kafka and PostgreSQL', () => {
  let system: System;
  let client: Client;
  let bus: KafkaBus;
  let brokers: string;

  beforeAll(async () => {
    brokers = requireEnv('HOOKLINE_IT_KAFKA_BROKERS');
    system = await startDistributedSystem();
    client = new Client(system);
    bus = new KafkaBus({
      brokers: brokers.split(','),
      clientId: 'delivery-test',
      partitions: 3,
      replicationFactor: 1,
      logger: createLogger('test', 'silent'),
    });
  });
  afterAll(async () => {
    await bus?.close();
    await system?.stop();
  });
  beforeEach(() => resetSystem(system));

  const consumed = () =>
    waitUntilConsumed(brokers, [
      { groupId: ConsumerGroups.Matcher, topic: Topics.MessagesReceived },
      { groupId: ConsumerGroups.Executor, topic: Topics.Jobs },
    ]);

  /** The records the services handled for a message, rebuilt from what was stored. */
  async function recordsOf(messageId: string): Promise<{ received: MessageReceivedEvent; job: JobEvent }> {
    const [m] = await system.db.query(`SELECT * FROM messages WHERE id = $1`, [messageId]);
    const [e] = await system.db.query(`SELECT * FROM executions WHERE message_id = $1`, [messageId]);
    const request = {
      method: m.method,
      uri: m.uri,
      query: m.query,
      headers: m.headers,
      remoteAddr: m.remote_addr,
      contentType: m.content_type,
      body: Buffer.from(m.body).toString('base64'),
      receivedAt: new Date(m.received_at).toISOString(),
    };
    const runStartedAt = new Date(m.run_started_at).toISOString();
    return {
      received: { messageId, run: 0, runStartedAt, request, replyTo: null, resubmittedBy: null },
      job: {
        executionId: e.id,
        messageId,
        run: 0,
        providerId: m.provider_id,
        functionId: e.function_id,
        runStartedAt,
        request,
        replyTo: null,
      },
    };
  }

  const publish = (topic: string, event: object, key: string) =>
    bus.publish(topic, [{ key, value: encodeEvent(event) }]);

  it('ignores a redelivered message and a redelivered job once the function has finished', async () => {
    const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
    await client.fn({ name: 'Counter', providerId: provider.id, uri: 'once', script: 'LOG.info("ran"); return 1' });
    const res = await client.webhook('once', { sync: true });
    expect(res.status).toBe(200);
    const { received, job } = await recordsOf(res.body.messageId);

    await publish(Topics.MessagesReceived, received, received.messageId);
    await publish(Topics.Jobs, job, job.messageId);
    await publish(Topics.Jobs, job, job.messageId);
    await consumed();

    const message = await client.settled(res.body.messageId);
    expect(message.status).toBe('SUCCESS');
    expect(message.executions).toHaveLength(1);
    expect(message.executions[0]).toMatchObject({
      attempt: 1,
      status: 'SUCCESS',
      logs: [expect.objectContaining({ text: 'ran' })],
    });
  });

  it('runs a job again as a new attempt when its executor died mid-run', async () => {
    const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
    await client.fn({ name: 'Deploy', providerId: provider.id, uri: 'crash', script: 'return "deployed"' });
    const res = await client.webhook('crash', { sync: true });
    expect(res.status).toBe(200);
    const { job } = await recordsOf(res.body.messageId);
    // What an executor that died after starting leaves behind: the execution RUNNING, the run open.
    await system.db.query(`UPDATE executions SET status = 'RUNNING', finished_at = NULL, result = NULL WHERE id = $1`, [
      job.executionId,
    ]);
    await system.db.query(
      `UPDATE messages SET status = 'PROCESSING', pending_jobs = 1, failed_jobs = 0 WHERE id = $1`,
      [job.messageId],
    );

    await publish(Topics.Jobs, job, job.messageId);
    await consumed();

    const message = await client.settled(res.body.messageId);
    expect(message.status).toBe('SUCCESS');
    expect(message.executions).toHaveLength(1);
    expect(message.executions[0]).toMatchObject({ attempt: 2, status: 'SUCCESS', result: 'deployed' });
  });

  it('re-emits the unfinished jobs of a plan when the message is redelivered before they ran', async () => {
    const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
    await client.fn({ name: 'A', providerId: provider.id, uri: 'plan', script: 'return "a"' });
    const res = await client.webhook('plan', { sync: true });
    const { received, job } = await recordsOf(res.body.messageId);
    // A matcher that recorded its plan and died before its jobs reached the broker.
    await system.db.query(`UPDATE executions SET status = 'PENDING', attempt = 0, finished_at = NULL WHERE id = $1`, [
      job.executionId,
    ]);
    await system.db.query(
      `UPDATE messages SET status = 'PROCESSING', pending_jobs = 1, failed_jobs = 0 WHERE id = $1`,
      [job.messageId],
    );

    await publish(Topics.MessagesReceived, received, received.messageId);
    await consumed();

    const message = await client.settled(res.body.messageId);
    expect(message.status).toBe('SUCCESS');
    expect(message.executions).toHaveLength(1);
    expect(message.executions[0]).toMatchObject({ attempt: 1, status: 'SUCCESS', result: 'a' });
  });
});
