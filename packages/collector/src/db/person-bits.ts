import type { Queryable } from './database.ts';

/**
 * Each person's active days as one row: a bit string, one bit per day from their first active
 * day to their last (migration 20 stored it as '0'/'1' text, migration 60 as `varbit`). A
 * person's activity over any window — days active in it, their last day in it, whether they
 * were there at all — is then bit work on one row instead of one row per person and day, so
 * at-risk, churn, gamification and activation read O(people) short rows whatever the range
 * (insights/person-activity.ts). Bits, because counting a window's days with `bit_count` on a
 * substring costs a fraction of removing the '0's of a text one (measured 71 ms against 232 ms
 * for 47,000 rows on PGlite), and a team's days OR without a cast per member.
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

/**
 * Migration 60: the days as bits. The '0'/'1' text casts as it reads (the same days); the
 * table holds a row per person and counting mode, so rewriting it is quick.
 */
export const personBitsVarbitSql = `alter table rollup_person_bits alter column days type varbit using days::varbit`;

/** `a` and `b` ('0'/'1' strings starting on days `aFirst`, `bFirst`) ORed, starting on the earlier day (migration 20's text form). */
const mergedText = (a: string, aFirst: string, b: string, bFirst: string) => {
  const first = `least(${aFirst}, ${bFirst})`;
  const left = `repeat('0', ${aFirst} - ${first}) || ${a}`;
  const right = `repeat('0', ${bFirst} - ${first}) || ${b}`;
  const length = `greatest(length(${left}), length(${right}))`;
  return `(rpad(${left}, ${length}, '0')::varbit | rpad(${right}, ${length}, '0')::varbit)::text`;
};

/** `n` zero bits. */
const zeros = (n: string) => `repeat('0', ${n})::varbit`;

/** `a` and `b` (bit strings starting on days `aFirst`, `bFirst`) ORed, starting on the earlier day. */
const merged = (a: string, aFirst: string, b: string, bFirst: string) => {
  const first = `least(${aFirst}, ${bFirst})`;
  const length = `greatest(${aFirst} + length(${a}), ${bFirst} + length(${b})) - ${first}`;
  // each shifted to the common first day and filled to the common length: `|` needs equal lengths
  const aligned = (x: string, xFirst: string) => `(${zeros(`${xFirst} - ${first}`)} || ${x} || ${zeros(`${length} - (${xFirst} - ${first}) - length(${x})`)})`;
  return `${aligned(a, aFirst)} | ${aligned(b, bFirst)}`;
};

/** The days of the grouped rows below (their `offsets` from `first_day`), as '0'/'1' text. */
const dayString = `(select string_agg(case when o = any(offsets) then '1' else '0' end, '' order by o)
              from generate_series(0, last_day - first_day) o)`;

const groupedDays = (source: string) => `
      from (
        select write_key, identity, person, min(day) as first_day, max(day) as last_day,
               array_agg(day - first_of) as offsets
        from (select s.*, min(s.day) over (partition by s.write_key, s.identity, s.person) as first_of from ${source} s) x
        group by 1, 2, 3) grouped
      order by 1, 2, 3`;

/**
 * A CTE that ORs the person-days of `source` (write_key, identity, person, day; the `active`
 * series only, no row twice) into the rows above, one row per person, in key order.
 */
export function personBitsCte(name: string, source: string): string {
  return `
    ${name} as (
      insert into rollup_person_bits (write_key, identity, person, first_day, last_day, days)
      select write_key, identity, person, first_day, last_day, ${dayString}::varbit
      ${groupedDays(source)}
      on conflict (write_key, identity, person) do update set
        first_day = least(rollup_person_bits.first_day, excluded.first_day),
        last_day = greatest(rollup_person_bits.last_day, excluded.last_day),
        days = ${merged('rollup_person_bits.days', 'rollup_person_bits.first_day', 'excluded.days', 'excluded.first_day')})`;
}

/** The CTE above as migration 20 wrote it, while `days` was text (see fillPersonBits). */
function personTextCte(name: string, source: string): string {
  return `
    ${name} as (
      insert into rollup_person_bits (write_key, identity, person, first_day, last_day, days)
      select write_key, identity, person, first_day, last_day, ${dayString}
      ${groupedDays(source)}
      on conflict (write_key, identity, person) do update set
        first_day = least(rollup_person_bits.first_day, excluded.first_day),
        last_day = greatest(rollup_person_bits.last_day, excluded.last_day),
        days = ${mergedText('rollup_person_bits.days', 'rollup_person_bits.first_day', 'excluded.days', 'excluded.first_day')})`;
}

/**
 * Fills the rows above from the person-days (migration 20; a rebuild refills both through the
 * fold). Migration 20 stored the days as text, and migration 60 turns them into bits after it:
 * this writes what 20 always wrote, so every database reaches 60 with the same column.
 */
export async function fillPersonBits(tx: Queryable): Promise<void> {
  // absent on a fresh database, where migration 15 comes next (see migrations.ts)
  const { rows } = await tx.query<{ ready: boolean }>(`select to_regclass('rollup_person_days') is not null as ready`);
  if (!rows[0]?.ready) return;
  await tx.query(`with ${personTextCte('bits', "(select write_key, identity, person, day from rollup_person_days where series = 'active')")}
    select 1`);
}
