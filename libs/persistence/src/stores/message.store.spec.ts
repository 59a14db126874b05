import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, openDatabase } from '../data-source';
import { ConfigStore } from './config.store';
import { MessageStore } from './message.store';
import { newMessage } from '../testing';

describe('MessageStore.insertMany (PGlite)', () => {
  let dataDir: string;
  let db: DataSource;
  let messages: MessageStore;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hookline-messages-'));
    db = await openDatabase(createDataSource({ databaseUrl: undefined, dataDir }));
    messages = new MessageStore(db);
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const message = () => newMessage({ uri: 'a' });

  it("stores messages and tells the configuration's revision the same statement saw", async () => {
    const before = await new ConfigStore(db).revision();
    const batch = [message(), message()];

    expect(await messages.insertMany(batch)).toBe(before);
    await db.transaction((tx) => ConfigStore.bump(tx));
    expect(await messages.insertMany([message()])).toBe(before + 1);
    expect(await messages.insertMany([])).toBe(before + 1);

    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM messages WHERE id = ANY($1::uuid[])`, [
      batch.map((m) => m.id),
    ]);
    expect(count).toBe(2);
  });
});
