import type { InsightFilter } from './filter.ts';
import type { SqlParams } from './sql-params.ts';

/**
 * The CTEs every insight starts from:
 * - `members`: people in the segment (user trait, or a trait of a group they belong to);
 * - `keyed`: all their events for the project, any time (first-seen and trailing windows need
 *   history before the range);
 * - `scoped`: the same, inside the range.
 * Also returns the bound placeholders of the range for the caller's own clauses.
 */
export function scopeCtes(filter: InsightFilter, p: SqlParams) {
  const key = p.add(filter.writeKey);
  const from = `${p.add(filter.from)}::timestamptz`;
  const to = `${p.add(filter.to)}::timestamptz`;
  const segmentClauses = segmentWhere(filter, p, key);
  // Unverified events keep their place in `all`; by default they count for no one.
  const identityClauses = filter.identity === 'verified' ? ['verified is not false'] : [];
  const where = [`write_key = ${key}`, ...identityClauses, ...segmentClauses].join(' and ');
  // Not materialized: inlined into each use, so the event name and time filters of each query
  // reach the indexes instead of scanning a copy of every event with its JSON.
  const ctes = `
    keyed as not materialized (select * from resolved_events where ${where}),
    scoped as not materialized (select * from keyed where ts >= ${from} and ts < ${to})`;
  return { ctes, key, from, to };
}

/** `person in (...)` clauses, one per segment of the filter: people with that user or account trait. */
export function segmentWhere(filter: InsightFilter, p: SqlParams, key: string): string[] {
  return filter.segments.map((segment) => {
    const trait = p.add(segment.trait);
    const value = p.add(segment.value);
    return `person in (
      select ut.person from user_traits ut
        where ut.write_key = ${key} and ut.traits ->> ${trait} = ${value}
      union
      select m.person from memberships m
        join group_traits g on g.write_key = m.write_key and g.group_id = m.group_id
        where m.write_key = ${key} and g.traits ->> ${trait} = ${value})`;
  });
}

/** The UTC calendar day of an event: all day buckets (DAU, weekly trends) use UTC. */
export const utcDay = (column = 'ts') => `(${column} at time zone 'UTC')::date`;

/** A number from a JSON property, whether the client sent 9 or "9"; null otherwise. */
export const jsonNumber = (expr: string) =>
  `(case when (${expr}) ~ '^-?[0-9]+(\\.[0-9]+)?$' then (${expr})::float8 end)`;
