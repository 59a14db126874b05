import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource, openDatabase } from '../data-source';
import { historyStoreBehaviour } from './history.store.behaviour';

describe('HistoryStore (PGlite)', () => {
  historyStoreBehaviour(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookline-history-'));
    const db = await openDatabase(createDataSource({ databaseUrl: undefined, dataDir }));
    return {
      db,
      close: async () => {
        await db.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  });
});
