import { createLogger, loadConfig } from '@hookline/config';
import { MemoryBus, type IncomingRecord } from '@hookline/transport';
import { KafkaPublisher } from './kafka-publisher';

describe('KafkaPublisher', () => {
  const origin = { messageId: 'm-1', functionId: 'f-1' };

  async function setup(topics: string) {
    const bus = new MemoryBus({ partitions: 1, logger: createLogger('test', 'silent') });
    await bus.provision(['webhooks.deploys']);
    const received: IncomingRecord[] = [];
    await bus.subscribe(
      { topic: 'webhooks.deploys', groupId: 'test', fromBeginning: true, concurrency: 1 },
      async (r) => {
        received.push(r);
      },
    );
    return { publisher: new KafkaPublisher(loadConfig({ SCRIPT_KAFKA_TOPICS: topics }), bus), received };
  }

  it('publishes JSON to an allowed topic with the message id as default key and origin headers', async () => {
    const { publisher, received } = await setup('webhooks.*');

    await publisher.publish({ topic: 'webhooks.deploys', value: { sha: 'abc' }, headers: { source: 'test' } }, origin);
    await new Promise((resolve) => setImmediate(resolve));

    expect(received).toHaveLength(1);
    expect(received[0].key).toBe('m-1');
    expect(JSON.parse(received[0].value!.toString())).toEqual({ sha: 'abc' });
    expect(received[0].headers).toEqual({
      source: 'test',
      'hookline-message-id': 'm-1',
      'hookline-function-id': 'f-1',
    });
  });

  it("refuses topics that are not allowed, and always Hookline's own", async () => {
    const { publisher } = await setup('*');
    const strict = (await setup('webhooks.deploys')).publisher;

    await expect(strict.publish({ topic: 'other', value: 1 }, origin)).rejects.toThrow(
      "topic 'other' is not allowed; list it in SCRIPT_KAFKA_TOPICS",
    );
    await expect(publisher.publish({ topic: 'hookline.jobs.v1', value: 1 }, origin)).rejects.toThrow(
      'belongs to Hookline itself',
    );
  });
});
