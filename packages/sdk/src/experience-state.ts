import type { ExperienceState } from './experiences/host'
import type { Platform } from './platform'
import { fromJson, toJson } from './json'
import { KEEP_WRITTEN_MS } from './tab-writes'
import { JOINED, joined, lasting, laterShown, PROGRESS, SEEN } from './state-join'

export interface LiveExperienceState extends ExperienceState {
  /** Moves on every change, this tab's or another's: cached audience verdicts compare it. */
  version(): number
  /**
   * `merge`: the visitor signs in (identify() merges their usage too): what they did is the
   * user's, so their progress comes with them (joined to what the user has, entry by entry) and
   * the keys it brought are named for their sync (`carried()`).
   */
  switchUser(userKey: string, merge?: boolean): void
  /**
   * The keys a sign-in brought to `userKey` from the visitor, not yet in their sync: taken as they
   * are read. A verified user's sync notes them to yield to what their other devices wrote
   * (sync/merge.ts); sent as new local changes, they would roll that back (a list dismissed on
   * the laptop, back again). In storage, since the sync may first run on the next page.
   */
  carried(userKey: string): string[]
  /**
   * What another device wrote, taken in key by key: already joined field by field with this
   * device's copy (sync/merge.ts `joinField`), so nothing recorded here is lost.
   */
  takeIn(changes: Record<string, unknown>): void
  /**
   * `userKey`'s sticky place in [0, 1) under `name`: the one recorded in this state if any, else
   * `hash` (theirs, sample.ts `sampleBucket`, made by the engine that has it). A visitor's is
   * recorded as it is drawn: signing up changes the key the hash reads, and identify()'s merge
   * (switchUser) carries it to the user, or a 50% survey asked 71% of the visitors who signed up,
   * and holdout users saw the offer. A user's needs no record (the hash of their id is the same
   * on every device) but may hold one a sign-in carried.
   */
  draw(userKey: string, name: string, hash: number): number
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
// Stored JSON, of any shape: read loosely.
type Rec = Record<string, any>
const isRec = (v: unknown): v is Rec => !!v && typeof v === 'object' && !Array.isArray(v)

/** Where a sign-in names the keys it brought, until the user's sync takes them (`carried()`). */
const carriedKey = (userKey: string) => `linger:carried:${userKey}`

/**
 * `from`: the visitor this page started as, who signed in before this state existed (identify
 * called as the page loads, the usual first page after a login): their progress comes with them.
 */
export function createExperienceState(platform: Platform, initialUserKey: string, from?: string): LiveExperienceState {
  let storageKey = `linger:state:${from ?? initialUserKey}`
  // The storage text this tab last read or wrote: unchanged text means nothing to merge.
  let seen: string | null = null
  let doc: Record<string, unknown> = read()
  // What this tab set lately, by key: when, and the texts of the values those changes replaced.
  let recent = new Map<string, { at: number; olds: Array<string | undefined> }>()
  let version = 0
  const subs = new Set<() => void>()

  function read(): Record<string, unknown> {
    try {
      // Nothing stored (null) parses as null: no record, so {}.
      const v = fromJson((seen = platform.storage.get(storageKey))!)
      return isRec(v) ? v : {}
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
    // What was shown and answered is joined, not taken from one side (see state-join.ts): a write
    // that crossed ours lacks what we saw, and what it holds that we lack is not ours to undo.
    const both = JOINED.flatMap((key) => {
      const j = joined(key, doc[key], stored[key])
      return j && toJson(j) !== toJson(stored[key]) ? [[key, j] as const] : []
    })
    doc = { ...doc, ...stored, ...Object.fromEntries(lost.map(([key]) => [key, doc[key]])), ...Object.fromEntries(both) }
    if (lost.length || both.length) save()
    return true
  }
  function put(key: string, value: unknown) {
    catchUp()
    const now = platform.now()
    const last = recent.get(key)
    const old = doc[key] === undefined ? undefined : toJson(doc[key])
    doc = { ...doc, [key]: value }
    recent.set(key, { at: now, olds: last && last.at > now - KEEP_WRITTEN_MS ? [...last.olds.slice(-15), old] : [old] })
    save()
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

  const api: LiveExperienceState = {
    get<T>(key: string) {
      return doc[key] as T | undefined
    },
    fresh<T>(key: string) {
      if (catchUp()) version++
      return doc[key] as T | undefined
    },
    set(key, value) {
      put(key, value)
      notify()
    },
    draw(userKey, name, hash) {
      const kept: Rec = isRec(doc.draws) ? doc.draws : {}
      if (Object.hasOwn(kept, name)) return kept[name]
      // Told to no subscriber: the verdicts stay as they are (it is what the hash gives again),
      // and a draw made inside a subscriber's check sets off no other check within it. Only in
      // the visitor's own state: not in the last user's while a reset switches.
      if (userKey[0] == 'a' && storageKey == 'linger:state:' + userKey) put('draws', { ...kept, [name]: hash })
      return hash
    },
    subscribe(fn) {
      subs.add(fn)
      return () => subs.delete(fn)
    },
    version: () => version,
    carried(userKey) {
      const names = platform.storage.get(carriedKey(userKey))
      platform.storage.remove(carriedKey(userKey))
      return names ? names.split('\n') : []
    },
    takeIn(changes) {
      for (const key of Object.keys(changes)) api.set(key, changes[key])
    },
    switchUser(userKey, merge) {
      const visitor = doc
      storageKey = `linger:state:${userKey}`
      recent = new Map()
      doc = read()
      // Left behind, the visitor's checklist and badges would be done again from the merged
      // usage: each grant sent a second time (points counted twice on the leaderboard), and the
      // toast shown again. What was shown, answered or closed (scheduler, announcements) comes
      // too, joined with the user's: the "once" survey the visitor answered was asked again of
      // the user they signed up as, and the cooldown began again.
      // So does how they answered (a detractor's category, which audience rules read): of two
      // answers to one survey, the visitor's, given since the user was last on this device.
      // And the month each value review showed: the visitor's review came again, counted Shown twice.
      // And the visitor's sample draws (`draw`), the user's own winning: drawn again under the
      // user's key, a 50% survey asked 71% of the visitors who signed up.
      // A value that is not a record (a hand edit, another script, an old release) is as good as
      // missing: the other side's stands. Spread, it made a list of a string's letters; null threw,
      // and the sign-in lost its merge.
      const carried = merge ? Object.keys(visitor).filter((k) => isRec(visitor[k]) && (PROGRESS.test(k) || SEEN.test(k) || JOINED.includes(k))) : []
      // Named for the sync to yield to other devices: the progress only. What was shown is joined
      // with theirs by the sync (sync/merge.ts `joinField`), so a visitor's answer is not given up
      // to an older copy.
      const yielding = carried.filter((k) => PROGRESS.test(k))
      // What both have: the user's values, with the visitor's tasks done or badges earned joined
      // and what either reached for good kept (`doc` is just read, no one else's yet).
      for (const k of carried) {
        const v = visitor[k] as Rec
        const u = doc[k]
        const entries = k === 'badges' ? 'earned' : 'done'
        doc[k] = !isRec(u) ? v : k === 'draws' ? { ...v, ...u } : SEEN.test(k) ? laterShown(v, u) : JOINED.includes(k) ? ((k === 'surveyAnswers' ? joined(k, u, v) : joined(k, v, u)) ?? u) : lasting({ ...v, ...u, [entries]: { ...v[entries], ...u[entries] } }, v)
      }
      // Named in storage for the sync, which may first run on the next page (a login that
      // redirects).
      if (carried.length) save()
      if (yielding.length) platform.storage.set(carriedKey(userKey), yielding.join('\n'))
      notify()
    },
    dispose() {
      stopStorage()
      subs.clear()
    },
  }
  if (from) api.switchUser(initialUserKey, true)
  return api
}
