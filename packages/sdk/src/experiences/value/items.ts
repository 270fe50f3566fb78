import type { ValueItemConfig } from '../../config/flows-schema'
import type { UsageProfile } from '../../usage'
import type { Properties } from '../../events'

/** Days from..to (day keys, inclusive): what a value review counts over. */
export interface DayRange {
  from: string
  to: string
}

/**
 * One line of a value review: `value` over the reviewed period and `previous` over the stretch it
 * is compared with. Every number comes from what Linger saw (the usage profile, the badges
 * state) or what the vendor supplied (traits), never an estimate.
 */
export interface MeasuredItem {
  label: string
  value: number
  previous?: number
  /** Badges earned in the period, on the points line. */
  badges?: number
}

export interface ValueSources {
  profile: UsageProfile
  traits: Properties
  badges?: { points?: number; earned?: Record<string, number> }
  /**
   * Every grant of points with its time: badges, checklist tasks and checklist rewards, the same
   * grants the badge shelf's total counts, so the points line never says less than was earned.
   */
  grants(): Array<[at: number, points: number]>
  /** The user's local day of a time. */
  dayOf(ms: number): string
}

/** A number, or text that is one ("42"); anything else (missing, "", NaN, Infinity): undefined. */
export const asNumber = (v: unknown): number | undefined => ((typeof v === 'number' || (typeof v === 'string' && v.trim())) && Number.isFinite(Number(v)) ? Number(v) : undefined)

/** A metric the vendor did not supply (or not as a number) is left out, never shown as 0. */
const traitNumber = (traits: Properties, name: string | undefined): number | undefined => asNumber(name === undefined ? undefined : traits[name])

/** The items with something to show: a line saying "0" (and 0 before) argues for nothing. */
export function measureItems(items: readonly ValueItemConfig[] | undefined, s: ValueSources, period: { current: DayRange; previous: DayRange }): MeasuredItem[] {
  const out: MeasuredItem[] = []
  for (const item of items ?? []) {
    let badges: number | undefined
    const over = (r: DayRange, before?: boolean): number | undefined => {
      const on = (day: string) => day >= r.from && day <= r.to
      if ('trait' in item) return traitNumber(s.traits, before ? item.previousTrait : item.trait)
      if ('points' in item) {
        const earned = s.badges?.earned ?? {}
        if (!before) badges = Object.keys(earned).filter((id) => on(s.dayOf(earned[id]!))).length
        return s.grants().reduce((n, [at, points]) => n + (on(s.dayOf(at)) ? points : 0), 0)
      }
      // Points are Linger's own (none before it); usage before it first saw the user is unknown,
      // not 0: a vendor who installed it (or a user who signed up) on 20 November would have every
      // line read "+N vs October".
      if (before && s.dayOf(s.profile.firstSeen ?? 0) > r.from) return
      if ('activeDays' in item) return s.profile.activeDays.filter(on).length
      const days = Object.hasOwn(s.profile.events, item.event) ? s.profile.events[item.event]!.days : {}
      return Object.keys(days).reduce((n, d) => n + (on(d) ? days[d]! : 0), 0)
    }
    const value = over(period.current)
    const previous = over(period.previous, true)
    if (value !== undefined && (value > 0 || !!badges || !!previous))
      out.push({ label: item.label, value, ...(previous !== undefined && { previous }), ...(badges !== undefined && { badges }) })
  }
  return out
}
