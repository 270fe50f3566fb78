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

/**
 * Creates the month partitions that events at `times` need and that don't exist yet. Runs in
 * the inserting transaction (a savepoint each, so a collector that loses a race to create the
 * same month carries on); the existence check is one catalog lookup per batch.
 */
export async function ensurePartitions(tx: Queryable, times: readonly Date[]): Promise<void> {
  const starts = [...new Set(times.map((t) => monthStart(t.getTime())))];
  const names = starts.map(partitionName);
  const { rows } = await tx.query<{ name: string }>('select name from unnest($1::text[]) as name where to_regclass(name) is null', [names]);
  for (const { name } of rows) {
    const start = starts[names.indexOf(name)] as number;
    await tx.query('savepoint linger_partition');
    try {
      await tx.query(
        `create table if not exists ${name} partition of events
         for values from ('${new Date(start).toISOString()}') to ('${new Date(nextMonth(start)).toISOString()}')`,
      );
      await tx.query('release savepoint linger_partition');
    } catch (error) {
      await tx.query('rollback to savepoint linger_partition');
      const { rows: exists } = await tx.query<{ ok: boolean }>('select to_regclass($1) is not null as ok', [name]);
      if (!exists[0]?.ok) throw error;
    }
  }
}

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
