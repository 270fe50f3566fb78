import type { Database } from '../db/database.ts';
import { isMissingPartition, partitionCache } from '../db/partitions.ts';
import { knownProfiles } from './known-profiles.ts';
import { isDataError } from './poison.ts';
import { storeEvents, type EventRow } from './store.ts';

/**
 * Where acknowledged events go. `append` resolves once the events are safe (stored, or in a
 * durable journal that will store them) and tells which were new (their `dedupeKeyOf`, store.ts); a sender gets its
 * answer then, whatever the dashboard is reading at the time.
 *
 * A sink that answers once the events are stored calls `refuse` for each event the database
 * would not take, and stores the others; one that answers from a journal sets such an event
 * aside itself (see journal-sink.ts).
 */
export interface EventSink {
  append(rows: readonly EventRow[], refuse?: (row: EventRow, reason: string) => void): Promise<Set<string>>;
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
  const storeWithPartitions = async (rows: readonly EventRow[]) => {
    try {
      return await store(rows);
    } catch (error) {
      if (!isMissingPartition(error)) throw error;
      partitions.forget();
      return store(rows);
    }
  };
  return {
    async append(rows, refuse) {
      if (rows.length === 0) return new Set();
      try {
        return await storeWithPartitions(rows);
      } catch (error) {
        if (!isDataError(error) || !refuse) throw error;
        // One event the database won't take must not fail its neighbours (a 5xx makes the SDK
        // retry the whole batch forever): store them one by one and refuse only that one.
        if (rows.length === 1) {
          refuse(rows[0]!, `could not be stored: ${(error as Error).message}`);
          return new Set();
        }
        const fresh = new Set<string>();
        for (const row of rows) {
          try {
            for (const id of await storeWithPartitions([row])) fresh.add(id);
          } catch (alone) {
            if (!isDataError(alone) || !refuse) throw alone;
            refuse(row, `could not be stored: ${(alone as Error).message}`);
          }
        }
        return fresh;
      }
    },
    drained: () => Promise.resolve(),
    backlog: () => 0,
    close: () => Promise.resolve(),
  };
}
