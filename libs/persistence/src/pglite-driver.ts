import { EventEmitter } from 'node:events';
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
  const open = () =>
    (database ??= PGlite.create(dataDir, {
      ...options,
      serializers: {
        [types.BOOL]: (value: unknown) => (value === true || value === 'true' || value === 1 ? 'TRUE' : 'FALSE'),
        ...options.serializers,
      },
    }));
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
