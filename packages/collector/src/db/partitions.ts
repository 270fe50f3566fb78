import type { Database, Queryable } from './database.ts';

/** `events` is partitioned by month of `ts` (UTC): events_y2026m03 holds March 2026. */
const PARTITION = /^events_y(\d{4})m(\d{2})$/;

const monthStart = (time: number) => {
  const d = new Date(time);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (start: number) => {
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
export const partitionName = (start: number) => {
  const d = new Date(start);
  return `events_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** Any number, the same for every collector: partition creators take turns. */
const PARTITION_LOCK = 7_342_002;

/**
 * Creates the month partitions that events at `times` need and that don't exist yet, in month
 * order under an advisory lock, so two collectors (or two batches) creating months never
 * deadlock. Meant for a short transaction of its own on PostgreSQL: creating a partition locks
 * the whole `events` table until commit.
 */
export async function ensurePartitions(tx: Queryable, times: readonly Date[]): Promise<void> {
  const starts = [...new Set(times.map((t) => monthStart(t.getTime())))].sort((a, b) => a - b);
  const names = starts.map(partitionName);
  const missing = async () =>
    (await tx.query<{ name: string }>('select name from unnest($1::text[]) as name where to_regclass(name) is null', [names])).rows.map((r) => r.name);
  if ((await missing()).length === 0) return;
  await tx.query('select pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
  for (const name of await missing()) {
    const start = starts[names.indexOf(name)] as number;
    await tx.query(
      `create table if not exists ${name} partition of events
       for values from ('${new Date(start).toISOString()}') to ('${new Date(nextMonth(start)).toISOString()}')`,
    );
  }
}

const DAY = 86_400_000;

/**
 * Creates this month's and next month's partitions at start and once a day, so a batch seldom
 * has to: creating one locks the whole `events` table, and a batch with the first event of a
 * month would wait for a rollups rebuild under way (its transaction reads `events`) to commit.
 */
export function keepPartitionsAhead(db: Database, now: () => Date, log: (line: string) => void) {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    const start = monthStart(now().getTime());
    running = db.transaction((tx) => ensurePartitions(tx, [new Date(start), new Date(nextMonth(start))])).catch((error: unknown) => log(`[linger] creating month partitions failed: ${(error as Error).message}`));
  };
  run();
  const timer = setInterval(run, DAY);
  timer.unref();
  return {
    /** The first run is done (its months exist). */
    ready: () => running,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Remembers the months known to exist, so a batch costs no catalog lookup; `forget` after an
 * insert found a month missing (another collector's retention dropped it).
 */
export function partitionCache() {
  const known = new Set<number>();
  return {
    /** The times whose month is not known to have a partition. */
    unknown: (times: readonly Date[]) => times.filter((t) => !known.has(monthStart(t.getTime()))),
    async ensure(tx: Queryable, times: readonly Date[]) {
      const unknown = times.filter((t) => !known.has(monthStart(t.getTime())));
      if (unknown.length === 0) return;
      await ensurePartitions(tx, unknown);
      for (const t of unknown) known.add(monthStart(t.getTime()));
    },
    forget: () => known.clear(),
  };
}

export type PartitionCache = ReturnType<typeof partitionCache>;

/** Postgres' "no partition of relation ... found for row". */
export const isMissingPartition = (error: unknown) => (error as { code?: string }).code === '23514';

/**
 * Retention: drops the raw events of every month that ended more than `months` months before
 * `now`, a whole partition at a time (no row-by-row delete, no bloat). Rollups, fact events and
 * the messageId ledger stay, so the dashboard keeps its history and a late retry of a dropped
 * event is still recognised as a duplicate. Returns the dropped partitions.
 */
export async function dropExpiredPartitions(db: Database, months: number, now: Date): Promise<string[]> {
  const cutoff = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, now.getUTCDate());
  const { rows } = await db.query<{ name: string }>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
     where i.inhparent = 'events'::regclass`,
  );
  const expired = rows
    .map(({ name }) => ({ name, match: PARTITION.exec(name) }))
    .filter(({ match }) => match && nextMonth(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)) <= cutoff)
    .map(({ name }) => name)
    .sort();
  for (const name of expired) await db.transaction((tx) => tx.query(`drop table ${name}`));
  return expired;
}
