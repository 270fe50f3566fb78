import type { Badge, Checklist, Level } from '../../config/flows-schema'
import type { Rule } from '../../rule'
import type { UsageProfile } from '../../usage'
import { countOf, currentStreak, distinctFeatures } from '../../usage-reads'
import type { ChecklistState } from '../checklist/reduce'

/** host.state `badges` (host.ts): what audience facts `badge` and `points` read. */
export interface BadgesState {
  earned: Record<string, number>
  points: number
  /**
   * The most points the user has held: every level at or below it is reached, for good, whatever
   * levels the vendor adds or removes later. Absent in state older SDKs wrote.
   */
  levelAt: number
  /**
   * The name of the highest level reached: a level whose threshold the vendor raised past
   * `levelAt` stays reached (by name, as `Level Reached` names it). Absent in older state.
   */
  reached?: string
  /**
   * Each level's threshold when this was last written: every level at or below `levelAt` by them
   * was reached. A level the vendor lowered since to points the user holds is reached now.
   * Absent in older state (today's thresholds stand in).
   */
  seen?: Record<string, number>
  /**
   * Index into the levels sorted by points; -1 when no level is configured or reached. Worked out
   * from `levelAt` on each read: stored, it is only as true as the list it was written against
   * (older SDKs stored only this, read as an index into the current list).
   */
  level: number
}

/**
 * Points are derived, never accumulated: done tasks, completed checklists' rewards and earned
 * badges. A replayed event, a second tab or a reload therefore can never count anything twice.
 */
export function totalPoints(checklists: readonly Checklist[], state: (id: string) => ChecklistState | undefined, badges: readonly Badge[], earned: Record<string, number>): number {
  let sum = 0
  for (const list of checklists) {
    const s = state(list.id)
    if (!s) continue
    // A record without its tasks (another release, a damaged copy) has none done: not a throw
    // that takes every badge away.
    for (const task of list.tasks) if (s.done && Object.hasOwn(s.done, task.id)) sum += task.points ?? 0
    if (s.status === 'completed') sum += list.reward?.points ?? 0
  }
  for (const badge of badges) if (Object.hasOwn(earned, badge.id)) sum += badge.points ?? 0
  return sum
}

export function sortedLevels(levels: readonly Level[]): Level[] {
  return [...levels].sort((a, b) => a.points - b.points)
}

/** The highest level whose threshold the points reach (levels sorted), or -1. */
export function levelFor(sorted: readonly Level[], points: number): number {
  let level = -1
  sorted.forEach((l, i) => {
    if (points >= l.points) level = i
  })
  return level
}

/**
 * `levelAt` of stored state (`points` filled in), read loosely: an older SDK's `level` is the
 * level at that index now (none, NaN, when it has neither). Points stored beside it count too:
 * they came from a step that announced the levels they reach (another device's, whose `level`
 * alone came in by the sync).
 */
export const reachedAt = (sorted: readonly Level[], s: Partial<BadgesState> & { points: number }): number =>
  Math.max(s.levelAt ?? sorted[Math.min(s.level!, sorted.length - 1)]?.points ?? 0, s.points)

export interface Progress {
  current: number
  target: number
}

/** The badges of `earned` still in the flows: one the vendor took out is on no shelf, and counts nowhere. */
export const heldBadges = (badges: readonly Badge[] | undefined, earned: Record<string, number> = {}): Record<string, number> =>
  Object.fromEntries((badges ?? []).filter((b) => Object.hasOwn(earned, b.id)).map((b) => [b.id, earned[b.id]!]))

/** How far a locked badge is ("7/10"), for the rule forms that have a count; else undefined. */
export function badgeProgress(rule: Rule, profile: UsageProfile, points: number, today: string, checklist: (id: string) => { done: number; total: number } | undefined): Progress | undefined {
  const of = (current: number, target: number) => ({ current: Math.min(current, target), target })
  if ('event' in rule && !rule.withinDays) {
    const { gte = 1, gt = 0, lt, lte, eq } = rule.count ?? {}
    // "More than 5" is reached at 6 and "at least 2.5" at 3: counts are whole. Read as at least
    // 1, one export showed a full "1/1". Not with an upper bound (`lt` too): a user past it can
    // never earn the badge, which showed a full "1/1" too.
    if (gte > 0 && (lt ?? lte ?? eq) == null) return of(countOf(profile, rule.event), Math.max(Math.ceil(gte), Math.floor(gt) + 1))
  }
  if ('streakDays' in rule) return of(currentStreak(profile, today), rule.streakDays)
  if ('distinctFeatures' in rule) return of(distinctFeatures(profile), rule.distinctFeatures)
  if ('points' in rule) return of(points, rule.points)
  if ('checklist' in rule && rule.status === 'completed') {
    const c = checklist(rule.checklist)
    return c && of(c.done, c.total)
  }
  return undefined
}
