import type { Queryable } from './database.ts';
import { anonymousIdOf } from './persons.ts';

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
 * window are those whose last day is not before it. `first_seen` (migration 61) is the time of
 * the person's first event, exactly, as `resolved_people` gives it (the earliest of their
 * actors): activation's time to complete reads it with the cohort instead of resolving every
 * actor of the key at each read.
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

/**
 * CTE `name`: (write_key, identity, person, first_seen) for each row of `people` (write_key,
 * identity, person): the earliest `first_seen` of the person's actors in that counting mode,
 * resolved as `resolved_people` resolves them (an anonymous actor is the user it is linked to).
 * Looked up by index per person, so a refresh pays for the people it touched.
 */
export function firstSeenCte(name: string, people: string): string {
  return `
    ${name} as (
      select t.write_key, t.identity, t.person, min(r.first_seen) as first_seen
      from ${people} t
      cross join lateral (
        -- the person as an actor: a user, or an anonymous visitor linked to no one (db/persons.ts)
        select r.first_seen, r.unverified from rollup_people r
        where r.write_key = t.write_key and r.actor = t.person and not r.anonymous
        union all
        select r.first_seen, r.unverified from rollup_people r
        where r.write_key = t.write_key and r.actor = ${anonymousIdOf('t.person')} and r.anonymous
          and not exists (select 1 from identities i where i.write_key = r.write_key and i.anonymous_id = r.actor)
        union all
        -- the anonymous ids linked to them
        select r.first_seen, r.unverified from identities i
        join rollup_people r on r.write_key = i.write_key and r.actor = i.anonymous_id and r.anonymous
        where i.write_key = t.write_key and i.user_id = t.person) r
      where t.identity = 'all' or not r.unverified
      group by 1, 2, 3)`;
}

/**
 * Migration 61: each person's first event time, from the per-actor rollups (every person of
 * the table at once: one pass over them instead of a lookup per person). The rows are copied
 * into a new table rather than updated: an update leaves a dead copy of every row that no
 * rewrite in the same transaction can drop, and the doubled table (8.6 → 16 MB at 10M events)
 * made at-risk, which scans it, 268 → 391 ms. Took 3 s at 10M events.
 */
export const personFirstSeenSql = `
  create table rollup_person_bits_next (
    write_key text not null,
    identity text not null,
    person text not null,
    first_day date not null,
    last_day date not null,
    days varbit not null,
    first_seen timestamptz
  );
  insert into rollup_person_bits_next (write_key, identity, person, first_day, last_day, days, first_seen)
  select b.write_key, b.identity, b.person, b.first_day, b.last_day, b.days, s.first_seen
  from rollup_person_bits b
  left join (
    select r.write_key, m.identity, case when r.anonymous then coalesce(i.user_id, r.actor) else r.actor end as person,
           min(r.first_seen) as first_seen
    from rollup_people r
    left join identities i on r.anonymous and i.write_key = r.write_key and i.anonymous_id = r.actor
    cross join lateral (values ('all', true), ('verified', not r.unverified)) as m(identity, counted)
    where m.counted
    group by 1, 2, 3) s on s.write_key = b.write_key and s.identity = b.identity and s.person = b.person
  order by 1, 2, 3;
  drop table rollup_person_bits;
  alter table rollup_person_bits_next rename to rollup_person_bits;
  alter table rollup_person_bits add primary key (write_key, identity, person);
  create index rollup_person_bits_last_day on rollup_person_bits (write_key, identity, last_day);
  create index rollup_person_bits_first_day on rollup_person_bits (write_key, identity, first_day);
  -- a new table has no statistics until autovacuum comes by: plan the first reads on real ones
  analyze rollup_person_bits
`;

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
 * series only, no row twice) into the rows above, one row per person, in key order. A new
 * row's `first_seen` is set after it, by the fold (db/distinct-days.ts).
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
