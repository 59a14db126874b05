import { Client } from 'pg';
import { createDataSource, openDatabase } from '../data-source';
import { historyStoreBehaviour } from './history.store.behaviour';

const skip = process.env.HOOKLINE_INTEGRATION_SKIP;
const adminUrl = process.env.HOOKLINE_IT_ADMIN_DATABASE_URL;

/** The same behaviour on PostgreSQL, in a database of its own (the planner may choose differently there). */
(skip || !adminUrl ? describe.skip : describe)('HistoryStore (PostgreSQL)', () => {
  historyStoreBehaviour(async () => {
    const name = `hookline_history_${Date.now()}_${process.pid}`;
    const admin = async (sql: string) => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    const db = await openDatabase(createDataSource({ databaseUrl: url.toString(), dataDir: '' }, 2));
    return {
      db,
      close: async () => {
        await db.destroy();
        await admin(`DROP DATABASE IF EXISTS ${name}`);
      },
    };
  });
});
