import { Kafka, logLevel } from 'kafkajs';
import { Client } from './harness/http';
import { describeIntegration } from './harness/integration';
import { requireEnv, resetSystem, startDistributedSystem, type System } from './harness/system';

/** KAFKA.publish is how other consumers get webhook-derived events: it reaches the real broker. */
describeIntegration('KAFKA.publish from a function script', () => {
  const topic = `webhooks.deploys.${Date.now()}`;
  let system: System;
  let kafka: Kafka;

  beforeAll(async () => {
    kafka = new Kafka({ brokers: requireEnv('HOOKLINE_IT_KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    system = await startDistributedSystem({ SCRIPT_KAFKA_TOPICS: 'webhooks.*' });
    await resetSystem(system);
  });
  afterAll(() => system?.stop());

  it('publishes the value as JSON with the origin in headers, and logs the call', async () => {
    const client = new Client(system);
    const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
    await client.fn({
      name: 'Announce',
      providerId: provider.id,
      uri: 'deploy',
      script: `await KAFKA.publish('${topic}', { app: PAYLOAD.app }, { key: PAYLOAD.app, headers: { source: 'test' } }); return 'sent'`,
    });
    const consumer = kafka.consumer({ groupId: `test-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = new Promise<{ key: string; value: unknown; headers: Record<string, string> }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) =>
          resolve({
            key: message.key!.toString(),
            value: JSON.parse(message.value!.toString()),
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          }),
      });
    });

    const res = await client.webhook('deploy', { sync: true, body: '{"app":"web"}' });
    const record = await received;
    await consumer.disconnect();

    expect(res.status).toBe(200);
    expect(record).toEqual({
      key: 'web',
      value: { app: 'web' },
      headers: {
        source: 'test',
        'hookline-message-id': res.body.messageId,
        'hookline-function-id': expect.any(String),
      },
    });
  });
});
