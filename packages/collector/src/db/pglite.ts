import { existsSync } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../paths.ts';
import type { Database, Queryable, SqlValue } from './database.ts';
import { takeLock } from './data-dir-lock.ts';

/**
 * The worker script: beside this module in src/ (tests, development), copied to dist/server by
 * the build.
 */
function workerScript(): URL {
  const candidates = [join(packageRoot, 'src', 'db', 'pglite-worker.mjs'), join(packageRoot, 'dist', 'server', 'pglite-worker.mjs')];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`the embedded engine's worker script is missing (looked for ${candidates.join(', ')})`);
  return pathToFileURL(found);
}

interface Reply {
  id: number;
  rows?: unknown[];
  error?: { message: string; code?: string; detail?: string };
}

/**
 * Opens the embedded engine in its own thread. `dataDir` persists to disk; `undefined` keeps
 * everything in memory (tests). The postgres data lives in `<dataDir>/pgdata` so the lock file
 * sits beside it. `template` is a data-folder dump (PGlite's `dumpDataDir`) that a *new*
 * database starts from instead of running initdb, which costs seconds of WASM time; an existing
 * database ignores it.
 */
export async function openPglite(dataDir: string | undefined, template?: string): Promise<Database> {
  let release: () => Promise<void> = async () => {};
  let pgDir: string | undefined;
  if (dataDir !== undefined) {
    await mkdir(dataDir, { recursive: true });
    release = await takeLock(dataDir);
    pgDir = join(dataDir, 'pgdata');
  }
  const isNew = pgDir === undefined || !(await access(join(pgDir, 'PG_VERSION')).then(() => true, () => false));
  let worker: Worker;
  try {
    worker = new Worker(workerScript(), { workerData: { dataDir: pgDir, template: template && isNew ? template : undefined } });
    const started = await new Promise<{ ready: boolean; message?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (!started.ready) {
      await worker.terminate();
      throw new Error(`the embedded database did not open: ${started.message}`);
    }
  } catch (error) {
    await release();
    throw error;
  }

  const waiting = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  worker.on('message', (reply: Reply) => {
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if (reply.error) pending.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code, detail: reply.error.detail }));
    else pending.resolve(reply.rows ?? []);
  });
  worker.on('error', (error) => {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  });
  const send = (message: { sql?: string; params?: unknown[]; close?: boolean }) =>
    new Promise<unknown[]>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  const run = async <Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<{ rows: Row[] }> =>
    ({ rows: (await send({ sql, params: [...params] })) as Row[] });

  // PGlite is one connection: a query issued while a transaction is open would run inside
  // it (and its answers can cross). Everything goes through one queue instead, which costs
  // nothing, since the engine runs one statement at a time anyway. Writers that must not wait
  // for this queue go through the ingest journal (ingest/journal-sink.ts).
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
  const scoped: Queryable = { query: (sql, params) => run(sql, params) };
  return {
    engine: 'pglite',
    query: (sql, params) => exclusive(() => run(sql, params)),
    transaction: (fn) =>
      exclusive(async () => {
        await run('begin');
        try {
          const result = await fn(scoped);
          await run('commit');
          return result;
        } catch (error) {
          await run('rollback').catch(() => undefined);
          throw error;
        }
      }),
    close: async () => {
      await exclusive(async () => {
        await send({ close: true });
        await worker.terminate();
      });
      await release();
    },
  };
}
