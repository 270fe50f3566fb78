import { countOf, type UsageProfile } from '../../usage'
import type { ValueItemConfig, ValueItem } from './flow'

/**
 * What the user built, for the value reminder: event counts from the usage profile, points and
 * badges from the badges state. A line with nothing to show ("0 projects created") would argue
 * for leaving, so it is left out.
 */
export function valueItems(items: ValueItemConfig[] | undefined, profile: UsageProfile, badges: { points?: number; earned?: Record<string, unknown> } | undefined): ValueItem[] {
  const out: ValueItem[] = []
  for (const item of items ?? []) {
    if ('event' in item) {
      const count = countOf(profile, item.event)
      if (count > 0) out.push({ label: item.label, vars: { count } })
    } else {
      const points = badges?.points ?? 0
      const earned = Object.keys(badges?.earned ?? {}).length
      if (points > 0 || earned > 0) out.push({ label: item.label, vars: { points, badges: earned } })
    }
  }
  return out
}
