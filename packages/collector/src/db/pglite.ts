import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable, SqlValue } from './database.ts';
import { DurableNodeFS, durableStartParams } from './durable-fs.ts';

const LOCK_FILE = 'linger-collector.lock';

/** A process id is alive when signal 0 reaches it (EPERM still means it exists). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is single-process: two collectors writing the same folder would corrupt it, so the
 * folder carries a pid lock and a second opener gets a clear error instead.
 */
const heldHere = new Set<string>();

async function takeLock(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = resolve(dataDir, LOCK_FILE);
  if (heldHere.has(lockPath)) throw new Error(`data folder ${dataDir} is in use by process ${process.pid} (this one)`);
  const existing = await readFile(lockPath, 'utf8').catch(() => '');
  const pid = Number.parseInt(existing, 10);
  if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
    throw new Error(`data folder ${dataDir} is in use by process ${pid}; stop it or pick another --data-dir`);
  }
  await writeFile(lockPath, String(process.pid));
  heldHere.add(lockPath);
  return async () => {
    heldHere.delete(lockPath);
    await rm(lockPath, { force: true });
  };
}

/** Same numbers as the `pg` adapter: bigint counts and numeric averages arrive as JS numbers. */
const parsers = {
  [types.INT8]: (value: string) => Number(value),
  [types.NUMERIC]: (value: string) => Number(value),
};

/**
 * Opens the embedded engine. `dataDir` persists to disk; `undefined` keeps everything in memory
 * (tests). The postgres data lives in `<dataDir>/pgdata` so the lock file sits beside it.
 * `template` is a data-folder dump (PGlite's `dumpDataDir`) that a *new* database starts from
 * instead of running initdb, which costs seconds of WASM time; an existing database ignores it.
 */
export async function openPglite(dataDir: string | undefined, template?: string): Promise<Database> {
  let release: () => Promise<void> = async () => {};
  let pgDir: string | undefined;
  if (dataDir !== undefined) {
    await mkdir(dataDir, { recursive: true });
    release = await takeLock(dataDir);
    pgDir = join(dataDir, 'pgdata');
  }
  let db: PGlite;
  try {
    const isNew = pgDir === undefined || !(await access(join(pgDir, 'PG_VERSION')).then(() => true, () => false));
    const loadDataDir = template && isNew ? new Blob([await readFile(template)]) : undefined;
    // On disk, commits are fsynced before they are acknowledged (durable-fs.ts).
    const storage = pgDir === undefined ? {} : { fs: new DurableNodeFS(pgDir), startParams: [...durableStartParams] };
    db = await PGlite.create({ ...storage, parsers, ...(loadDataDir ? { loadDataDir } : {}) });
  } catch (error) {
    await release();
    throw error;
  }
  const run = async <Row extends object>(
    target: Pick<PGlite, 'query'>,
    sql: string,
    params: readonly SqlValue[] = [],
  ): Promise<{ rows: Row[] }> => {
    const result = await target.query<Row>(sql, [...params]);
    return { rows: result.rows };
  };
  // PGlite is one connection: a query issued while a transaction is open would run inside
  // it (and its answers can cross). Everything goes through one queue instead, which costs
  // nothing, since the engine runs one statement at a time anyway.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
  return {
    engine: 'pglite',
    query: (sql, params) => exclusive(() => run(db, sql, params)),
    transaction: (fn) =>
      exclusive(() =>
        db.transaction((tx) => {
          const scoped: Queryable = { query: (sql, params) => run(tx, sql, params) };
          return fn(scoped);
        }),
      ),
    close: async () => {
      await exclusive(() => db.close());
      await release();
    },
  };
}
