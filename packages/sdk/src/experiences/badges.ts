import { atom, type ReadableAtom } from 'nanostores'
import type { Badge, Checklist, Level } from '../config/flows-schema'
import type { ExperienceController, ExperienceHost, UserView } from './host'
import { acrossTabs, granted } from './across-tabs'
import { createSettler } from './settle'
import { badgeProgress, levelFor, reachedAt, sortedLevels, totalPoints, type BadgesState, type Progress } from './badges/points'
import type { ChecklistState } from './checklist/reduce'
import type { Leaderboard, LeaderboardRow } from '../sync/leaderboard'
import { localDayKey } from '../usage'

export type { BadgesState, Progress, Leaderboard, LeaderboardRow }

/** A level's `icon` is the vendor's, if any (the toast shows a star without). */
export type Toast = { id: string; badge: Badge } | { id: string; level: string; points: number; icon?: string }

export interface BadgesController extends ExperienceController {
  $state: ReadableAtom<BadgesState>
  /** Earnings in this tab waiting to be shown, oldest first. */
  $toasts: ReadableAtom<Toast[]>
  $shelfOpen: ReadableAtom<boolean>
  dismissToast(id: string): void
  openShelf(): void
  closeShelf(): void
  /**
   * The account's leaderboard (settings.leaderboard), for a verified user in a group; `optOut`
   * records the user's choice first. Loaded on demand, in a chunk of its own.
   */
  leaderboard(optOut?: boolean): Promise<Leaderboard>
  /** "7/10" for a locked badge whose rule counts something. */
  progress(badgeId: string): Progress | undefined
}

const KEY = 'badges'

/**
 * Badges, points and levels. A badge is earned once, ever: before granting, the stored state
 * is re-read (another tab may have granted it a moment ago) and grants are written at once.
 */
export function createBadges(host: ExperienceHost): BadgesController {
  const flows = () => host.flows.get()
  const levels = () => sortedLevels(flows().levels ?? [])
  const checklistState = (id: string) => host.state.get<ChecklistState>(`checklist:${id}`)
  // Merged over the empty state: a record synced from another device may hold only some fields
  // (points, but no badge earned yet). The level reached is worked out from `levelAt` in the list
  // as it is now: a stored index named another level once the vendor added or removed one below
  // it (the one the user had was announced again, or the next one never).
  const read = (fresh?: boolean): BadgesState => {
    const s = { points: 0, ...(fresh ? host.state.fresh<BadgesState>(KEY) : host.state.get<BadgesState>(KEY)) }
    const levelAt = reachedAt(levels(), s)
    // An `earned` left null (a hand edit, an old release) is none: the shelf threw on it. The
    // level last reached, by name, stays reached when the vendor raises its threshold.
    // A level was reached at levelAt by the threshold it has and the one it had when this was last
    // written (`seen`): one the vendor lowered to points the user already had is reached now, with
    // its toast and Level Reached (read by today's alone it was taken as announced long ago, and
    // the collector never counted it).
    const seen = s.seen
    // A level `seen` does not name came since (added, or renamed): not news at or below the
    // threshold the level last reached had then (one added below it, it renamed); above, the
    // points the user holds reach it now. Read as reached long ago, levels added after users had
    // points (badges first, levels later) were never announced: the shelf named a level the
    // collector never counted anyone at.
    const past = seen ? (seen[s.reached!] ?? 0) : 1 / 0
    const then = (l: Level) => (seen && Object.hasOwn(seen, l.name) ? Math.max(seen[l.name]!, l.points) : l.points > past ? 1 / 0 : l.points)
    const top = levels().reduce((at, l, i) => (then(l) <= levelAt ? i : at), -1)
    return { ...s, earned: s.earned || {}, levelAt, level: Math.max(top, levels().findIndex((l) => l.name === s.reached)) }
  }
  const $state = atom<BadgesState>(read())
  const $toasts = atom<Toast[]>([])
  const $shelfOpen = atom(false)
  const $needsUi = atom(false)
  let toastId = 0

  const rewarded = (lists: readonly Checklist[], id: string) => lists.some((c) => c.reward?.badge === id && checklistState(c.id)?.status === 'completed')
  const points = (earned: Record<string, number>) => totalPoints(flows().checklists ?? [], checklistState, flows().badges ?? [], earned)
  /** Writes `next` if it differs from what is stored (`look`: only tells whether it would). */
  const write = (next: BadgesState, look?: boolean) => {
    const now = host.state.get<BadgesState>(KEY)
    // `seen` only when missing (older state): written with every other change, it never sets two
    // tabs on two versions of the flows writing in turn.
    const differs = !now || now.points !== next.points || now.levelAt !== next.levelAt || now.reached !== next.reached || Object.keys(now.earned ?? {}).length !== Object.keys(next.earned).length || !now.seen
    if (differs && !look) host.state.set(KEY, next)
    return differs
  }
  const toast = (t: Omit<Toast, 'id'>) => {
    $toasts.set([...$toasts.get(), { ...t, id: `t${++toastId}` } as Toast])
    $needsUi.set(true)
  }

  const settler = createSettler(() => step())
  // Looking (no lock held): true when something would be granted or written, and nothing is.
  // What it shows is refreshed either way: a pass that stops at a write it may not make yet (a
  // verified user's progress on its way) must not leave the last user's badges on the shelf.
  const sync = acrossTabs(host, (look) => {
    const more = look ? step(true) : !settler.run()
    $state.set(read())
    return more && look
  })

  /** `look`: stops at the first change it would make, and makes none. */
  function step(look?: boolean): boolean {
    const badges = flows().badges ?? []
    const lists = flows().checklists ?? []
    // Under the lock, storage is re-read: another tab may have granted a moment ago.
    const prev = read(!look)
    const earned = { ...prev.earned }
    const gained: Badge[] = []
    // Each grant adds points, which may satisfy a `points` rule: repeat until nothing new.
    for (let round = 0; round <= badges.length; round++) {
      if (write({ ...prev, earned, points: points(earned) }, look) && look) return true
      const next = badges.filter((b) => !Object.hasOwn(earned, b.id) && (rewarded(lists, b.id) || host.evaluate(b.rule, b.id).ok))
      if (!next.length) break
      if (look) return true
      for (const b of next) {
        earned[b.id] = host.platform.now()
        gained.push(b)
      }
    }
    const total = points(earned)
    // Never lowered: points lost (a badge the vendor took out) take no level back, nor does a
    // threshold raised (the level reached, by name, in prev.level). `level` is still written,
    // for older SDKs on other devices; it is not what this one reads.
    const levelAt = Math.max(prev.levelAt, total)
    const level = Math.max(levelFor(levels(), levelAt), prev.level)
    const held = levels()[level]?.name
    // Only ever moved up: a level the vendor took out (and may put back) stays the one announced.
    // One below the level held is another device's, written later by a device not yet told (the
    // sync keeps the later name): kept, a threshold raised since took the user's level back.
    const reached = level > prev.level || !prev.reached || levels().slice(0, level).some((l) => l.name === prev.reached) ? held : prev.reached
    const seen = Object.fromEntries(levels().map((l) => [l.name, l.points]))
    if (write({ earned, points: total, level, levelAt, reached, seen }, look) && look) return true
    if (look) return false
    // Each sent (and toasted) by the one tab that claims it. Kept for a user who left, not toasted.
    for (const badge of gained)
      granted(host, `badge:${badge.id}`, (messageId, kept) => {
        host.emit('Badge Earned', { badgeId: badge.id, points: badge.points ?? 0, ...(held ? { level: held } : {}) }, { messageId })
        kept || toast({ badge })
      })
    // Every level crossed is reached (points that jump two levels at once must not leave the
    // one between uncounted); the toast names the top one.
    for (let l = prev.level + 1; l <= level; l++) {
      const name = levels()[l]?.name
      if (name)
        granted(host, `level:${name}`, (messageId, kept) => {
          host.emit('Level Reached', { level: name, points: total }, { messageId })
          if (l === level && !kept) toast({ level: name, points: total, icon: levels()[l]!.icon })
        })
    }
    return false
  }

  const openShelf = () => {
    $shelfOpen.set(true)
    $needsUi.set(true)
  }
  // Another user: the last one's toasts and shelf are not theirs to see. A visitor who signs in
  // (same anonymousId) is the same person, whose progress comes along (experience-state.ts): the
  // badge that signing up just earned them must not vanish unseen.
  let who = host.user.get()
  const switched = (u: UserView) => {
    if (u.userKey !== who.userKey && (who.userId || u.anonymousId !== who.anonymousId)) $toasts.set([]), $shelfOpen.set(false)
    who = u
  }
  const stops = [host.onTrack(sync), host.state.subscribe(sync), host.user.listen((u) => (switched(u), sync())), host.flows.listen(sync), sync.stop]
  sync()

  return {
    $needsUi,
    $state,
    $toasts,
    $shelfOpen,
    dismissToast: (id) => $toasts.set($toasts.get().filter((t) => t.id !== id)),
    openShelf,
    closeShelf: () => $shelfOpen.set(false),
    leaderboard: (optOut) => import('../sync/leaderboard').then((m) => m.leaderboard(host, optOut)),
    progress(id) {
      const badge = (flows().badges ?? []).find((b) => b.id === id)
      if (!badge) return undefined
      // The user's day, as the usage profile and the rules count it (not UTC's: a New York
      // evening would show a live streak as 0).
      const today = (host.platform.dayKey ?? localDayKey)(host.platform.now())
      return badgeProgress(badge.rule, host.usage.get(), $state.get().points, today, (cid) => {
        const list = (flows().checklists ?? []).find((c) => c.id === cid)
        // Only tasks the list still has: a task the vendor renamed or removed stays in `done`.
        const done = checklistState(cid)?.done ?? {}
        return list && { done: list.tasks.filter((task) => Object.hasOwn(done, task.id)).length, total: list.tasks.length }
      })
    },
    show(id) {
      if (id !== 'badges') return false
      openShelf()
      return true
    },
    why: (id) => (id === 'badges' ? ['eligible'] : undefined),
    dispose() {
      stops.forEach((s) => s())
    },
  }
}
