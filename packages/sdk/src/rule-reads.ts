import type { Rule } from './rule'

/**
 * What an audience rule reads, found once per rule: which tracked events can change its verdict,
 * and which other inputs (traits, the page, the clock, other experiences' state). The engine
 * re-evaluates an experience only when something it reads changed.
 */
export interface RuleReads {
  /** Event names whose counts it reads. */
  events: Set<string>
  /** The profile's active days (activeDays, streakDays). */
  activeDays?: boolean
  /** The profile's features (distinctFeatures). */
  features?: boolean
  /** The profile's firstSeen (daysSince firstSeen). */
  firstSeen?: boolean
  /** The profile's lastSeen (daysSince lastSeen): it moves with every event. */
  lastSeen?: boolean
  traits?: boolean
  url?: boolean
  /** The user's local day (withinDays windows, streaks). */
  today?: boolean
  /** The clock itself (daysSince). */
  now?: boolean
  /** Other experiences' state: checklist status, badges, survey answers, points. */
  state?: boolean
  /** The user key (sticky samples). */
  user?: boolean
}

// Only the set: an input no rule reads is absent, not false (every reader tests truthiness).
export const noReads = (): RuleReads => ({ events: new Set() })

/** Adds what `rule` reads to `into` (a fresh set when not given) and returns it. */
export function readsOf(rule: Rule | undefined, into: RuleReads = noReads()): RuleReads {
  if (!rule || typeof rule !== 'object') return into
  const r = rule as Record<string, unknown>
  if (Array.isArray(r.all)) (r.all as Rule[]).forEach((x) => readsOf(x, into))
  else if (Array.isArray(r.any)) (r.any as Rule[]).forEach((x) => readsOf(x, into))
  else if ('not' in r) readsOf(r.not as Rule, into)
  else if ('trait' in r) into.traits = true
  else if ('event' in r) {
    into.events.add(String(r.event))
    if (r.withinDays) into.today = true
  } else if ('daysSince' in r) {
    into.now = true
    if (r.daysSince === 'firstSeen') into.firstSeen = true
    else if (r.daysSince === 'lastSeen') into.lastSeen = true
    // A trait's date counts the user's calendar days: it turns at their midnight.
    else into.traits = into.today = true
  } else if ('daysUntil' in r) into.now = into.traits = into.today = true
  else if ('feature' in r) {
    into.features = true
    if (r.withinDays) into.now = true
  } else if ('url' in r) into.url = true
  // activeDays with no withinDays counts the last DAY_WINDOW days: it turns with the day too.
  else if ('activeDays' in r || 'streakDays' in r) into.activeDays = into.today = true
  else if ('checklist' in r || 'badge' in r || 'survey' in r || 'points' in r) into.state = true
  else if ('sample' in r) into.user = true
  else if ('distinctFeatures' in r) into.features = true
  return into
}

/** Whether anything but tracked events and state changes can turn the verdict. */
export const readsTime = (r: RuleReads): boolean => !!(r.now || r.today)
