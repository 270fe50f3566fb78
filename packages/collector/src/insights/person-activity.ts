import { anonymousIdOf } from '../db/persons.ts';

/**
 * Reading the per-person active days (db/person-bits.ts): each person's days as a bit string
 * from their first active day, so counting a person's days in a window, finding the last one
 * and ORing a team's days are bit work on one row per person. Windows are cut with `substring`
 * alone, whose positions before the string's start count as missing days: building a padded
 * copy of every person's window cost more than the counting (more still on PGlite's
 * WebAssembly build). Counts are `bit_count`s cast to int: it answers bigint, and the answers
 * carry the numbers as the text form's `length` gave them.
 */

/** The part of row `b`'s days inside the `length` days from `start` (SQL date and integer expressions). */
const slice = (b: string, start: string, length: string) => `substring(${b}.days from ${start} - ${b}.first_day + 1 for ${length})`;

/** Days row `b` (of rollup_person_bits) was active among the `length` days from `start`. */
export const activeDaysOf = (b: string, start: string, length: string) => `bit_count(${slice(b, start, length)})::int`;

/**
 * The last day before `end` row `b` was active on; only for a row with an active day before it.
 * Bits have no `reverse`: the text form answers the rare row active on `end` or later (a range
 * that ends before today), every other one's last day is stored.
 */
export const lastDayBefore = (b: string, end: string) =>
  `(case when ${b}.last_day < ${end} then ${b}.last_day
         else ${end} - strpos(reverse(substring(${b}.days from 1 for ${end} - ${b}.first_day)::text), '1') end)`;

/**
 * CTE `name` (z): `length` zero bits, made once per query: a row's window is cut from its days
 * between two of them (`windowOf`), so it needs no cast or padding of its own.
 */
export const zeroBitsCte = (name: string, length: string) => `${name} as (select repeat('0', ${length})::varbit as z)`;

/**
 * Row `b`'s days as exactly `length` bits from `start` (missing days 0), for ORing a team's
 * days; `zeros` is the column of `zeroBitsCte` made with the same `length`. Only for a row
 * whose days meet the window: the zeros on both sides then cover the part outside the days.
 */
export const windowOf = (b: string, start: string, length: string, zeros: string) =>
  `substring(${zeros} || ${b}.days || ${zeros} from ${length} + (${start} - ${b}.first_day) + 1 for ${length})`;

/**
 * CTE `name`: (person) for the people of `where` (on rollup_person_bits) active on at least
 * one day of the `length` days from `start`.
 */
export function activePeopleCte(name: string, where: string, start: string, length: string): string {
  return `
    ${name} as (
      select b.person from rollup_person_bits b
      where ${where} and b.last_day >= ${start} and b.first_day < ${start} + ${length}
        and bit_count(${slice('b', start, length)}) > 0)`;
}

/** Days active among the `length` days of a window `win` (from `windowOf`) after the first `skip`. */
export const activeDaysIn = (win: string, skip: string, length: string) =>
  `bit_count(substring(${win} from ${skip} + 1 for ${length}))::int`;

/**
 * CTE `name`: (person, first_ts, last_ts): the first and last event of each person of `pairs`
 * (a relation with person and day) on that day, from the per-actor activity rows of the
 * person's actors: a user's id and the anonymous ids linked to them, an anonymous visitor's id
 * while it is linked to no one (as the resolved views do: db/persons.ts). For the few people whose exact
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
        select v.anonymous_id, true from (select ${anonymousIdOf('q.person')} as anonymous_id) v
        where not exists (select 1 from identities i where i.write_key = ${key} and i.anonymous_id = v.anonymous_id)
        union all
        select i.anonymous_id, true from identities i where i.write_key = ${key} and i.user_id = q.person) a
      cross join lateral (
        select min(r.first_ts) as first_ts, max(r.last_ts) as last_ts from rollup_activity r
        where r.write_key = ${key} and r.day = q.day and r.actor = a.actor and r.anonymous = a.anonymous
          ${verifiedOnly ? 'and not r.unverified' : ''}) t
      group by q.person)`;
}
