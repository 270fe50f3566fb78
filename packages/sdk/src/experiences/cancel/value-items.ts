import type { UsageProfile } from '../../usage'
import type { Properties } from '../../events'
import { measureItems } from '../value/items'
import type { ValueItemConfig, ValueItem } from './flow'

/**
 * What the user built, for the value reminder: the value review's item model (value/items.ts)
 * over all time. A line with nothing to show ("0 projects created") would argue for leaving,
 * so it is left out. The label's `{count}` (or `{points}` and `{badges}`) is filled by the UI.
 */
export function valueItems(items: ValueItemConfig[] | undefined, profile: UsageProfile, badges: { points?: number; earned?: Record<string, number> } | undefined, traits: Properties = {}): ValueItem[] {
  return measureItems(items, { profile, traits, badges, badgePoints: () => 0, dayOf: () => '' }).map((m): ValueItem => ({
    label: m.label,
    vars: m.badges === undefined ? { count: m.value } : { points: m.value, badges: m.badges },
  }))
}
