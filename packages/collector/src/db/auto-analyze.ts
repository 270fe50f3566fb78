import type { Database } from './database.ts';

export interface AutoAnalyze {
  /** Counts freshly stored rows; starts a background ANALYZE once enough have changed. */
  noteInserted(rows: number): void;
  /** Runs ANALYZE now (startup), then counts from there. */
  analyzeNow(): Promise<void>;
  /** Waits for a running ANALYZE, so the database can close cleanly. */
  idle(): Promise<void>;
}

/**
 * PGlite runs PostgreSQL in single-user mode, where autovacuum never runs: without this the
 * planner keeps the statistics of an empty table and picks nested loops that turn a 50 ms
 * query into a 20 s one. A PostgreSQL server analyzes by itself, so there this is a no-op.
 * Mirrors autovacuum's rule: re-analyze after 10% of the rows (and at least 1000) changed.
 */
export function createAutoAnalyze(db: Database, log: (line: string) => void): AutoAnalyze {
  let changed = 0;
  let baseline = 0;
  let running: Promise<void> | undefined;

  const analyze = async () => {
    try {
      await db.query('analyze');
      // The planner's own estimate, just refreshed: counting every row took seconds at a million.
      const { rows } = await db.query<{ n: number }>(
        `select coalesce(sum(greatest(reltuples, 0)), 0)::float8 as n from pg_class
         where oid = 'events'::regclass or oid in (select inhrelid from pg_inherits where inhparent = 'events'::regclass)`,
      );
      baseline = rows[0]?.n ?? 0;
    } catch (error) {
      log(`[linger] analyze failed: ${(error as Error).message}`);
    }
  };

  const start = () => {
    changed = 0;
    running = analyze().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    noteInserted(rows) {
      if (db.engine !== 'pglite') return;
      changed += rows;
      if (!running && changed >= Math.max(1000, baseline * 0.1)) void start();
    },
    analyzeNow: () => (db.engine === 'pglite' ? (running ?? start()) : Promise.resolve()),
    idle: () => running ?? Promise.resolve(),
  };
}
