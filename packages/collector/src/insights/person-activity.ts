/**
 * Reading the per-person active days (db/person-bits.ts): each person's days as a '0'/'1'
 * string, cut here to a window of days so that counting days, finding the last one and ORing
 * a team's days are string work on one row per person.
 */

/**
 * CTE `name`: (person, first_day, last_day, win) for the people of `where` active on at least
 * one day of the `length` days from `start` (SQL date and integer expressions); `win` has one
 * character per day of the window, '1' where the person was active.
 */
export function personWindowCte(name: string, where: string, start: string, length: string): string {
  const skip = `greatest(${start} - first_day, 0)`;
  const lead = `repeat('0', greatest(first_day - ${start}, 0))`;
  return `
    ${name} as (
      select person, first_day, last_day, win from (
        select person, first_day, last_day,
               rpad(substr(${lead} || substr(days, ${skip} + 1), 1, ${length}), ${length}, '0') as win
        from rollup_person_bits
        where ${where} and last_day >= ${start} and first_day < ${start} + ${length}) w
      where strpos(win, '1') > 0)`;
}

/** Days active among the `length` days of `win` after the first `skip`. */
export const activeDaysIn = (win: string, skip: string, length: string) =>
  `length(replace(substr(${win}, ${skip} + 1, ${length}), '0', ''))`;

/** The last active day of a window `win` of `length` days from `start`. */
export const lastDayIn = (win: string, start: string, length: string) =>
  `(${start} + ${length} - strpos(reverse(${win}), '1'))`;

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
