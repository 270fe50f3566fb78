import type { InsightFilter } from './filter.ts';
import { segmentWhere } from './scope.ts';
import type { SqlParams } from './sql-params.ts';

const DAY = 86_400_000;

/**
 * Rollups count whole UTC days, so they answer a range that starts and ends at midnight UTC
 * (every dashboard range). Any other range is read from the raw events.
 */
export const isDayAligned = (filter: InsightFilter): boolean =>
  filter.from.getTime() % DAY === 0 && filter.to.getTime() % DAY === 0;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The rollup counterpart of `scopeCtes`, for a day-aligned filter (see db/rollups.ts):
 * - `active_days`: one row per actor per active day (a person may have two: anonymous and identified); `seen`: first/last event per actor;
 * - `event_days`: per person, day, event and dimension, with a count; `event_counts`: the
 *   same counts summed over people (without a segment, from a table of O(days × dimensions));
 * - `keyed` / `scoped`: the fact events (survey answers, cancellation flows, checklists) with
 *   the same columns as the raw CTEs, so queries over those events run unchanged.
 * `fromDay` / `toDay` are the range as dates, `toDay` exclusive; `personWhere` selects the
 * rows of `rollup_person_bits` (insights/person-activity.ts) of the filter, and of the other
 * per-person rollups (cancel flows, survey responses); `modeWhere` the same without segments.
 */
export function rollupScope(filter: InsightFilter, p: SqlParams) {
  const key = p.add(filter.writeKey);
  const from = `${p.add(filter.from)}::timestamptz`;
  const to = `${p.add(filter.to)}::timestamptz`;
  const fromDay = `${p.add(isoDay(filter.from))}::date`;
  const toDay = `${p.add(isoDay(filter.to))}::date`;
  const segments = segmentWhere(filter, p, key);
  // The same rule as scopeCtes: by default an event whose userHash failed counts for no one.
  // Rollups keep it as a dimension (`unverified`), fact events as the raw `verified` column.
  const verifiedOnly = filter.identity === 'verified';
  const where = [`write_key = ${key}`, ...(verifiedOnly ? ['not unverified'] : []), ...segments].join(' and ');
  const factWhere = [`write_key = ${key}`, ...(verifiedOnly ? ['verified is not false'] : []), ...segments].join(' and ');
  // The per-person rows (db/person-bits.ts) keep each counting mode under its name.
  const identity = `${p.add(filter.identity)}::text`;
  const modeWhere = `write_key = ${key} and identity = ${identity}`;
  const personWhere = [modeWhere, ...segments].join(' and ');
  // `range_days` names every placeholder, so a query that reads no day column still binds them.
  const ctes = `
    range_days as (select ${fromDay} as from_day, ${toDay} as to_day, ${identity} as identity),
    active_days as not materialized (select person, day, events, first_ts, last_ts from resolved_activity where ${where}),
    event_days as not materialized (select person, event, day, dim, detail, n from resolved_event_days where ${where}),
    event_counts as not materialized (${
      segments.length === 0
        ? `select event, day, dim, detail, n from rollup_event_totals where ${where}`
        : 'select event, day, dim, detail, n from event_days'
    }),
    seen as not materialized (select person, first_seen, last_seen from resolved_people where ${where}),
    keyed as not materialized (select * from resolved_facts where ${factWhere}),
    scoped as not materialized (select * from keyed where ts >= ${from} and ts < ${to})`;
  return { ctes, key, from, to, fromDay, toDay, modeWhere, personWhere, verifiedOnly };
}
