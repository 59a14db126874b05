import { mkdirSync } from 'node:fs';
import { DataSource, MigrationExecutor } from 'typeorm';
import type { HooklineConfig } from '@hookline/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { pgliteDriver } from './pglite-driver';
import { PreparingClient } from './preparing-client';
import { execute } from './stores/sql';

/**
 * With prepared statements, how long a connection lives (then it is closed once idle and a new one
 * prepares again): PostgreSQL keeps a statement's generic plan until the tables are analysed, and
 * one made while the messages table was small ran 6–9 times slower once it had grown.
 */
export const PREPARED_CONNECTION_LIFETIME_S = 30;

/** Any number unique to Hookline: replicas starting together take turns to migrate. */
const MIGRATION_LOCK = 7_240_517;

/** PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR: same entities, same migrations. */
export function createDataSource(
  config: Pick<HooklineConfig, 'databaseUrl' | 'dataDir'> & Partial<Pick<HooklineConfig, 'preparedStatements'>>,
  poolSize = 10,
): DataSource {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, logging: false } as const;
  if (config.databaseUrl) {
    return new DataSource({
      ...common,
      type: 'postgres',
      url: config.databaseUrl,
      extra: {
        max: poolSize,
        connectionTimeoutMillis: 3000,
        // The hot path's statements prepared once per connection (stores/sql.ts, prepared()); the
        // connections renewed so that no generic plan outlives the table sizes it was made for.
        ...(config.preparedStatements === true
          ? { Client: PreparingClient, maxLifetimeSeconds: PREPARED_CONNECTION_LIFETIME_S }
          : {}),
      },
    });
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new DataSource({
    ...common,
    type: 'postgres',
    driver: pgliteDriver(`${config.dataDir}/pglite`),
  });
}

/**
 * Connects and applies pending migrations, one replica at a time. With `migrate: false` (a
 * migration job owns the schema) it only checks that none is pending, and refuses to run otherwise.
 */
export async function openDatabase(dataSource: DataSource, { migrate = true } = {}): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  if (!migrate) {
    if (await dataSource.showMigrations()) {
      await dataSource.destroy();
      throw new Error(
        'the database schema is behind this version and DATABASE_MIGRATE_AT_START=false: run the migrations first (`npm run migrate`, the migrate Job)',
      );
    }
    return dataSource;
  }
  if (isEmbedded(dataSource)) {
    // PGlite has one connection and one process: nobody to take turns with.
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // On the connection that holds the lock: a pool of one (secrets:rotate's) has no other to lend.
    const migrations = new MigrationExecutor(dataSource, runner);
    migrations.transaction = 'each';
    await migrations.executePendingMigrations();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}

export const isEmbedded = (dataSource: DataSource): boolean => !('url' in dataSource.options && dataSource.options.url);

/** The readiness probes' one query: resolves when the database answers. */
export const pingDatabase = (dataSource: DataSource): Promise<void> => execute(dataSource, 'SELECT 1');
