import type { Database } from '../db/database.ts';
import { isMissingPartition, partitionCache } from '../db/partitions.ts';
import { knownProfiles } from './known-profiles.ts';
import { storeEvents, type EventRow } from './store.ts';

/**
 * Where acknowledged events go. `append` resolves once the events are safe (stored, or in a
 * durable journal that will store them) and tells which messageIds were new; a sender gets its
 * answer then, whatever the dashboard is reading at the time.
 */
export interface EventSink {
  append(rows: readonly EventRow[]): Promise<Set<string>>;
  /** Resolves once everything appended so far is in the database (tests, shutdown, scripts). */
  drained(): Promise<void>;
  /** Events acknowledged but not yet in the database. */
  backlog(): number;
  close(): Promise<void>;
}

/**
 * PostgreSQL: every batch is its own transaction on the write pool, whose connections the
 * read pool's queries never take. A month seen for the first time gets its partition in a
 * short transaction first.
 */
export function directSink(db: Database): EventSink {
  const partitions = partitionCache();
  const profiles = knownProfiles();
  const store = async (rows: readonly EventRow[]) => {
    const times = rows.map((r) => r.ts);
    if (partitions.unknown(times).length > 0) await db.transaction((tx) => partitions.ensure(tx, times));
    const writes = profiles.writes();
    const fresh = await db.transaction((tx) => storeEvents(tx, rows, writes));
    writes.commit();
    return fresh;
  };
  return {
    async append(rows) {
      if (rows.length === 0) return new Set();
      try {
        return await store(rows);
      } catch (error) {
        if (!isMissingPartition(error)) throw error;
        partitions.forget();
        return store(rows);
      }
    },
    drained: () => Promise.resolve(),
    backlog: () => 0,
    close: () => Promise.resolve(),
  };
}
