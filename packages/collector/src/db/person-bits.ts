import type { Queryable } from './database.ts';

/**
 * Each person's active days as one row: a string of '0'/'1', one character per day from their
 * first active day to their last (migration 20). A person's activity over any window — days
 * active in it, their last day in it, whether they were there at all — is then string work on
 * one row instead of one row per person and day, so at-risk, churn, gamification and activation
 * read O(people) short rows whatever the range (insights/person-activity.ts).
 *
 * It mirrors the `active` series of `rollup_person_days` (db/distinct-days.ts) exactly, in both
 * counting modes (`identity`): a fold ORs in the days it adds there, an identity link deletes
 * the anonymous person's row as it deletes their days (they come back as the user's through the
 * fold), a rebuild truncates it with them. `last_day` is stored for its index: the people of a
 * window are those whose last day is not before it.
 */
export const personBitsSchema = `
  create table rollup_person_bits (
    write_key text not null,
    identity text not null,
    person text not null,
    first_day date not null,
    last_day date not null,
    days text not null,
    primary key (write_key, identity, person)
  );
  create index rollup_person_bits_last_day on rollup_person_bits (write_key, identity, last_day);
  create index rollup_person_bits_first_day on rollup_person_bits (write_key, identity, first_day)
`;

/** `a` and `b` ('0'/'1' strings starting on days `aFirst`, `bFirst`) ORed, starting on the earlier day. */
const merged = (a: string, aFirst: string, b: string, bFirst: string) => {
  const first = `least(${aFirst}, ${bFirst})`;
  const left = `repeat('0', ${aFirst} - ${first}) || ${a}`;
  const right = `repeat('0', ${bFirst} - ${first}) || ${b}`;
  const length = `greatest(length(${left}), length(${right}))`;
  return `(rpad(${left}, ${length}, '0')::varbit | rpad(${right}, ${length}, '0')::varbit)::text`;
};

/**
 * A CTE that ORs the person-days of `source` (write_key, identity, person, day; the `active`
 * series only, no row twice) into the rows above, one row per person, in key order.
 */
export function personBitsCte(name: string, source: string): string {
  return `
    ${name} as (
      insert into rollup_person_bits (write_key, identity, person, first_day, last_day, days)
      select write_key, identity, person, first_day, last_day,
             (select string_agg(case when o = any(offsets) then '1' else '0' end, '' order by o)
              from generate_series(0, last_day - first_day) o)
      from (
        select write_key, identity, person, min(day) as first_day, max(day) as last_day,
               array_agg(day - first_of) as offsets
        from (select s.*, min(s.day) over (partition by s.write_key, s.identity, s.person) as first_of from ${source} s) x
        group by 1, 2, 3) grouped
      order by 1, 2, 3
      on conflict (write_key, identity, person) do update set
        first_day = least(rollup_person_bits.first_day, excluded.first_day),
        last_day = greatest(rollup_person_bits.last_day, excluded.last_day),
        days = ${merged('rollup_person_bits.days', 'rollup_person_bits.first_day', 'excluded.days', 'excluded.first_day')})`;
}

/** Fills the rows above from the person-days (migration 20; a rebuild refills both through the fold). */
export async function fillPersonBits(tx: Queryable): Promise<void> {
  // absent on a fresh database, where migration 15 comes next (see migrations.ts)
  const { rows } = await tx.query<{ ready: boolean }>(`select to_regclass('rollup_person_days') is not null as ready`);
  if (!rows[0]?.ready) return;
  await tx.query(`with ${personBitsCte('bits', "(select write_key, identity, person, day from rollup_person_days where series = 'active')")}
    select 1`);
}
