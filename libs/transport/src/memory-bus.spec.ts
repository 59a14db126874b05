import { createLogger } from '@hookline/config';
import { until } from '@hookline/testing';
import { UnknownTopicError, type IncomingRecord } from './bus';
import { MemoryBus } from './memory-bus';

const logger = createLogger('test', 'silent');
const record = (key: string, n: number) => ({ key, value: Buffer.from(String(n)) });

async function busWithTopic(partitions: number, options: { unreadRetentionBytes?: number } = {}): Promise<MemoryBus> {
  const bus = new MemoryBus({ partitions, logger, ...options });
  await bus.provision(['t']);
  return bus;
}

describe('MemoryBus', () => {
  it('delivers every record once to each group, in key order, and splits partitions among members', async () => {
    const bus = await busWithTopic(4);
    const a: IncomingRecord[] = [];
    const b: IncomingRecord[] = [];
    const other: IncomingRecord[] = [];
    const options = { topic: 't', groupId: 'g', fromBeginning: true, concurrency: 1 };
    await bus.subscribe(options, async (r) => void a.push(r));
    await bus.subscribe(options, async (r) => void b.push(r));
    await bus.subscribe({ ...options, groupId: 'other' }, async (r) => void other.push(r));

    await bus.publish(
      't',
      Array.from({ length: 40 }, (_, n) => record(`k${n % 8}`, n)),
    );
    await until(() => a.length + b.length >= 40 && other.length >= 40, { what: '40 records in each group' });

    expect(a.length + b.length).toBe(40);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(other).toHaveLength(40);
    const k0 = other.filter((r) => r.key === 'k0').map((r) => Number(r.value!.toString()));
    expect(k0).toEqual([...k0].sort((x, y) => x - y));
  });

  it('delivers a record again when its handler throws, and commits only after success', async () => {
    const bus = await busWithTopic(1);
    const seen: string[] = [];
    let failures = 1;
    await bus.subscribe({ topic: 't', groupId: 'g', fromBeginning: true, concurrency: 1 }, async (r) => {
      seen.push(r.value!.toString());
      if (failures-- > 0) throw new Error('database down');
    });

    await bus.publish('t', [record('k', 1), record('k', 2)]);
    await until(() => seen.length >= 3, { what: 'the redelivery and the next record' });

    expect(seen).toEqual(['1', '1', '2']);
  });

  it('starts a new group at the end unless it asks for the beginning', async () => {
    const bus = await busWithTopic(1);
    await bus.subscribe({ topic: 't', groupId: 'early', fromBeginning: true, concurrency: 1 }, async () => undefined);
    await bus.publish('t', [record('k', 1)]);
    const late: string[] = [];
    const fromStart: string[] = [];

    await bus.subscribe(
      { topic: 't', groupId: 'late', fromBeginning: false, concurrency: 1 },
      async (r) => void late.push(r.value!.toString()),
    );
    await bus.subscribe(
      { topic: 't', groupId: 'blocker', fromBeginning: true, concurrency: 1 },
      async (r) => void fromStart.push(r.value!.toString()),
    );
    await bus.publish('t', [record('k', 2)]);
    await until(() => late.length > 0 && fromStart.length > 0, { what: 'record 2 in both groups' });

    expect(late).toEqual(['2']);
    expect(fromStart).toEqual(['2']); // record 1 was dropped once every group then known had handled it
  });

  it('keeps at most unreadRetentionBytes per partition of a topic nobody reads, the newest records', async () => {
    const bytes = record('k', 10).value.length + 128 + 1; // recordBytes of one record
    const bus = await busWithTopic(1, { unreadRetentionBytes: 3 * bytes });
    await bus.publish(
      't',
      Array.from({ length: 50 }, (_, n) => record('k', 10 + n)),
    );
    const seen: string[] = [];

    await bus.subscribe(
      { topic: 't', groupId: 'g', fromBeginning: true, concurrency: 1 },
      async (r) => void seen.push(r.value!.toString()),
    );
    await until(() => seen.length >= 3, { what: 'the retained records' });

    expect(seen).toEqual(['57', '58', '59']);
    expect(await bus.consumerLag([{ groupId: 'g', topic: 't' }])).toEqual([
      { groupId: 'g', topic: 't', partition: 0, lag: 0 },
    ]);
  });

  it('keeps the newest record of a partition nobody reads even when it alone is over the retention', async () => {
    const bus = await busWithTopic(1, { unreadRetentionBytes: 1 });
    await bus.publish('t', [record('k', 1), record('k', 2)]);
    const seen: string[] = [];

    await bus.subscribe(
      { topic: 't', groupId: 'g', fromBeginning: true, concurrency: 1 },
      async (r) => void seen.push(r.value!.toString()),
    );
    await until(() => seen.length >= 1, { what: 'the newest record' });

    expect(seen).toEqual(['2']);
  });

  it("holds a record in memory of its own, not a slice of the publisher's pooled buffer", async () => {
    const bus = await busWithTopic(1);
    const published = Buffer.from('{"pooled":true}');
    expect(published.buffer.byteLength).toBeGreaterThan(published.length); // Node's Buffer pool
    await bus.publish('t', [{ key: 'k', value: published }]);
    published.write('X');
    const seen: Buffer[] = [];

    await bus.subscribe(
      { topic: 't', groupId: 'g', fromBeginning: true, concurrency: 1 },
      async (r) => void seen.push(r.value!),
    );
    await until(() => seen.length >= 1, { what: 'the record' });

    expect(seen[0].toString()).toBe('{"pooled":true}');
    expect(seen[0].buffer.byteLength).toBe(seen[0].length);
  });

  it('refuses topics that were never provisioned, naming them', async () => {
    const bus = await busWithTopic(1);

    await expect(bus.publish('nope', [record('k', 1)])).rejects.toThrow(UnknownTopicError);
    await expect(bus.publish('nope', [record('k', 1)])).rejects.toThrow("topic 'nope' does not exist");
    await expect(
      bus.subscribe({ topic: 'nope', groupId: 'g', fromBeginning: true, concurrency: 1 }, async () => undefined),
    ).rejects.toThrow(UnknownTopicError);
  });
});
