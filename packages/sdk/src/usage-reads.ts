import { addDays, dayNumber, own, type DayKey, type UsageProfile } from './usage'

/**
 * What rules, badges and the value reminder read from a usage profile. Apart from usage.ts (which
 * records, on every page) so that only the chunks that read a profile carry them.
 */
export const distinctFeatures = (p: UsageProfile): number => Object.keys(p.features).length

/** Total count of `event` over all time. */
export const countOf = (p: UsageProfile, event: string): number => own(p.events, event)?.count ?? 0

/** Count of `event` on `today` and the `days - 1` local days before it (at most DAY_WINDOW). */
export function countWithin(p: UsageProfile, event: string, days: number, today: DayKey): number {
  const from = addDays(today, 1 - days)
  let n = 0
  const perDay = own(p.events, event)?.days
  // for-in, not Object.keys: rules read this for every event they hear, and the key array was garbage.
  for (const d in perDay) if (d >= from && d <= today && Object.hasOwn(perDay, d)) n += perDay[d]
  return n
}

/** Active days among `today` and the `days - 1` local days before it. */
export function activeDaysWithin(p: UsageProfile, days: number, today: DayKey): number {
  const from = addDays(today, 1 - days)
  let n = 0
  for (const d of p.activeDays) if (d >= from && d <= today) n++
  return n
}

/** The running streak: still alive if the user was last active today or yesterday. */
export function currentStreak(p: UsageProfile, today: DayKey): number {
  const last = p.streak.lastDay
  return last && dayNumber(today) - dayNumber(last) <= 1 ? p.streak.current : 0
}
