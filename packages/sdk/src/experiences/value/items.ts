import { countOf, type UsageProfile } from '../../usage'
import type { Properties } from '../../events'
import type { ValueItemConfig } from '../../config/flows-schema'
import { inRange, type DayRange } from './period'

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

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() && Number.isFinite(Number(v)) ? Number(v) : undefined)

function over(item: ValueItemConfig, s: ValueSources, range: DayRange | undefined): { value: number; badges?: number } | undefined {
  if ('event' in item) {
    if (!range) return { value: countOf(s.profile, item.event) }
    const days = Object.hasOwn(s.profile.events, item.event) ? s.profile.events[item.event]!.days : {}
    return { value: Object.keys(days).reduce((n, d) => n + (inRange(d, range) ? days[d]! : 0), 0) }
  }
  if ('activeDays' in item) return { value: s.profile.activeDays.filter((d) => !range || inRange(d, range)).length }
  if ('points' in item) {
    const earned = Object.entries(s.badges?.earned ?? {}).filter(([, at]) => !range || inRange(s.dayOf(at), range))
    return { value: range ? earned.reduce((n, [id]) => n + s.badgePoints(id), 0) : (s.badges?.points ?? 0), badges: earned.length }
  }
  return undefined
}

/** The items with something to show: a line saying "0" (and 0 before) argues for nothing. */
export function measureItems(items: readonly ValueItemConfig[] | undefined, s: ValueSources, period?: { current: DayRange; previous: DayRange }): MeasuredItem[] {
  const out: MeasuredItem[] = []
  for (const item of items ?? []) {
    let line: MeasuredItem | undefined
    if ('trait' in item) {
      const value = num(s.traits[item.trait])
      const previous = item.previousTrait === undefined ? undefined : num(s.traits[item.previousTrait])
      if (value !== undefined) line = { label: item.label, value, ...(previous !== undefined && { previous }) }
    } else {
      const now = over(item, s, period?.current)
      const before = period && over(item, s, period.previous)
      if (now) line = { label: item.label, value: now.value, ...(before && { previous: before.value }), ...(now.badges !== undefined && { badges: now.badges }) }
    }
    if (line && (line.value > 0 || (line.badges ?? 0) > 0 || (line.previous ?? 0) > 0)) out.push(line)
  }
  return out
}
