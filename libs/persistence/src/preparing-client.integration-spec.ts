import type { DataSource } from 'typeorm';
import { createDataSource, PREPARED_CONNECTION_LIFETIME_S } from './data-source';
import { prepared } from './stores/sql';

const skip = process.env.HOOKLINE_INTEGRATION_SKIP;
const adminUrl = process.env.HOOKLINE_IT_ADMIN_DATABASE_URL;

/** Statements of the hot path prepared once per connection, on PostgreSQL (PGlite has no pool). */
(skip || !adminUrl ? describe.skip : describe)('PreparingClient (PostgreSQL)', () => {
  const MARKED = prepared('SELECT $1::int + 1 AS n');
  let db: DataSource | undefined;

  /** One connection, so that what it has prepared is what pg_prepared_statements lists. */
  const open = (preparedStatements: boolean) =>
    (db = createDataSource({ databaseUrl: adminUrl, dataDir: '', preparedStatements }, 1)).initialize();
  const preparedTexts = async (source: DataSource) =>
    ((await source.query(`SELECT statement FROM pg_prepared_statements`)) as Array<{ statement: string }>).map(
      (row) => row.statement,
    );

  const poolOptions = (source: DataSource) =>
    (source.driver as unknown as { master: { options: { maxLifetimeSeconds?: number } } }).master.options;

  afterEach(async () => {
    if (db?.isInitialized) await db.destroy();
  });

  it('prepares a marked statement once on its connection, in and out of transactions, and no other', async () => {
    const source = await open(true);

    expect(await source.query(MARKED, [1])).toEqual([{ n: 2 }]);
    expect(await source.query(MARKED, [2])).toEqual([{ n: 3 }]);
    expect(await source.transaction((tx) => tx.query(MARKED, [3]))).toEqual([{ n: 4 }]);
    expect(await source.query('SELECT $1::int AS other', [1])).toEqual([{ other: 1 }]);

    expect(await preparedTexts(source)).toEqual([MARKED]);
    // Renewed connections: no generic plan outlives the table sizes it was made for.
    expect(poolOptions(source)).toMatchObject({ maxLifetimeSeconds: PREPARED_CONNECTION_LIFETIME_S });
  });

  it('prepares nothing with DATABASE_PREPARED_STATEMENTS=false', async () => {
    const source = await open(false);

    expect(await source.query(MARKED, [1])).toEqual([{ n: 2 }]);

    expect(await preparedTexts(source)).toEqual([]);
    expect(poolOptions(source).maxLifetimeSeconds).toBeFalsy();
  });
});
