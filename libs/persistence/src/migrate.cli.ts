import 'reflect-metadata';
import { loadConfig } from '@hookline/config';
import { createDataSource, openDatabase } from './data-source';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded PGlite) and exits. */
async function main() {
  const config = loadConfig();
  const db = await openDatabase(createDataSource(config));
  const applied: Array<{ name: string }> = await db.query('SELECT name FROM migrations ORDER BY id');
  console.log(`database is at ${applied[applied.length - 1]?.name ?? 'no migration'} (${applied.length} applied)`);
  await db.destroy();
}

main().catch((error) => {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
