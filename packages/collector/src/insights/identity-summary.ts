import type { Database, Queryable } from '../db/database.ts';
import type { IdentityMode, InsightFilter } from './filter.ts';

export interface IdentitySummary {
  /** Which events the numbers count: `verified` leaves out those whose userHash failed. */
  mode: IdentityMode;
  /** Events in the range whose userHash was missing or wrong, whichever the mode. */
  unverifiedEvents: number;
}

/**
 * What the dashboard says next to every number: which events count, and how many were left
 * out (or let in). Not narrowed to the segment: the point is to say how much is at stake.
 */
export async function identitySummary(db: Queryable, filter: InsightFilter, source: 'rollups' | 'events' = 'events'): Promise<IdentitySummary> {
  // From the rollups when the answer is: raw months past retention are gone, their rollups stay.
  const { rows } = source === 'rollups'
    ? await db.query<{ n: number }>(
        `select coalesce(sum(events), 0)::int as n from rollup_activity
         where write_key = $1 and day >= $2::date and day < $3::date and unverified`,
        [filter.writeKey, filter.from.toISOString().slice(0, 10), filter.to.toISOString().slice(0, 10)],
      )
    : await db.query<{ n: number }>(
        `select count(*)::int as n from events
         where write_key = $1 and ts >= $2::timestamptz and ts < $3::timestamptz and verified = false`,
        [filter.writeKey, filter.from, filter.to],
      );
  return { mode: filter.identity, unverifiedEvents: rows[0]?.n ?? 0 };
}

/**
 * Every insight answer carries the count above, so it must not scan the range: a partial index
 * holds the unverified events only (few, where vendors send userHashes). Idempotent; run on
 * start beside the migrations.
 */
export async function ensureIdentityIndex(db: Database): Promise<void> {
  await db.query('create index if not exists events_unverified on events (write_key, ts) where verified = false');
}
