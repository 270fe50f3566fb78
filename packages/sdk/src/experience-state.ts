import type { ExperienceState } from './experiences/host'
import type { Platform } from './platform'
import { fromJson, toJson } from './json'
import { KEEP_WRITTEN_MS } from './tab-writes'

export interface LiveExperienceState extends ExperienceState {
  /** Moves on every change, this tab's or another's: cached audience verdicts compare it. */
  version(): number
  /**
   * `merge`: the visitor signs in (identify() merges their usage too): what they did is the
   * user's, so what the user's state has no value for comes with them.
   */
  switchUser(userKey: string, merge?: boolean): void
  /**
   * The keys the last sign-in brought from the visitor. A verified user's sync lets what their
   * other devices wrote win over them (sync/merge.ts): carried as new local changes, they would
   * roll that back (a list finished on the laptop started again).
   */
  carried(): string[]
  dispose(): void
}

/**
 * The per-user experience state (checklist progress, badges, scheduler history): one document
 * that lives in memory, written through to storage, and refreshed from the storage event when
 * another tab writes. Reads never touch storage. A write (and fresh()) first compares storage's
 * text with the one this tab last saw: only when another tab wrote since is it parsed and merged
 * key by key, so two tabs writing different keys never lose each other's progress.
 *
 * A tab's copy of storage hears of another tab's write a moment late, so two writes can cross,
 * each without the other's change, and the later one wins. Every write carries the whole
 * document, so a key this tab set in the last KEEP_WRITTEN_MS comes back in another tab's write
 * either lacking or as one of the values this tab replaced since (that tab never saw the last
 * one): either way it is set again, or a badge this tab granted would be granted a second time.
 * One that write holds with any other value stays as written (that tab changed it too; its value
 * may be the newer).
 */
/** The keys of progress made from usage (checklists, badges and points): a sign-in carries them. */
const PROGRESS = /^(checklist:|badges$)/

type Rec = Record<string, Record<string, unknown>>

export function createExperienceState(platform: Platform, initialUserKey: string): LiveExperienceState {
  let storageKey = `linger:state:${initialUserKey}`
  // The storage text this tab last read or wrote: unchanged text means nothing to merge.
  let seen: string | null = null
  let doc: Record<string, unknown> = read()
  // What this tab set lately, by key: when, and the texts of the values those changes replaced.
  let recent = new Map<string, { at: number; olds: Array<string | undefined> }>()
  let version = 0
  let carried: string[] = []
  const subs = new Set<() => void>()

  function read(): Record<string, unknown> {
    const raw = (seen = platform.storage.get(storageKey))
    if (!raw) return {}
    try {
      const v = fromJson(raw)
      return v && typeof v === 'object' && !Array.isArray(v) ? v : {}
    } catch {
      return {}
    }
  }
  function save() {
    const raw = toJson(doc)
    // A refused write (quota, private mode) keeps the state in memory for this page.
    if (platform.storage.set(storageKey, raw)) seen = raw
  }
  /** Takes in what another tab wrote since this tab last looked; false when nothing did. */
  function catchUp(): boolean {
    if (platform.storage.get(storageKey) === seen) return false
    const stored = read()
    const since = platform.now() - KEEP_WRITTEN_MS
    const lost = seen === null ? [] : [...recent].filter(([key, { at, olds }]) => at > since && (!Object.hasOwn(stored, key) || olds.includes(toJson(stored[key]))))
    doc = { ...doc, ...stored, ...Object.fromEntries(lost.map(([key]) => [key, doc[key]])) }
    if (lost.length) save()
    return true
  }
  const notify = () => {
    version++
    subs.forEach((fn) => {
      try {
        fn()
      } catch (e) {
        platform.log('error', 'state subscriber failed', e)
      }
    })
  }
  const stopStorage = platform.onStorage((key) => {
    if (key === storageKey && catchUp()) notify()
  })

  return {
    get<T>(key: string) {
      return doc[key] as T | undefined
    },
    fresh<T>(key: string) {
      if (catchUp()) version++
      return doc[key] as T | undefined
    },
    set(key, value) {
      catchUp()
      const now = platform.now()
      const last = recent.get(key)
      const old = doc[key] === undefined ? undefined : toJson(doc[key])
      doc = { ...doc, [key]: value }
      recent.set(key, { at: now, olds: last && last.at > now - KEEP_WRITTEN_MS ? [...last.olds.slice(-15), old] : [old] })
      save()
      notify()
    },
    subscribe(fn) {
      subs.add(fn)
      return () => subs.delete(fn)
    },
    version: () => version,
    carried: () => carried,
    switchUser(userKey, merge) {
      const visitor = doc
      storageKey = `linger:state:${userKey}`
      recent = new Map()
      doc = read()
      // Left behind, the visitor's checklist and badges would be done again from the merged
      // usage: each grant sent a second time (points counted twice on the leaderboard), and the
      // toast shown again. Only that progress: what was shown or answered (scheduler,
      // announcements) is the signed-in user's own, synced with them.
      carried = merge ? Object.keys(visitor).filter((k) => PROGRESS.test(k)) : []
      // What both have: the user's values, with the visitor's tasks done or badges earned joined
      // (`doc` is just read, no one else's yet).
      for (const k of carried) {
        const v = visitor[k] as Rec
        const u = doc[k] as Rec | undefined
        const entries = k === 'badges' ? 'earned' : 'done'
        doc[k] = u ? { ...v, ...u, [entries]: { ...v[entries], ...u[entries] } } : v
      }
      if (carried.length) save()
      notify()
    },
    dispose() {
      stopStorage()
      subs.clear()
    },
  }
}
