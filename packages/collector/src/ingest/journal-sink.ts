import type { Database } from '../db/database.ts';
import { isMissingPartition, partitionCache, type PartitionCache } from '../db/partitions.ts';
import { openJournalFile } from './journal-file.ts';
import { knownProfiles } from './known-profiles.ts';
import type { Message } from './message-schema.ts';
import type { EventSink } from './sink.ts';
import { storeEvents, type EventRow } from './store.ts';

/** An EventRow as one journal line. */
interface JournalEntry {
  /**
   * `trusted` is absent from journals an older collector left: such rows write no profiles;
   * `groupTrusted` too: such rows write no memberships or group traits.
   */
  rows: { writeKey: string; message: Message; ts: string; receivedAt: string; verified: boolean | null; trusted?: boolean; groupTrusted?: boolean }[];
}

const toEntry = (rows: readonly EventRow[]): JournalEntry => ({
  rows: rows.map((r) => ({ writeKey: r.writeKey, message: r.message, ts: r.ts.toISOString(), receivedAt: r.receivedAt.toISOString(), verified: r.verified, trusted: r.trusted, groupTrusted: r.groupTrusted })),
});

const fromEntry = (entry: JournalEntry): EventRow[] =>
  entry.rows.map((r) => ({ writeKey: r.writeKey, message: r.message, ts: new Date(r.ts), receivedAt: new Date(r.receivedAt), verified: r.verified, trusted: r.trusted ?? false, groupTrusted: r.groupTrusted ?? false }));

/** One transaction, storeEvents per write key (it deduplicates by messageId within a key). */
async function store(db: Database, rows: readonly EventRow[], partitions: PartitionCache): Promise<void> {
  await db.transaction((tx) => partitions.ensure(tx, rows.map((r) => r.ts)));
  const byKey = new Map<string, EventRow[]>();
  for (const row of rows) {
    const group = byKey.get(row.writeKey);
    if (group) group.push(row);
    else byKey.set(row.writeKey, [row]);
  }
  await db.transaction(async (tx) => {
    for (const group of byKey.values()) await storeEvents(tx, group);
  });
}

/** Events acknowledged but not yet stored, past which new batches wait for the engine. */
const MAX_BACKLOG = 50_000;
/** Most events one transaction stores: large enough to amortise, small enough to stay quick. */
const MAX_GROUP = 5_000;

/**
 * The embedded engine's append path. PGlite is one connection that runs one statement at a
 * time, so an insert issued while a 2-second insight query runs waits 2 seconds. Instead a
 * batch is acknowledged once it is in a durable journal (fdatasync, shared by concurrent
 * batches), and is stored by a transaction queued right away — so any read issued after the
 * acknowledgement sees it. A crash before the transaction commits loses nothing: the next
 * start stores what the journal holds (storing is idempotent per messageId).
 *
 * Duplicates are answered from an index of every stored messageId, held in memory (about
 * 100 bytes per event; see the README for when to move to PostgreSQL).
 */
export async function journalSink(db: Database, path: string | undefined, log: (line: string) => void): Promise<EventSink> {
  const partitions = partitionCache();
  const profiles = knownProfiles();
  const journal = await openJournalFile(path);
  for (const entry of journal.recovered) await store(db, fromEntry(entry as JournalEntry), partitions);
  if (journal.recovered.length > 0) log(`[linger] stored ${journal.recovered.length} journaled batches left by the last run`);
  await journal.truncate();

  // per key, each stored messageId and whether a vouched-for copy may still join it (store.ts)
  const seen = new Map<string, Map<string, boolean>>();
  const { rows: stored } = await db.query<{ write_key: string; ids: string[]; replaceable: boolean[] }>(
    'select write_key, array_agg(message_id) as ids, array_agg(replaceable) as replaceable from event_ids group by write_key',
  );
  for (const row of stored) seen.set(row.write_key, new Map(row.ids.map((id, i) => [id, row.replaceable[i] ?? false])));

  let backlog = 0;
  const inFlight = new Set<Promise<void>>();
  const retry: EventRow[][] = [];
  // The group whose transaction is queued but not started: later batches join it, so under
  // load the engine stores a few large inserts instead of many small ones. Reads issued after
  // any member's acknowledgement still queue behind it.
  let open: EventRow[] | undefined;
  const belowLimit: (() => void)[] = [];

  const apply = (rows: EventRow[]) => {
    backlog += rows.length;
    if (open && open.length + rows.length <= MAX_GROUP) {
      open.push(...rows);
      return;
    }
    const group = [...rows];
    open = group;
    const writes = profiles.writes();
    const work = db.transaction(async (tx) => {
      if (open === group) open = undefined;
      // one engine, one connection: creating a month here races no one
      await partitions.ensure(tx, group.map((r) => r.ts));
      const byKey = new Map<string, EventRow[]>();
      for (const row of group) {
        const list = byKey.get(row.writeKey);
        if (list) list.push(row);
        else byKey.set(row.writeKey, [row]);
      }
      for (const list of byKey.values()) await storeEvents(tx, list, writes);
    }).then(
      () => {
        writes.commit();
        backlog -= group.length;
      },
      (error: unknown) => {
        // Journaled, so not lost: try again shortly (a restart would also store them).
        if (isMissingPartition(error)) partitions.forget();
        log(`[linger] storing ${group.length} journaled events failed, retrying: ${(error as Error).message}`);
        backlog -= group.length;
        retry.push(group);
        setTimeout(() => {
          for (const again of retry.splice(0)) apply(again);
        }, 1000).unref();
      },
    );
    const tracked = work.finally(() => {
      inFlight.delete(tracked);
      if (backlog < MAX_BACKLOG) for (const resolve of belowLimit.splice(0)) resolve();
      if (inFlight.size === 0 && retry.length === 0) void journal.truncate();
    });
    inFlight.add(tracked);
  };

  return {
    async append(rows) {
      // Backpressure: when senders outrun the engine, acknowledgements wait for it, so memory
      // stays bounded and a sender's retry/backoff can work. Reads never cause this.
      while (backlog >= MAX_BACKLOG) await new Promise<void>((resolve) => belowLimit.push(resolve));
      const fresh: EventRow[] = [];
      for (const row of rows) {
        let ids = seen.get(row.writeKey);
        if (!ids) seen.set(row.writeKey, (ids = new Map()));
        const replaceable = ids.get(row.message.messageId);
        if (replaceable === false || (replaceable === true && row.verified !== true)) continue;
        ids.set(row.message.messageId, row.verified !== true);
        fresh.push(row);
      }
      if (fresh.length > 0) {
        apply(fresh);
        await journal.append(toEntry(fresh));
      } else {
        // A retry of a batch still being synced is answered once that batch is safe.
        await journal.settled();
      }
      return new Set(fresh.map((row) => row.message.messageId));
    },
    async drained() {
      while (inFlight.size > 0 || retry.length > 0) {
        await Promise.all([...inFlight]);
        if (retry.length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    backlog: () => backlog,
    async close() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      if (retry.length === 0) await journal.truncate();
      await journal.close();
    },
  };
}
