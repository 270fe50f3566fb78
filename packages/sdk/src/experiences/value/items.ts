import { countOf, type UsageProfile } from '../../usage'
import type { Properties } from '../../events'
import type { ValueItemConfig } from '../../config/flows-schema'

/** Days from..to (day keys, inclusive): what a value review counts over. */
export interface DayRange {
  from: string
  to: string
}

/**
 * One line of "what you got out of it", shared by the value review and the cancel flow's value
 * reminder: `value` over the period (all time when there is none) and, in a review, `previous`
 * over the stretch it is compared with. Every number comes from what Linger saw (the usage
 * profile, the badges state) or what the vendor supplied (traits), never an estimate.
 */
export interface MeasuredItem {
  label: string
  value: number
  previous?: number
  /** The points line also carries the badges count (`{badges}` in its label). */
  badges?: number
}

export interface ValueSources {
  profile: UsageProfile
  traits: Properties
  badges?: { points?: number; earned?: Record<string, number> }
  /** Points a badge grants, for points earned within a period. */
  badgePoints(id: string): number
  /** The user's local day of a time. */
  dayOf(ms: number): string
}

/** The items with something to show: a line saying "0" (and 0 before) argues for nothing. */
export function measureItems(items: readonly ValueItemConfig[] | undefined, s: ValueSources, period?: { current: DayRange; previous: DayRange }): MeasuredItem[] {
  const out: MeasuredItem[] = []
  for (const item of items ?? []) {
    let badges: number | undefined
    const over = (r: DayRange | undefined, before?: boolean): number | undefined => {
      const on = (day: string) => !r || (day >= r.from && day <= r.to)
      if ('trait' in item) {
        // A metric the vendor did not supply (or not as a number) is left out, never shown as 0.
        const v = s.traits[before ? (item.previousTrait ?? '') : item.trait]
        return (typeof v === 'number' || (typeof v === 'string' && v.trim())) && Number.isFinite(Number(v)) ? Number(v) : undefined
      }
      if ('activeDays' in item) return s.profile.activeDays.filter(on).length
      if ('points' in item) {
        const earned = Object.keys(s.badges?.earned ?? {}).filter((id) => on(s.dayOf(s.badges!.earned![id]!)))
        if (!before) badges = earned.length
        return r ? earned.reduce((n, id) => n + s.badgePoints(id), 0) : (s.badges?.points ?? 0)
      }
      if (!r) return countOf(s.profile, item.event)
      const days = Object.hasOwn(s.profile.events, item.event) ? s.profile.events[item.event]!.days : {}
      return Object.keys(days).reduce((n, d) => n + (on(d) ? days[d]! : 0), 0)
    }
    const value = over(period?.current)
    const previous = period && over(period.previous, true)
    if (value !== undefined && (value > 0 || !!badges || !!previous))
      out.push({ label: item.label, value, ...(previous !== undefined && { previous }), ...(badges !== undefined && { badges }) })
  }
  return out
}
