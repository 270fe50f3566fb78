import type { Queryable } from '../db/database.ts';

export interface SegmentOption {
  trait: string;
  source: 'user' | 'group';
  values: { value: string; count: number }[];
}

/**
 * Traits offered at most: the ones most people have. One person's identify calls can hold any
 * number of trait names, and each was an option on every dashboard load (56,002 of them, 11 s).
 */
export const MAX_SEGMENT_TRAITS = 100;

/**
 * Traits worth offering as a segment filter: scalar values with few distinct values (plan,
 * role, country), not per-person ones (email, createdAt); the MAX_SEGMENT_TRAITS most held.
 */
export async function segmentOptions(db: Queryable, writeKey: string): Promise<SegmentOption[]> {
  const { rows } = await db.query<{ trait: string; source: 'user' | 'group'; value: string; count: number }>(
    `with pairs as (
       select 'user' as source, t.key as trait, t.value as value
       from user_traits, jsonb_each(traits) as t(key, value) where write_key = $1
       union all
       select 'group', t.key, t.value
       from group_traits, jsonb_each(traits) as t(key, value) where write_key = $1),
     scalars as (
       select source, trait, value #>> '{}' as value from pairs
       where jsonb_typeof(value) in ('string', 'number', 'boolean')),
     counted as (
       select source, trait, value, count(*)::int as count,
              count(*) over (partition by source, trait) as distinct_values,
              sum(count(*)) over (partition by source, trait) as holders
       from scalars group by source, trait, value),
     kept as (
       select *, dense_rank() over (order by holders desc, source desc, trait) as place
       from counted where distinct_values <= 20)
     select source, trait, value, count from kept
     where place <= $2
     order by source desc, trait, count desc, value`,
    [writeKey, MAX_SEGMENT_TRAITS],
  );
  const options = new Map<string, SegmentOption>();
  for (const row of rows) {
    const id = `${row.source}:${row.trait}`;
    const option = options.get(id) ?? { trait: row.trait, source: row.source, values: [] };
    option.values.push({ value: row.value, count: row.count });
    options.set(id, option);
  }
  return [...options.values()];
}
