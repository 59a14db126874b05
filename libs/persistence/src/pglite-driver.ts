import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Results } from '@electric-sql/pglite';

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
 * One PGlite database in a worker thread of its own (pglite-worker/pglite-thread.js): its
 * PostgreSQL runs on a second core instead of the event loop's, which also serves HTTP, the bus
 * and the sandbox. Statements are answered in the order they are sent.
 */
export class PGliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (result: Results) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(dataDir: string) {
    this.worker = new Worker(join(__dirname, 'pglite-worker', 'pglite-thread.js'), { workerData: { dataDir } });
    this.worker.on('message', (answer: Answer) => {
      const waiter = this.pending.get(answer.id);
      if (!waiter) return;
      this.pending.delete(answer.id);
      if (this.pending.size === 0) this.worker.unref();
      if (!answer.ok) return waiter.reject(databaseError(answer.error));
      try {
        waiter.resolve(ownRealm(answer.result));
      } catch (error) {
        waiter.reject(error as Error);
      }
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the PGlite thread exited (code ${code})`)));
    // Like a socket: the thread keeps the process alive only while a statement waits for it.
    this.worker.unref();
  }

  query(sql: string, params?: unknown[]): Promise<Results> {
    return this.send({ op: 'query', sql, params });
  }

  /** Runs a string of statements; answers the last one's result. */
  exec(sql: string): Promise<Results> {
    return this.send({ op: 'exec', sql });
  }

  async close(): Promise<void> {
    try {
      if (!this.failure) await this.send({ op: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }

  private send(request: { op: 'query' | 'exec' | 'close'; sql?: string; params?: unknown[] }): Promise<Results> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...request });
    });
  }

  /** The thread is gone: every statement still waiting fails, and so does every later one. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(this.failure);
    this.pending.clear();
  }
}

/**
 * Dates and bytes of the rows as this module's own classes. Structured clone makes them in the
 * process's main context; where this module runs in another one (jest's module sandbox), an
 * `instanceof Date` would otherwise fail. In the main context this only checks each value.
 */
function ownRealm(result: Results): Results {
  for (const row of (result?.rows ?? []) as Array<Record<string, unknown>>) {
    for (const key in row) {
      const value = row[key];
      if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array) continue;
      if (Object.prototype.toString.call(value) === '[object Date]') row[key] = new Date((value as Date).getTime());
      else if (ArrayBuffer.isView(value)) row[key] = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return result;
}

type Answer = { id: number; ok: true; result: Results } | { id: number; ok: false; error: Record<string, unknown> };

/** The thread's error with PostgreSQL's fields (code, detail, constraint…) as pg would give them. */
function databaseError(fields: Record<string, unknown>): Error {
  const error = new Error(String(fields.message));
  Object.assign(error, fields);
  return error;
}

/**
 * The `pg` module shape TypeORM's postgres driver needs, backed by one PGlite database. A client
 * is lent out under a lock from connect to release, so a transaction owns the single PGlite
 * session until it ends: without that, concurrent BEGIN/ROLLBACK of two query runners would
 * interleave in one session and a rollback could undo another's committed write.
 */
export function pgliteDriver(dataDir: string) {
  let database: Promise<PGliteThread> | null = null;
  const open = () => (database ??= opened(new PGliteThread(dataDir)));
  const lock = new Mutex();

  const client = (pg: PGliteThread) =>
    Object.assign(new EventEmitter(), {
      async query(sql: string, params?: unknown[] | Callback<unknown>, callback?: Callback<unknown>) {
        const cb = typeof params === 'function' ? params : callback;
        const values = typeof params === 'function' ? undefined : params;
        try {
          // Multi-statement strings (no parameters) go through exec; TypeORM wants the last result.
          const result = values && values.length > 0 ? await pg.query(sql, values) : await pg.exec(sql);
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

/** The thread once its database answers: a data directory that cannot be opened fails the first use. */
async function opened(thread: PGliteThread): Promise<PGliteThread> {
  try {
    await thread.query('SELECT 1');
    return thread;
  } catch (error) {
    await thread.close().catch(() => undefined);
    throw error;
  }
}
