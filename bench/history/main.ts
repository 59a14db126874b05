import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, HistoryStore, openDatabase } from '@hookline/persistence';
import { benchCases, callQuery, PAGE_SIZE, runCall, type BenchCase } from './cases';
import { loadDataset, withIndexesDeferred, type Dataset } from './dataset';
import { scanSummary } from './plan';

/** Queries vary their parameters from run to run: the plans of this many runs are summarised. */
const PLANNED_RUNS = 10;

const USAGE = `npm run bench:history -- [--messages 1000000] [--runs 100] [--keep]

Creates a scratch database next to DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
migrates it, loads a week of messages with their executions, and times the message and execution
history's common queries through HistoryStore (the admin API's code), printing p50/p99 and the
scans each query ran. Drops the database at the end unless --keep.`;

/** `npm run bench:history`: figures for the history queries on a large table. Nothing is asserted. */
async function main(): Promise<number> {
  let options: { messages: number; runs: number; keep: boolean };
  try {
    const { values } = parseArgs({
      options: {
        messages: { type: 'string', default: '1000000' },
        runs: { type: 'string', default: '100' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    options = {
      messages: positive(values.messages, '--messages'),
      runs: positive(values.runs, '--runs'),
      keep: values.keep,
    };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }

  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `hookline_history_bench_${Date.now()}_${process.pid}`;
  const scratchUrl = new URL(serverUrl);
  scratchUrl.pathname = `/${name}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  let db: DataSource | null = null;
  const dropDatabase = async () => {
    await db?.destroy().catch(() => undefined);
    db = null;
    if (options.keep) console.log(`kept database ${name}`);
    else await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  process.once('SIGINT', () => void dropDatabase().finally(() => process.exit(130)));

  try {
    const config = { databaseUrl: scratchUrl.toString(), dataDir: '' };
    await (await openDatabase(createDataSource(config, 2))).destroy();
    // One connection from here on, so that session settings apply to every query.
    db = await createDataSource(config, 1).initialize();
    const settings = await serverSettings(db);
    console.log(`hookline history bench · ${settings.version} · database ${name}`);
    console.log(`server: ${settings.summary}`);
    console.log(
      `machine: ${cpus().length} cpus, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );

    const data = await load(db, options.messages);
    const history = new HistoryStore(db);
    const cursorAt50 = await cursorOfPage(history, 50);
    const cases = benchCases(data, cursorAt50);

    const columns = settings.jit ? ['server settings', 'with jit = off'] : ['server settings'];
    const figures: Array<Array<{ p50: number; p99: number; rows: number }>> = [];
    for (const [i] of columns.entries()) {
      if (i === 1) await db.query(`SET jit = off`);
      figures.push([]);
      for (const benchCase of cases) figures[i].push(await measure(history, benchCase, options.runs));
    }

    console.log(`\n${options.runs} runs per query (after 3 to warm up), page size ${PAGE_SIZE}, times in ms`);
    const header = ['query'.padEnd(34), ...columns.map((c) => `${c} p50 / p99`.padStart(30)), 'rows'.padStart(6)];
    console.log(header.join(''));
    cases.forEach((benchCase, c) => {
      const cells = figures.map((f) => `${f[c].p50.toFixed(2)} / ${f[c].p99.toFixed(2)}`.padStart(30));
      console.log([benchCase.name.padEnd(34), ...cells, String(figures[0][c].rows).padStart(6)].join(''));
    });

    console.log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );

    console.log(`\nscans run (EXPLAIN ANALYZE of the first ${PLANNED_RUNS} runs' parameters of each query):`);
    for (const benchCase of cases) {
      const queries = Array.from({ length: PLANNED_RUNS }, (_, i) => callQuery(history, benchCase.call(i)));
      console.log(`${benchCase.name.padEnd(34)}${await scanSummary(db, queries)}`);
    }
    return 0;
  } finally {
    await dropDatabase();
  }
}

async function load(db: DataSource, count: number): Promise<Dataset> {
  // Bulk-load settings for this session only; the queries measured later run with the server's.
  await db.query(`SET maintenance_work_mem = '512MB'`);
  await db.query(`SET synchronous_commit = off`);
  let data!: Dataset;
  const started = performance.now();
  const indexMs = await withIndexesDeferred(db, ['messages', 'executions'], async () => {
    data = await loadDataset(db, count);
  });
  const vacuumStarted = performance.now();
  // What autovacuum does to a table at rest: statistics, and a visibility map for index-only scans.
  await db.query(`VACUUM ANALYZE messages`);
  await db.query(`VACUUM ANALYZE executions`);
  await db.query(`RESET maintenance_work_mem`);
  await db.query(`RESET synchronous_commit`);
  const [size] = await db.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
  console.log(
    `loaded ${data.messages.toLocaleString('en')} messages and ${data.executions.toLocaleString('en')} executions ` +
      `(${data.providers.length} providers, ${data.uris.length} URIs, ${data.functions.length} functions, ` +
      `${data.firstReceivedAt.toISOString()} – ${data.lastReceivedAt.toISOString()}) in ` +
      `${seconds(vacuumStarted - started)} s (indexes ${seconds(indexMs)} s), VACUUM ANALYZE ` +
      `${seconds(performance.now() - vacuumStarted)} s; database ${size.size}`,
  );
  return data;
}

/** Warm-up runs first; then each run timed on its own. */
async function measure(history: HistoryStore, benchCase: BenchCase, runs: number) {
  for (let i = 0; i < 3; i++) await runCall(history, benchCase.call(i));
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const call = benchCase.call(i);
    const started = performance.now();
    const count = await runCall(history, call);
    times.push(performance.now() - started);
    if (i === 0) rows = count;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rows };
}

/** The cursor that opens page `page` of the unfiltered list, walked to once. */
async function cursorOfPage(history: HistoryStore, page: number): Promise<string> {
  let cursor: string | undefined;
  for (let i = 1; i < page; i++) {
    cursor = (await history.messages({}, { cursor, limit: PAGE_SIZE })).nextCursor ?? undefined;
  }
  if (!cursor) throw new Error(`fewer than ${page} pages of messages`);
  return cursor;
}

async function serverSettings(db: DataSource) {
  const [row] = await db.query(
    `SELECT split_part(version(), ' ', 2) AS version, current_setting('jit') AS jit,
            current_setting('shared_buffers') AS shared_buffers, current_setting('work_mem') AS work_mem,
            current_setting('max_parallel_workers_per_gather') AS parallel`,
  );
  return {
    version: `PostgreSQL ${row.version}`,
    jit: row.jit === 'on',
    summary: `jit=${row.jit} shared_buffers=${row.shared_buffers} work_mem=${row.work_mem} max_parallel_workers_per_gather=${row.parallel}`,
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Nearest rank. */
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, not '${value}'`);
  return n;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
