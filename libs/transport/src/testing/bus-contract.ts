import { randomUUID } from 'node:crypto';
import { eventually, until } from '@hookline/testing';
import { UnknownTopicError, type Bus, type IncomingRecord } from '../bus';
import { MAX_RECORD_BYTES, RecordRefusedError } from '../record-limits';

/** What a contract test needs of a bus under test: fresh topics and groups for each test. */
export interface BusUnderTest {
  bus: Bus;
  /** A topic of its own for one test, created. */
  topic(): Promise<string>;
  /** A consumer group name used nowhere else. */
  group(): string;
}

const record = (key: string, n: number) => ({ key, value: Buffer.from(String(n)) });
const numbers = (records: IncomingRecord[], key: string) =>
  records.filter((r) => r.key === key).map((r) => Number(r.value?.toString()));

/**
 * The Bus contract Hookline's services rely on, for every implementation (Kafka and in process):
 * each group gets every record, same-key records in order; a failed handler gets its record again
 * before the records behind it; a slow handler holds up no other partition; a record over the
 * limit is refused whole; close waits for handlers and commits what they handled;
 * a topic nobody reads yet keeps its records for a group that subscribes later from the beginning;
 * a topic never provisioned can be neither published to nor subscribed to.
 */
export function busContract(start: () => Promise<BusUnderTest>, stop: (bus: Bus) => Promise<void>): void {
  let t: BusUnderTest;

  beforeEach(async () => {
    t = await start();
  }, 120_000);
  afterEach(async () => {
    if (t) await stop(t.bus);
  }, 120_000);

  it('gives each group every record once, records of a key in the order they were published', async () => {
    const topic = await t.topic();
    const seen = new Map<string, IncomingRecord[]>([
      ['a', []],
      ['b', []],
    ]);
    for (const [name, records] of seen) {
      await t.bus.subscribe(
        { topic, groupId: `${t.group()}-${name}`, fromBeginning: true, concurrency: 4 },
        async (r) => void records.push(r),
      );
    }

    for (let n = 0; n < 30; n++) await t.bus.publish(topic, [record(`k${n % 3}`, n)]);

    for (const records of seen.values()) {
      await until(() => records.length >= 30, { what: 'every record', timeoutMs: 60_000 });
      expect(records).toHaveLength(30);
      for (const key of ['k0', 'k1', 'k2']) {
        const expected = Array.from({ length: 10 }, (_, i) => i * 3 + Number(key.slice(1)));
        expect(numbers(records, key)).toEqual(expected);
      }
    }
  }, 120_000);

  it('gives a record whose handler failed again, before the records behind it on its key', async () => {
    const topic = await t.topic();
    const handled: number[] = [];
    let failures = 0;
    await t.bus.subscribe({ topic, groupId: t.group(), fromBeginning: true, concurrency: 1 }, async (r) => {
      const n = Number(r.value?.toString());
      if (n === 1 && failures++ === 0) throw new Error('the first try of record 1 fails');
      handled.push(n);
    });

    await t.bus.publish(topic, [record('k', 0), record('k', 1), record('k', 2), record('k', 3)]);

    await until(() => handled.length >= 4, { what: 'every record handled', timeoutMs: 60_000 });
    expect(failures).toBe(2);
    expect(handled).toEqual([0, 1, 2, 3]);
  }, 120_000);

  it('goes on handing out the records of other partitions while one handler is slow', async () => {
    const topic = await t.topic();
    let slow: IncomingRecord | null = null;
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const quick: IncomingRecord[] = [];
    await t.bus.subscribe({ topic, groupId: t.group(), fromBeginning: true, concurrency: 4 }, async (r) => {
      if (r.key !== 'slow') return void quick.push(r);
      slow = r;
      await released;
    });
    await t.bus.publish(topic, [record('slow', 0)]);
    await until(() => slow !== null, { what: 'the slow handler to start', timeoutMs: 60_000 });

    // Published once the slow record is under way: twelve keys, some on other partitions than its.
    for (let n = 1; n <= 12; n++) await t.bus.publish(topic, [record(`k${n}`, n)]);

    try {
      await until(() => quick.some((r) => r.partition !== slow!.partition), {
        what: 'a record of another partition while the slow one runs',
        timeoutMs: 60_000,
      });
    } finally {
      release();
    }
  }, 120_000);

  it('refuses a publication with a record over the limit, publishing none of it', async () => {
    const topic = await t.topic();
    const received: IncomingRecord[] = [];
    await t.bus.subscribe({ topic, groupId: t.group(), fromBeginning: true, concurrency: 1 }, async (r) => {
      received.push(r);
    });
    const huge = { key: 'k', value: Buffer.alloc(MAX_RECORD_BYTES + 1) };

    await expect(t.bus.publish(topic, [record('k', 1), huge])).rejects.toThrow(RecordRefusedError);
    await t.bus.publish(topic, [record('k', 2)]);

    // Same key: had the refused call published anything, it would have arrived before record 2.
    await eventually(
      () => received.length,
      (n) => n >= 1,
      { what: 'the record published after the refusal', timeoutMs: 60_000 },
    );
    expect(numbers(received, 'k')).toEqual([2]);
  }, 120_000);

  it('keeps the records of a topic nobody reads yet for a group that later subscribes from the beginning', async () => {
    const topic = await t.topic();
    await t.bus.publish(topic, [record('k', 1), record('k', 2)]);
    const received: IncomingRecord[] = [];

    await t.bus.subscribe({ topic, groupId: t.group(), fromBeginning: true, concurrency: 1 }, async (r) => {
      received.push(r);
    });
    await t.bus.publish(topic, [record('k', 3)]);

    await until(() => received.length >= 3, { what: 'the records published before and after', timeoutMs: 60_000 });
    expect(numbers(received, 'k')).toEqual([1, 2, 3]);
  }, 120_000);

  it('gives a new group starting at the latest record every record published once subscribe resolved', async () => {
    const topic = await t.topic();
    await t.bus.publish(topic, [record('k', 1)]);
    const received: IncomingRecord[] = [];

    await t.bus.subscribe({ topic, groupId: t.group(), fromBeginning: false, concurrency: 1 }, async (r) => {
      received.push(r);
    });
    await t.bus.publish(topic, [record('k', 2), record('k', 3)]);

    await until(() => received.length >= 2, { what: 'the records published after subscribing', timeoutMs: 60_000 });
    expect(numbers(received, 'k')).toEqual([2, 3]);
  }, 120_000);

  it('refuses to publish or subscribe to a topic that was never provisioned', async () => {
    const unknown = `contract.unknown.${randomUUID()}`;

    await expect(t.bus.publish(unknown, [record('k', 1)])).rejects.toThrow(UnknownTopicError);
    await expect(
      t.bus.subscribe(
        { topic: unknown, groupId: t.group(), fromBeginning: true, concurrency: 1 },
        async () => undefined,
      ),
    ).rejects.toThrow();
  }, 120_000);

  it('fails only the publication to a topic never provisioned, not those made at the same time', async () => {
    const topic = await t.topic();
    const unknown = `contract.unknown.${randomUUID()}`;
    await t.bus.publish(topic, [record('k', 0)]);

    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, n) =>
        n === 6 ? t.bus.publish(unknown, [record('k', n)]) : t.bus.publish(topic, [record(`k${n}`, n)]),
      ),
    );

    expect(outcomes.map((outcome) => outcome.status)).toEqual(
      Array.from({ length: 12 }, (_, n) => (n === 6 ? 'rejected' : 'fulfilled')),
    );
  }, 120_000);

  it('commits what a subscription handled when it closes: the group goes on after it', async () => {
    const topic = await t.topic();
    const groupId = t.group();
    const first: IncomingRecord[] = [];
    const subscription = await t.bus.subscribe({ topic, groupId, fromBeginning: true, concurrency: 4 }, async (r) => {
      first.push(r);
    });
    await t.bus.publish(
      topic,
      [1, 2, 3].map((n) => record('k', n)),
    );
    await until(() => first.length === 3, { what: 'the first three records', timeoutMs: 60_000 });

    await subscription.close();
    const second: IncomingRecord[] = [];
    await t.bus.subscribe({ topic, groupId, fromBeginning: true, concurrency: 4 }, async (r) => {
      second.push(r);
    });
    await t.bus.publish(topic, [record('k', 4)]);

    await until(() => second.length >= 1, { what: 'the record published after', timeoutMs: 60_000 });
    // A record read twice would come first: same key, same partition, in order.
    expect(numbers(second, 'k')).toEqual([4]);
  }, 120_000);

  it('closes only once the handlers under way have finished', async () => {
    const topic = await t.topic();
    let started = false;
    let finished = false;
    await t.bus.subscribe({ topic, groupId: t.group(), fromBeginning: true, concurrency: 1 }, async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
      finished = true;
    });
    await t.bus.publish(topic, [record('k', 1)]);
    await until(() => started, { what: 'the handler to start', timeoutMs: 60_000 });

    await t.bus.close();

    expect(finished).toBe(true);
  }, 120_000);
}
