import type { Queryable } from './database.ts';
import { firstSeenCte, personBitsCte } from './person-bits.ts';
import { anonymousPerson, personOf } from './persons.ts';

/**
 * Distinct people over any window of days, exactly, from O(days × gaps) rows instead of one
 * row per person and day.
 *
 * A series is what a person can do on a day: `active` (any event) or `feature:<name>` (a
 * `Feature Used` of that feature). Each of a person's days in a series is filed under its
 * `gap`: days since that person's previous day in the series, 0 for their first. A person
 * counts in the window [s, e) through exactly one day: their first day in it, the one whose
 * previous day lies before s. So
 *
 *   distinct people in [s, e) = sum(people) over days d in [s, e) with gap = 0 or gap > d - s
 *
 * which answers daily users (windows of one day: every row counts), WAU and MAU of every day,
 * and the people of a whole range alike, for every range (see insights/adoption.ts).
 *
 * Tables (migration 15):
 * - `rollup_person_days`: the person-days per series, the person resolved through
 *   `identities` when folded; it is what a new day's neighbours are looked up in;
 * - `rollup_distinct_days`: the histogram above;
 * - `rollup_link_queue`: anonymousId → userId links recorded by ingestion and not yet applied:
 *   the days an anonymous person had before the link become the user's;
 * - `rollup_person_work`: the person-days a refresh is about to fold (empty between refreshes).
 * `identity` is the counting mode: `all` has every event, `verified` leaves out events whose
 * userHash failed (as `?identity=` does).
 * Refreshes run one at a time (an advisory lock on PostgreSQL, one connection on PGlite): each
 * new day changes the gap of the next day of the same person, which two refreshes at once
 * would both miss.
 */
export const distinctDaysSchema = `
  create table rollup_person_days (
    write_key text not null,
    identity text not null,
    series text not null,
    person text not null,
    day date not null,
    primary key (write_key, identity, series, person, day)
  );
  -- an identity link moves every day of the anonymous person, whatever the series
  create index rollup_person_days_person on rollup_person_days (write_key, person);

  create table rollup_distinct_days (
    write_key text not null,
    identity text not null,
    series text not null,
    day date not null,
    gap integer not null,
    people integer not null,
    primary key (write_key, identity, series, day, gap)
  );

  create table rollup_link_queue (
    write_key text not null,
    anonymous_id text not null,
    user_id text not null
  );

  create table rollup_person_work (
    write_key text not null,
    identity text not null,
    series text not null,
    person text not null,
    day date not null
  );
`;

/**
 * A CTE (for the refresh statement that takes the staged events, `source`) queuing the
 * person-days of those events, in both counting modes.
 */
export function personDaysWorkCte(source: string): string {
  return `
    person_work as (
      insert into rollup_person_work (write_key, identity, series, person, day)
      select distinct e.write_key, m.identity, s.series, e.person, e.day from (
        select b.write_key, ${personOf('b.user_id', 'i.user_id', 'b.anonymous_id')} as person, (b.ts at time zone 'UTC')::date as day,
               b.verified is false as unverified,
               case when b.event = 'Feature Used' then b.properties ->> 'feature' end as feature
        from ${source} b
        left join identities i on b.user_id is null and i.write_key = b.write_key and i.anonymous_id = b.anonymous_id) e
      cross join lateral (values ('all', true), ('verified', not e.unverified)) as m(identity, counted)
      cross join lateral (values ('active'), ('feature:' || e.feature)) as s(series)
      where m.counted and s.series is not null)`;
}

const sameSeries = (a: string, b: string) =>
  `${a}.write_key = ${b}.write_key and ${a}.identity = ${b}.identity and ${a}.series = ${b}.series and ${a}.person = ${b}.person`;

/** Adds the summed deltas to the histogram; one row per key, in key order (no row twice). */
const histogramUpsert = (deltas: string) => `
  insert into rollup_distinct_days (write_key, identity, series, day, gap, people)
  select write_key, identity, series, day, gap, sum(d)::int from ${deltas}
  group by 1, 2, 3, 4, 5 having sum(d) <> 0 order by 1, 2, 3, 4, 5
  on conflict (write_key, identity, series, day, gap) do update set people = rollup_distinct_days.people + excluded.people`;

/**
 * Applies the queued identity links: an anonymous person's days leave the histogram (their
 * gaps among themselves are known: all of them go) and come back through the work table as
 * the user's, where days the user already had count once.
 */
export async function applyLinks(tx: Queryable): Promise<void> {
  await tx.query(
    `with links as (delete from rollup_link_queue returning write_key, anonymous_id, user_id),
     moved as (
       delete from rollup_person_days p using links l
       where p.write_key = l.write_key and p.person = ${anonymousPerson('l.anonymous_id')}
       returning p.write_key, p.identity, p.series, p.person, p.day, l.user_id),
     deltas as (
       select write_key, identity, series, day,
              coalesce(day - lag(day) over (partition by write_key, identity, series, person order by day), 0) as gap, -1 as d
       from moved),
     histogram as (${histogramUpsert('deltas')}),
     -- every day of theirs goes, as from rollup_person_days: the row of days goes whole
     unlinked as (
       delete from rollup_person_bits b using links l
       where b.write_key = l.write_key and b.person = ${anonymousPerson('l.anonymous_id')}),
     work as (
       insert into rollup_person_work (write_key, identity, series, person, day)
       select write_key, identity, series, user_id, day from moved)
     select count(*)::int as n from links`,
  );
}

/**
 * Folds the work table into the person-days and the histogram. A new day x of a person takes
 * the gap to the day before it (old or new); the old day right after a run of new days, y,
 * had its gap measured to the old day before the run and now measures it to the run's last day.
 */
export async function foldPersonDays(tx: Queryable): Promise<number> {
  const { rows } = await tx.query<{ n: number; keys: string[] | null; modes: string[] | null; people: string[] | null }>(
    `with work as (delete from rollup_person_work returning write_key, identity, series, person, day),
     fresh as (
       select distinct w.write_key, w.identity, w.series, w.person, w.day from work w
       where not exists (select 1 from rollup_person_days b where ${sameSeries('b', 'w')} and b.day = w.day)),
     probed as (
       select f.*,
              (select max(b.day) from rollup_person_days b where ${sameSeries('b', 'f')} and b.day < f.day) as prev_old,
              (select min(b.day) from rollup_person_days b where ${sameSeries('b', 'f')} and b.day > f.day) as next_old,
              lag(f.day) over (partition by f.write_key, f.identity, f.series, f.person order by f.day) as prev_new
       from fresh f),
     deltas as (
       select write_key, identity, series, day, coalesce(day - greatest(prev_old, prev_new), 0) as gap, 1 as d from probed
       union all
       select write_key, identity, series, next_old, coalesce(next_old - min(prev_old), 0), -1 from probed
       where next_old is not null group by write_key, identity, series, person, next_old
       union all
       select write_key, identity, series, next_old, next_old - max(day), 1 from probed
       where next_old is not null group by write_key, identity, series, person, next_old),
     added as (
       insert into rollup_person_days (write_key, identity, series, person, day)
       select write_key, identity, series, person, day from fresh order by 1, 2, 3, 4, 5),
     histogram as (${histogramUpsert('deltas')}),
     ${personBitsCte('bits', "(select write_key, identity, person, day from fresh where series = 'active')")},
     -- the people whose first event may have changed: new ones, and those with an event on or
     -- before their first day (one arriving late, even on a day they have, or a linked visitor's
     -- past). A later day cannot hold an earlier event, and most refreshes bring only later days.
     touched as (
       select distinct w.write_key, w.identity, w.person from work w
       where w.series = 'active' and not exists (
         select 1 from rollup_person_bits b
         where b.write_key = w.write_key and b.identity = w.identity and b.person = w.person and b.first_day < w.day))
     select (select count(*)::int from fresh) as n,
            array_agg(write_key) as keys, array_agg(identity) as modes, array_agg(person) as people
     from touched`,
  );
  const { keys, modes, people } = rows[0] ?? {};
  // Their times, once their rows exist. A statement of its own: inside the fold, joining these
  // few people to every person folded was a nested loop over two CTEs (+24% on a refresh of
  // 290,000 person-days).
  if (keys && modes && people) {
    await tx.query(
      `with touched as (select * from unnest($1::text[], $2::text[], $3::text[]) as t(write_key, identity, person)),
       ${firstSeenCte('first_seen', 'touched')}
       update rollup_person_bits b set first_seen = s.first_seen from first_seen s
       where b.write_key = s.write_key and b.identity = s.identity and b.person = s.person
         and b.first_seen is distinct from s.first_seen`,
      [keys, modes, people],
    );
  }
  return rows[0]?.n ?? 0;
}

/**
 * Recomputes the person-days and the histogram from the per-actor rollups (which outlive the
 * raw events' retention), with every identity link known today.
 */
export async function rebuildDistinctDays(tx: Queryable): Promise<void> {
  // Links are deleted, not truncated (ingestion appends to the queue). One queued later is
  // applied by this rebuild too, whose later statements see it in `identities`; applying it
  // again finds no days filed under the anonymous id and moves nothing.
  await tx.query('delete from rollup_link_queue');
  await tx.query('truncate rollup_person_days, rollup_distinct_days, rollup_person_work, rollup_person_bits');
  await tx.query(
    `insert into rollup_person_work (write_key, identity, series, person, day)
     select distinct write_key, m.identity, series, person, day from (
       select write_key, 'active' as series, person, day, unverified from resolved_activity
       union all
       select write_key, 'feature:' || dim, person, day, unverified from resolved_event_days
       where event = 'Feature Used' and dim is not null) r
     cross join lateral (values ('all', true), ('verified', not r.unverified)) as m(identity, counted)
     where m.counted`,
  );
  await foldPersonDays(tx);
}
