import type { Database } from '../db/database.ts';
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
 * read pool's queries never take.
 */
export function directSink(db: Database): EventSink {
  return {
    append: (rows) => (rows.length > 0 ? db.transaction((tx) => storeEvents(tx, rows)) : Promise.resolve(new Set())),
    drained: () => Promise.resolve(),
    backlog: () => 0,
    close: () => Promise.resolve(),
  };
}
