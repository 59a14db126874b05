import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createLogger, loadConfig } from '@hookline/config';
import { ConsumerGroups, Topics } from '@hookline/contracts';
import { createDataSource, MessageStore, openDatabase } from '@hookline/persistence';
import { MAX_RECORD_BYTES, MemoryBus, type IncomingRecord } from '@hookline/transport';
import { InProcessBacklog } from './in-process-backlog';
import { OutboxRelay } from './outbox-relay';
import { newMessage } from '@hookline/persistence/testing';

describe('OutboxRelay (PGlite, in-process bus)', () => {
  let dataDir: string;
  let db: DataSource;
  let messages: MessageStore;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hookline-outbox-'));
    db = await openDatabase(createDataSource({ databaseUrl: undefined, dataDir }));
    messages = new MessageStore(db);
  }, 60_000);
  afterAll(async () => {
    await db?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const store = async (body: Buffer): Promise<string> => {
    const message = newMessage({ uri: 'x', body });
    await messages.insertMany([message]);
    return message.id;
  };

  it('leaves alone a message the ingress marked published, which keeps the time the broker acknowledged it', async () => {
    const bus = new MemoryBus({ partitions: 2, logger: createLogger('test') });
    await bus.provision([Topics.MessagesReceived]);
    const config = loadConfig({});
    const relay = new OutboxRelay(config, bus, db, messages, new InProcessBacklog(config, bus));
    const marked = await store(Buffer.from('{}'));
    const acknowledgedAt = new Date(Date.now() - 1_234);

    await messages.markPublished([{ id: marked, at: acknowledgedAt }]);
    await relay.relay(0);

    const [row] = await db.query(`SELECT published_at FROM messages WHERE id = $1`, [marked]);
    expect(new Date(row.published_at).getTime()).toBe(acknowledgedAt.getTime());
  });

  it('ends a message the bus can never take FAILED with the reason, and publishes the others of its batch', async () => {
    const bus = new MemoryBus({ partitions: 2, logger: createLogger('test') });
    await bus.provision([Topics.MessagesReceived]);
    const published: IncomingRecord[] = [];
    await bus.subscribe(
      { topic: Topics.MessagesReceived, groupId: 'g', fromBeginning: true, concurrency: 1 },
      async (record) => void published.push(record),
    );
    const config = loadConfig({});
    const relay = new OutboxRelay(config, bus, db, messages, new InProcessBacklog(config, bus));
    const before = await store(Buffer.from('{"n":1}'));
    // Stored before the ingress limited bodies (or restored from elsewhere): base64 puts it over the record limit.
    const huge = await store(Buffer.alloc(Math.ceil(MAX_RECORD_BYTES * 0.8), 'a'));
    const after = await store(Buffer.from('{"n":2}'));

    const relayed = await relay.relay(0);

    expect(relayed).toBe(3);
    expect(published.map((r) => r.key).sort()).toEqual([before, after].sort());
    const [failed] = await db.query(`SELECT status, message, published_at FROM messages WHERE id = $1`, [huge]);
    expect(failed.status).toBe('FAILED');
    expect(failed.message).toMatch(
      /^the message bus refused it: a record of \d+ bytes .* over the limit of 4194304 bytes$/,
    );
    expect(await messages.outboxBacklog()).toMatchObject({ count: 0 });
    // Nothing is left for the next pass to try again.
    expect(await relay.relay(0)).toBe(0);
  });

  it('hands the in-process bus no more than EMBEDDED_MAX_BACKLOG unhandled records, and the rest as room frees up', async () => {
    const bus = new MemoryBus({ partitions: 2, logger: createLogger('test') });
    await bus.provision([Topics.MessagesReceived, Topics.Jobs]);
    const held: Array<() => void> = [];
    const handled: string[] = [];
    await bus.subscribe(
      { topic: Topics.MessagesReceived, groupId: ConsumerGroups.Matcher, fromBeginning: true, concurrency: 10 },
      (record) => new Promise<void>((resolve) => held.push(() => resolve(void handled.push(String(record.key))))),
    );
    const config = loadConfig({ EMBEDDED_MAX_BACKLOG: '3' });
    const relay = new OutboxRelay(config, bus, db, messages, new InProcessBacklog(config, bus));
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push(await store(Buffer.from(`{"n":${i}}`)));

    let full = 0;
    expect(await relay.relay(0, () => full++)).toBe(3);
    expect(full).toBe(1);
    expect(await messages.outboxBacklog()).toMatchObject({ count: 4 });

    held.splice(0, 2).forEach((release) => release());
    await new Promise((resolve) => setImmediate(resolve));
    expect(await relay.relay(0, () => full++)).toBe(2);
    expect(full).toBe(2);

    held.splice(0).forEach((release) => release());
    await new Promise((resolve) => setImmediate(resolve));
    expect(await relay.relay(0, () => full++)).toBe(2);
    held.splice(0).forEach((release) => release());
    await new Promise((resolve) => setImmediate(resolve));
    expect(handled.sort()).toEqual(ids.sort());
    expect(await messages.outboxBacklog()).toMatchObject({ count: 0 });
  });

  it('tells the backlog once the messages that waited for room have all been handed over', async () => {
    const bus = new MemoryBus({ partitions: 2, logger: createLogger('test') });
    await bus.provision([Topics.MessagesReceived, Topics.Jobs]);
    await bus.subscribe(
      { topic: Topics.MessagesReceived, groupId: ConsumerGroups.Matcher, fromBeginning: true, concurrency: 10 },
      async () => undefined,
    );
    const config = loadConfig({ EMBEDDED_MAX_BACKLOG: '3' });
    const backlog = new InProcessBacklog(config, bus);
    const told: number[] = [];
    const tell = backlog.deferred.bind(backlog);
    backlog.deferred = (count) => {
      told.push(count);
      tell(count);
    };
    const relay = new OutboxRelay(config, bus, db, messages, backlog);
    const ids = [await store(Buffer.from('{"n":1}')), await store(Buffer.from('{"n":2}'))];

    relay.defer(ids);
    expect(await relay.relay(60_000)).toBe(2);

    expect(relay.deferredCount).toBe(0);
    expect(told).toEqual([0]);
    expect(await messages.outboxBacklog()).toMatchObject({ count: 0 });
  });
});
