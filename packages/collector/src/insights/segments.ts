import type { Queryable } from '../db/database.ts';

export interface SegmentOption {
  trait: string;
  source: 'user' | 'group';
  values: { value: string; count: number }[];
}

/**
 * Traits worth offering as a segment filter: scalar values with few distinct values (plan,
 * role, country), not per-person ones (email, createdAt).
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
              count(*) over (partition by source, trait) as distinct_values
       from scalars group by source, trait, value)
     select source, trait, value, count from counted
     where distinct_values <= 20
     order by source desc, trait, count desc, value`,
    [writeKey],
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
