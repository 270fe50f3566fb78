// The embedded engine's thread. PGlite runs PostgreSQL as WASM on the thread that calls it, and
// a query holds that thread until it ends: on the collector's main thread a 2 s insight query
// would stall every request, health checks included. Here it stalls only this thread.
// Plain JavaScript so the same file runs from src/ (tests) and dist/ (the build).
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { DurableNodeFS, durableStartParams } from './durable-fs.mjs';

// Same numbers as the `pg` adapter: bigint counts and numeric averages arrive as JS numbers.
const parsers = {
  [types.INT8]: (value) => Number(value),
  [types.NUMERIC]: (value) => Number(value),
};

const { dataDir, template } = workerData;
let db;
try {
  const loadDataDir = template ? new Blob([await readFile(template)]) : undefined;
  // On disk, commits are fsynced before they are acknowledged (durable-fs.mjs).
  const storage = dataDir === undefined ? {} : { fs: new DurableNodeFS(dataDir), startParams: [...durableStartParams] };
  db = await PGlite.create({ ...storage, parsers, ...(loadDataDir ? { loadDataDir } : {}) });
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, message: error instanceof Error ? error.message : String(error) });
}

parentPort.on('message', async (request) => {
  if (request.close) {
    await db?.close();
    parentPort.postMessage({ id: request.id, rows: [] });
    return;
  }
  try {
    const result = await db.query(request.sql, request.params);
    parentPort.postMessage({ id: request.id, rows: result.rows });
  } catch (error) {
    const { message, code, detail } = error instanceof Error ? error : { message: String(error) };
    parentPort.postMessage({ id: request.id, error: { message, code, detail } });
  }
});
