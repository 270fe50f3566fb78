import type { UsageProfile } from '../../usage'
import { activeDaysWithin, countOf } from '../../usage-reads'
import { DAY_WINDOW } from '../../day-window'
import type { Properties } from '../../events'
import type { ValueItemConfig, ValueItem } from './flow'
import { asNumber } from '../value/items'

/**
 * What the user built, for the value reminder: the value review's item model (value/items.ts)
 * over all time: an event's count, points and badges, or a metric the vendor supplies as a
 * trait; days active only over the last DAY_WINDOW days (the profile keeps no all-time count).
 * A line with nothing to show ("0 projects created") would argue for leaving, so it is left
 * out, as is a trait that is missing or not a number. The label's `{count}` (or `{points}` and
 * `{badges}`) is filled by the UI.
 */
export function valueItems(items: ValueItemConfig[] | undefined, profile: UsageProfile, badges: { points?: number; earned?: Record<string, number> } | undefined, traits: Properties = {}): ValueItem[] {
  const out: ValueItem[] = []
  for (const item of items ?? []) {
    if ('points' in item) {
      const points = badges?.points ?? 0
      const earned = Object.keys(badges?.earned ?? {}).length
      if (points > 0 || earned > 0) out.push({ label: item.label, vars: { points, badges: earned } })
      continue
    }
    const days = profile.activeDays
    // Up to the last active day (the user leaving is here now): the profile keeps a few days more.
    const raw = 'trait' in item ? traits[item.trait] : 'activeDays' in item ? days.length && activeDaysWithin(profile, DAY_WINDOW, days[days.length - 1]!) : countOf(profile, item.event)
    const count = asNumber(raw) ?? 0
    if (count > 0) out.push({ label: item.label, vars: { count } })
  }
  return out
}
