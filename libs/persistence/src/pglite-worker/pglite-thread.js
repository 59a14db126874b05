// @ts-check
// PGlite in a worker thread of its own: the database's work (its WASM PostgreSQL and the file
// system under it) runs beside the event loop instead of on it. Plain CommonJS so the same file
// serves dist/ and the TypeScript sources under jest; copied to dist/ by scripts/finish-build.js.
// Requests are answered in the order they arrive; the caller (pglite-driver.ts) keeps transactions
// whole by lending the single session to one client at a time.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite, types } = require('@electric-sql/pglite');

if (!parentPort) throw new Error('pglite-thread.js runs only as a worker thread');
const port = parentPort;

/** Booleans as PostgreSQL literals, whatever JavaScript value stands for them. */
const serializers = {
  [types.BOOL]: (/** @type {unknown} */ value) =>
    value === true || value === 'true' || value === 1 ? 'TRUE' : 'FALSE',
};

/** @type {Promise<import('@electric-sql/pglite').PGlite>} */
const opened = PGlite.create(workerData.dataDir, { serializers });
// An open that fails is answered to every request; it must not also end the thread unhandled.
opened.catch(() => undefined);

/**
 * The error's own fields (PostgreSQL's code, detail, constraint…) survive the trip; structured
 * clone would keep only name and message.
 * @param {unknown} error
 */
function describe(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  /** @type {Record<string, unknown>} */
  const fields = { name: error.name, message: error.message, stack: error.stack };
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'object') continue;
    fields[key] = value;
  }
  return fields;
}

port.on(
  'message',
  async (/** @type {{ id: number, op: 'query' | 'exec' | 'close', sql?: string, params?: unknown[] }} */ request) => {
    try {
      const pg = await opened;
      let result;
      if (request.op === 'query') result = await pg.query(request.sql ?? '', request.params);
      else if (request.op === 'exec') {
        const results = await pg.exec(request.sql ?? '');
        result = results[results.length - 1] ?? { rows: [] };
      } else {
        await pg.close();
        result = null;
      }
      port.postMessage({ id: request.id, ok: true, result });
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: describe(error) });
    }
  },
);
