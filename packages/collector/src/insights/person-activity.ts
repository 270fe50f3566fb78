/**
 * Reading the per-person active days (db/person-bits.ts): each person's days as a '0'/'1'
 * string from their first active day, so counting a person's days in a window, finding the
 * last one and ORing a team's days are string work on one row per person. Windows are cut
 * with `substr` alone, whose positions before the string's start count as missing days:
 * building a padded copy of every person's window cost more than the counting (more still
 * on PGlite's WebAssembly build).
 */

/** The part of row `b`'s days inside the `length` days from `start` (SQL date and integer expressions). */
const slice = (b: string, start: string, length: string) => `substr(${b}.days, ${start} - ${b}.first_day + 1, ${length})`;

/** Days row `b` (of rollup_person_bits) was active among the `length` days from `start`. */
export const activeDaysOf = (b: string, start: string, length: string) => `length(replace(${slice(b, start, length)}, '0', ''))`;

/** The last day before `end` row `b` was active on; only for a row with an active day before it. */
export const lastDayBefore = (b: string, end: string) =>
  `(case when ${b}.last_day < ${end} then ${b}.last_day
         else ${end} - strpos(reverse(substr(${b}.days, 1, ${end} - ${b}.first_day)), '1') end)`;

/** Row `b`'s days as exactly `length` characters from `start` (missing days '0'): for ORing a team's days. */
export const windowOf = (b: string, start: string, length: string) =>
  `rpad(repeat('0', greatest(${b}.first_day - ${start}, 0)) || ${slice(b, start, length)}, ${length}, '0')`;

/**
 * CTE `name`: (person) for the people of `where` (on rollup_person_bits) active on at least
 * one day of the `length` days from `start`.
 */
export function activePeopleCte(name: string, where: string, start: string, length: string): string {
  return `
    ${name} as (
      select b.person from rollup_person_bits b
      where ${where} and b.last_day >= ${start} and b.first_day < ${start} + ${length}
        and strpos(${slice('b', start, length)}, '1') > 0)`;
}

/** Days active among the `length` days of a window `win` (from `windowOf`) after the first `skip`. */
export const activeDaysIn = (win: string, skip: string, length: string) =>
  `length(replace(substr(${win}, ${skip} + 1, ${length}), '0', ''))`;

/**
 * CTE `name`: (person, first_ts, last_ts): the first and last event of each person of `pairs`
 * (a relation with person and day) on that day, from the per-actor activity rows of the
 * person's actors: their user id, their anonymous id when it is linked to no one, and the
 * anonymous ids linked to them (as the resolved views do). For the few people whose exact
 * times an answer shows; `verifiedOnly` leaves out events whose userHash failed.
 */
export function personTimesCte(name: string, pairs: string, key: string, verifiedOnly: boolean): string {
  // materialized, and one index probe per actor: never a scan of the activity of everyone
  return `
    ${name} as materialized (
      select q.person, min(t.first_ts) as first_ts, max(t.last_ts) as last_ts
      from ${pairs} q
      cross join lateral (
        select q.person as actor, false as anonymous
        union all
        select q.person, true where not exists (select 1 from identities i where i.write_key = ${key} and i.anonymous_id = q.person)
        union all
        select i.anonymous_id, true from identities i where i.write_key = ${key} and i.user_id = q.person) a
      cross join lateral (
        select min(r.first_ts) as first_ts, max(r.last_ts) as last_ts from rollup_activity r
        where r.write_key = ${key} and r.day = q.day and r.actor = a.actor and r.anonymous = a.anonymous
          ${verifiedOnly ? 'and not r.unverified' : ''}) t
      group by q.person)`;
}
