import { dirname, join } from 'node:path';
import type { Database, Queryable } from '../db/database.ts';
import { partitionCache, type PartitionCache } from '../db/partitions.ts';
import { openJournalFile } from './journal-file.ts';
import { knownProfiles, type KnownProfiles, type ProfileWrites } from './known-profiles.ts';
import { quarantineFile, type Quarantine } from './quarantine.ts';
import type { Message } from './message-schema.ts';
import type { EventSink } from './sink.ts';
import { dedupeKey, dedupeKeyOf, legacySender, senderOf, storeEvents, type EventRow } from './store.ts';

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

/** storeEvents per write key (it deduplicates by messageId and sender within a key), in `tx`. */
async function storeByKey(tx: Queryable, rows: readonly EventRow[], writes?: ProfileWrites): Promise<void> {
  const byKey = new Map<string, EventRow[]>();
  for (const row of rows) {
    const group = byKey.get(row.writeKey);
    if (group) group.push(row);
    else byKey.set(row.writeKey, [row]);
  }
  for (const group of byKey.values()) await storeEvents(tx, group, writes);
}

/**
 * After `rows` failed together: stores each alone, so one event the database won't take (it
 * passed ingestion's checks, or an older collector journaled it) costs only itself, and sets
 * aside each that fails alone. A failed transaction may have created partitions it rolled
 * back, so the cache of known months starts over.
 */
async function storeEachAlone(
  db: Database,
  rows: readonly EventRow[],
  partitions: PartitionCache,
  profiles: KnownProfiles,
  quarantine: Quarantine,
  onHeld?: (row: EventRow) => Promise<void>,
): Promise<void> {
  partitions.forget();
  for (const row of rows) {
    const writes = profiles.writes();
    try {
      await db.transaction(async (tx) => {
        await partitions.ensure(tx, [row.ts]);
        await storeByKey(tx, [row], writes);
      });
      writes.commit();
    } catch (error) {
      partitions.forget();
      await quarantine.hold(row, error);
      await onHeld?.(row);
    }
  }
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
 * start stores what the journal holds (storing is idempotent per messageId and sender).
 *
 * Duplicates are answered from an index of every stored messageId with its sender, held in
 * memory (about 100 bytes per event plus the sender's id; see the README for when to move to
 * PostgreSQL).
 */
export async function journalSink(db: Database, path: string | undefined, log: (line: string) => void): Promise<EventSink> {
  const partitions = partitionCache();
  const profiles = knownProfiles();
  const quarantine = quarantineFile(path === undefined ? undefined : join(dirname(path), 'ingest-quarantine.ndjson'), log);
  const journal = await openJournalFile(path);
  // A journaled event the database won't take is set aside, never a reason not to start.
  for (const entry of journal.recovered) {
    const rows = fromEntry(entry as JournalEntry);
    const writes = profiles.writes();
    try {
      await db.transaction((tx) => partitions.ensure(tx, rows.map((r) => r.ts)));
      await db.transaction((tx) => storeByKey(tx, rows, writes));
      writes.commit();
    } catch {
      await storeEachAlone(db, rows, partitions, profiles, quarantine);
    }
  }
  if (journal.recovered.length > 0) log(`[linger] stored ${journal.recovered.length} journaled batches left by the last run`);
  await journal.truncate();

  // per key, each stored (messageId, sender) and whether a vouched-for copy may still join it (store.ts)
  const seen = new Map<string, Map<string, boolean>>();
  const { rows: stored } = await db.query<{ write_key: string; ids: string[]; senders: string[]; replaceable: boolean[] }>(
    'select write_key, array_agg(message_id) as ids, array_agg(sender) as senders, array_agg(replaceable) as replaceable from event_ids group by write_key',
  );
  for (const row of stored) seen.set(row.write_key, new Map(row.ids.map((id, i) => [dedupeKey(id, row.senders[i]!), row.replaceable[i] ?? false])));

  /**
   * A row set aside was never stored, yet `append` noted its messageId as seen: the fixed copy
   * the quarantine file asks the operator to resend would be answered as a duplicate and dropped.
   * The ledger, which the failed transaction left as it was, says what the index must hold.
   */
  const unsee = async (row: EventRow) => {
    const ledger = await db.query<{ replaceable: boolean }>(
      'select replaceable from event_ids where write_key = $1 and message_id = $2 and sender = $3',
      [row.writeKey, row.message.messageId, senderOf(row.message)],
    ).then((r) => r.rows, () => undefined);
    // The database unreachable: the index stays as it was (a resend is then a duplicate, as before).
    if (!ledger) return;
    const ids = seen.get(row.writeKey);
    const key = dedupeKeyOf(row.message);
    if (ledger[0]) ids?.set(key, ledger[0].replaceable);
    else ids?.delete(key);
  };

  let backlog = 0;
  const inFlight = new Set<Promise<void>>();
  // The group whose transaction is queued but not started: later batches join it, so under
  // load the engine stores a few large inserts instead of many small ones. Reads issued after
  // any member's acknowledgement still queue behind it.
  let open: EventRow[] | undefined;
  const belowLimit: (() => void)[] = [];

  // `rows` are already counted in `backlog` (append reserves them before its journal write).
  const apply = (rows: EventRow[]) => {
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
      await storeByKey(tx, group, writes);
    }).then(
      () => writes.commit(),
      // Journaled and acknowledged, so neither dropped nor retried as a group forever: a
      // poison event would hold back everyone's events merged into its group after it.
      () => storeEachAlone(db, group, partitions, profiles, quarantine, unsee),
    ).finally(() => {
      backlog -= group.length;
    });
    const tracked = work.finally(() => {
      inFlight.delete(tracked);
      if (backlog < MAX_BACKLOG) for (const resolve of belowLimit.splice(0)) resolve();
      if (inFlight.size === 0) void journal.truncate();
    });
    inFlight.add(tracked);
  };

  /**
   * The journal write of each event noted as seen whose write is still under way, by write key
   * and dedupeKeyOf. A copy arriving meanwhile (a sender's retry after its request timed out) is
   * a duplicate only once that write went through: answered as one before, while the write then
   * failed (a full disk), the sender dropped an event that was on no disk, and a crash before
   * the engine stored it lost it.
   */
  const writing = new Map<string, Promise<void>>();
  const claimOf = (row: EventRow) => `${row.writeKey}\u0000${dedupeKeyOf(row.message)}`;

  return {
    async append(rows) {
      // Backpressure: when senders outrun the engine, acknowledgements wait for it, so memory
      // stays bounded and a sender's retry/backoff can work. Reads never cause this.
      while (backlog >= MAX_BACKLOG) await new Promise<void>((resolve) => belowLimit.push(resolve));
      const fresh: EventRow[] = [];
      // What each fresh row's key was before this batch claimed it, to give it back if the write fails.
      const before: (boolean | undefined)[] = [];
      const earlier = new Set<Promise<void>>();
      for (const row of rows) {
        let ids = seen.get(row.writeKey);
        if (!ids) seen.set(row.writeKey, (ids = new Map()));
        const key = dedupeKeyOf(row.message);
        const replaceable = ids.get(key);
        const pending = writing.get(claimOf(row));
        if (replaceable === false || (replaceable === true && row.verified !== true) || ids.has(dedupeKey(row.message.messageId, legacySender))) {
          if (pending) earlier.add(pending);
          continue;
        }
        before.push(replaceable);
        ids.set(key, row.verified !== true);
        fresh.push(row);
      }
      if (fresh.length > 0) {
        // Counted before the write, not once stored: every batch arriving while a write (an
        // fsync on a slow disk) is under way passed the bound above, and the backlog outgrew it.
        backlog += fresh.length;
        const write = journal.append(toEntry(fresh));
        for (const row of fresh) writing.set(claimOf(row), write);
        try {
          await write;
        } catch (error) {
          backlog -= fresh.length;
          if (backlog < MAX_BACKLOG) for (const resolve of belowLimit.splice(0)) resolve();
          // On no disk: not seen, so the sender's retry (a 5xx asks for one) is stored.
          fresh.forEach((row, i) => {
            if (writing.get(claimOf(row)) !== write) return;
            const was = before[i];
            if (was === undefined) seen.get(row.writeKey)?.delete(dedupeKeyOf(row.message));
            else seen.get(row.writeKey)?.set(dedupeKeyOf(row.message), was);
          });
          throw error;
        } finally {
          for (const row of fresh) if (writing.get(claimOf(row)) === write) writing.delete(claimOf(row));
        }
        // Stored only once safe on disk (still queued before the answer, so a read issued after
        // it sees them): a batch whose write failed gives its keys back above, and stored anyway,
        // the copy its sender then sent again was counted as new.
        apply(fresh);
      }
      // A retry of a batch still being written is answered once that batch is safe; if its write
      // failed, this copy fails too, and its sender sends it again.
      await Promise.all(earlier);
      return new Set(fresh.map((row) => dedupeKeyOf(row.message)));
    },
    async drained() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    backlog: () => backlog,
    async close() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      await journal.truncate();
      await journal.close();
    },
  };
}
