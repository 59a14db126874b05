import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite, types, type PGliteOptions } from '@electric-sql/pglite';

type Callback<T> = (error: Error | null, result?: T) => void;

/** A FIFO lock: PGlite has one session, so one client at a time may hold it. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }
}

/**
 * The `pg` module shape TypeORM's postgres driver needs, backed by one PGlite database. A client
 * is lent out under a lock from connect to release, so a transaction owns the single PGlite
 * session until it ends: without that, concurrent BEGIN/ROLLBACK of two query runners would
 * interleave in one session and a rollback could undo another's committed write.
 */
export function pgliteDriver(dataDir: string, options: PGliteOptions = {}) {
  let database: Promise<PGlite> | null = null;
  const open = () => (database ??= openPGlite(dataDir, options));
  const lock = new Mutex();

  const client = (pg: PGlite) =>
    Object.assign(new EventEmitter(), {
      async query(sql: string, params?: unknown[] | Callback<unknown>, callback?: Callback<unknown>) {
        const cb = typeof params === 'function' ? params : callback;
        const values = typeof params === 'function' ? undefined : params;
        try {
          // Multi-statement strings (no parameters) go through exec; TypeORM wants the last result.
          const result =
            values && values.length > 0
              ? await pg.query(sql, values)
              : await pg.exec(sql).then((results) => results[results.length - 1] ?? { rows: [] });
          cb?.(null, result);
          return result;
        } catch (error) {
          cb?.(error as Error);
          throw error;
        }
      },
    });

  class Pool extends EventEmitter {
    connect(callback: (error: Error | null, client?: unknown, release?: () => void) => void): void {
      void lock.acquire().then(async (release) => {
        try {
          callback(null, client(await open()), release);
        } catch (error) {
          release();
          callback(error as Error);
        }
      });
    }

    async query(sql: string, params?: unknown[], callback?: Callback<unknown>) {
      const release = await lock.acquire();
      try {
        return await client(await open()).query(sql, params, callback);
      } finally {
        release();
      }
    }

    end(callback?: (error: Error | null) => void): void {
      const closing = database ? database.then((pg) => pg.close()) : Promise.resolve();
      database = null;
      closing.then(
        () => callback?.(null),
        (error) => callback?.(error),
      );
    }
  }

  return { Pool };
}

/**
 * PostgreSQL settings of the embedded database.
 * - `shared_buffers`: the buffer pool lives in PGlite's WebAssembly heap, which never shrinks, and
 *   the pages it would cache stay in the operating system's file cache anyway, as PGlite keeps its
 *   files on disk. Measured: 16 MB instead of the default 128 MB held 120 MB less, at the same speed.
 * - `max_wal_size`: a checkpoint every 64 MB of WAL instead of every gigabyte. The default let a
 *   new data folder reach 1.35 GB after 100,000 messages, most of it WAL; 40,000 rows written took
 *   214 MB instead of 294 MB, at the same speed (the pool a checkpoint writes out is 16 MB).
 */
const POSTGRESQL_CONF = ['shared_buffers = 16MB', 'max_wal_size = 64MB', 'min_wal_size = 32MB', ''].join('\n');

async function openPGlite(dataDir: string, options: PGliteOptions): Promise<PGlite> {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialiseInChild(dataDir);
  return PGlite.create(dataDir, {
    postgresqlconf: POSTGRESQL_CONF,
    ...options,
    serializers: {
      [types.BOOL]: (value: unknown) => (value === true || value === 'true' || value === 1 ? 'TRUE' : 'FALSE'),
      [types.BYTEA]: serializeBytea,
      ...options.serializers,
    },
    parsers: { [types.BYTEA]: parseBytea, ...options.parsers },
  });
}

/**
 * bytea through Node's hex codec, as `pg` gives it: a Buffer. PGlite's own turns each byte into
 * strings of its own (`Array.from(bytes).map(toString(16))`): 58 µs per 1 KiB body stored and
 * 143 ms per 1 MiB, two thirds of everything the embedded process allocated under load.
 */
function serializeBytea(value: unknown): string {
  if (!(value instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
  return '\\x' + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
}

const parseBytea = (text: string): Buffer => Buffer.from(text.slice(2), 'hex');

/** Runs in the child: creates the database in the folder, then closes it. */
const INITDB = `const { PGlite } = require(process.argv[1]);
PGlite.create(process.argv[2]).then((db) => db.close()).catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});`;

/**
 * Creates a new database folder in a child process. initdb runs in a WebAssembly instance of its
 * own, and the hundreds of megabytes it touches would stay in this process's resident memory
 * until V8 happens to collect them (measured: 800 MB just after the first start, against 300 MB
 * when the folder already existed). The folder is built beside its final place and renamed, so a
 * start killed half way leaves no half-made database behind.
 */
async function initialiseInChild(dataDir: string): Promise<void> {
  if (existsSync(dataDir)) {
    if (readdirSync(dataDir).length > 0) {
      throw new Error(`${dataDir} holds files but no PostgreSQL database (no PG_VERSION): move it away or empty it`);
    }
    rmdirSync(dataDir);
  }
  const building = `${dataDir}.initdb-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  try {
    await promisify(execFile)(process.execPath, ['-e', INITDB, require.resolve('@electric-sql/pglite'), building], {
      timeout: 120_000,
    });
    renameSync(building, dataDir);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`creating the embedded database in ${dataDir} failed: ${stderr || (error as Error).message}`);
  }
}
