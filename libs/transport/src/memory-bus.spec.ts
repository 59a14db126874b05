import { createLogger } from '@hookline/config';
import { until } from '@hookline/testing';
import type { IncomingRecord } from './bus';
import { MemoryBus } from './memory-bus';

const logger = createLogger('test', 'silent');
const record = (key: string, n: number) => ({ key, value: Buffer.from(String(n)) });

describe('MemoryBus', () => {
  it('delivers every record once to each group, in key order, and splits partitions among members', async () => {
    const bus = new MemoryBus({ partitions: 4, logger });
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
    const bus = new MemoryBus({ partitions: 1, logger });
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
    const bus = new MemoryBus({ partitions: 1, logger });
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
});
