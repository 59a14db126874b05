import { createLogger } from '@hookline/config';
import { decodeEvent, Topics, type DeadLetterEvent } from '@hookline/contracts';
import type { Bus, IncomingRecord, OutgoingRecord } from './bus';
import { withBoundedRedelivery } from './redelivery';

const logger = createLogger('test', 'silent');
const record: IncomingRecord = {
  topic: 'hookline.jobs.v1',
  partition: 2,
  offset: '41',
  key: '01a23225-fc0b-71db-935c-c7e60f408979',
  value: Buffer.from('{"x":1}'),
  headers: { 'hookline-schema': 'hookline.jobs.v1' },
};

function setup(options: { healthy?: boolean; failures: number }) {
  const published: Array<{ topic: string; records: OutgoingRecord[] }> = [];
  const handled: DeadLetterEvent[] = [];
  let calls = 0;
  const bus = { publish: async (topic: string, records: OutgoingRecord[]) => void published.push({ topic, records }) };
  const handler = withBoundedRedelivery(
    async () => {
      if (calls++ < options.failures) throw new Error(`failure ${calls}`);
    },
    {
      groupId: 'hookline-executor',
      policy: { maxAttempts: 3, backoffMs: 1, maxBackoffMs: 2 },
      bus: bus as unknown as Bus,
      healthy: async () => options.healthy ?? true,
      deadLetters: { handle: async (deadLetter) => void handled.push(deadLetter) },
      logger,
    },
  );
  return { handler, published, handled, calls: () => calls };
}

describe('withBoundedRedelivery', () => {
  it('retries a failing record and carries on once it succeeds', async () => {
    const { handler, published, calls } = setup({ failures: 2 });

    await handler(record);

    expect(calls()).toBe(3);
    expect(published).toEqual([]);
  });

  it('dead-letters a record that fails every attempt while the system is healthy, and lets it be committed', async () => {
    const { handler, published, handled, calls } = setup({ failures: 100 });

    await expect(handler(record)).resolves.toBeUndefined();

    expect(calls()).toBe(3);
    expect(published).toHaveLength(1);
    expect(published[0].topic).toBe(Topics.DeadLetters);
    expect(published[0].records[0].key).toBe(record.key);
    const event = decodeEvent<DeadLetterEvent>(published[0].records[0].value);
    expect(event).toMatchObject({
      groupId: 'hookline-executor',
      sourceTopic: 'hookline.jobs.v1',
      partition: 2,
      offset: '41',
      messageId: record.key,
      attempts: 3,
      error: 'Error: failure 3',
      headers: record.headers,
    });
    expect(Buffer.from(event.value!, 'base64').toString()).toBe('{"x":1}');
    expect(handled).toEqual([event]);
  });

  it('hands the record back to the bus, not to the dead letters, while the system is unhealthy', async () => {
    const { handler, published, handled, calls } = setup({ failures: 100, healthy: false });

    await expect(handler(record)).rejects.toThrow('failure 2');

    expect(calls()).toBe(2); // the last attempt waits for a system that answers
    expect(published).toEqual([]);
    expect(handled).toEqual([]);
  });

  it('does not blame the record for failures seen during an outage that ended before its last attempt', async () => {
    let down = true;
    const published: unknown[] = [];
    const handler = withBoundedRedelivery(
      async () => {
        if (down) throw new Error('connect ECONNREFUSED');
      },
      {
        groupId: 'hookline-matcher',
        policy: { maxAttempts: 3, backoffMs: 1, maxBackoffMs: 2 },
        bus: {
          publish: async (_topic: string, records: OutgoingRecord[]) => void published.push(records),
        } as unknown as Bus,
        // The broker is back by the time anyone asks.
        healthy: async () => {
          down = false;
          return true;
        },
        logger,
      },
    );

    await expect(handler(record)).resolves.toBeUndefined();

    expect(published).toEqual([]);
  });
});
