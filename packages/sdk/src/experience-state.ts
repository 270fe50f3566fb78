import type { ExperienceState } from './experiences/host'
import type { Platform } from './platform'
import { fromJson, toJson } from './json'
import { KEEP_WRITTEN_MS } from './tab-writes'
import { isRec, JOINED, joined, joinedProgress, lasting, laterShown, PROGRESS, SEEN } from './state-join'

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
   * `keep`: read only; the sync takes them once the versions they gave are stored, so a second
   * tab's sync starting meanwhile finds either (it found neither, and undid the laptop's choice).
   */
  carried(userKey: string, keep?: boolean): string[]
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
 * document, and the list of the tabs whose changes it holds (`w`, tab-writes.ts): a key this tab
 * set in the last KEEP_WRITTEN_MS that another tab's write holds without that change is set again
 * (joined with that tab's value where both count: state-join.ts), or a badge this tab granted
 * would be granted a second time. A write that holds it was made on top of it, and stands: told
 * apart by the values alone, a list hidden in one tab and taken up again in another a moment later
 * was hidden again, and the two tabs wrote it back and forth.
 */
// Stored JSON, of any shape: read loosely.
type Rec = Record<string, any>

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
  // This tab's name in the stored document's list of writers, and the number of its last change.
  // (The list is kept here, not with tab-writes.ts's helpers: imported from the eager runtime,
  // their names cost every page bytes.)
  const tab = platform.random().toString(36)
  let seq = 0
  // What this tab set lately, by key: the change's number, and when.
  let recent = new Map<string, [seq: number, at: number]>()
  let version = 0
  const subs = new Set<() => void>()

  function read(): Record<string, unknown> {
    try {
      // Nothing stored (null) parses as null: no record, so {}.
      const v = fromJson((seen = platform.storage.get(storageKey))!)
      return isRec<Rec>(v) ? v : {}
    } catch {
      return {}
    }
  }
  function save() {
    const now = platform.now()
    // Writers not heard of for a minute leave: no tab keeps changes that long (KEEP_WRITTEN_MS).
    const w = Object.entries(isRec<Rec>(doc.w) ? doc.w : {}).filter(([, e]) => e?.[1] > now - 60_000)
    const raw = toJson((doc = { ...doc, w: { ...Object.fromEntries(w), [tab]: [seq, now] } }))
    // A refused write (quota, private mode) keeps the state in memory for this page.
    return platform.storage.set(storageKey, raw) && (seen = raw)
  }
  /** Takes in what another tab wrote since this tab last looked; false when nothing did. */
  function catchUp(): boolean {
    if (platform.storage.get(storageKey) === seen) return false
    const stored = read()
    const since = platform.now() - KEEP_WRITTEN_MS
    // How many of this tab's changes the stored document holds.
    const held = (isRec<Rec>(stored.w) && +stored.w[tab]?.[0]) || 0
    const next: Rec = { ...doc, ...stored }
    // What was shown and answered, and progress, is joined, not taken from one side: a write that
    // crossed ours lacks what we saw or did, and what it holds that we lack is not ours to undo.
    // Anything else this tab changed lately that the write lacks (storage cleared: nothing) is ours.
    const both = Object.keys(next).flatMap((key) => {
      const r = recent.get(key)
      const ahead = seen !== null && r && r[0] > held && r[1] > since
      const j = joined(key, doc[key], next[key]) ?? joinedProgress(key, doc[key], next[key], ahead) ?? (ahead ? doc[key] : next[key])
      return (ahead || Object.hasOwn(stored, key)) && toJson(j) !== toJson(stored[key]) ? [[key, j] as const] : []
    })
    doc = { ...next, ...Object.fromEntries(both) }
    if (both.length) save()
    return true
  }
  function put(key: string, value: unknown) {
    catchUp()
    doc = { ...doc, [key]: value }
    recent.set(key, [++seq, platform.now()])
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
  const look = () => catchUp() && notify()
  const stopStorage = platform.onStorage((key) => key === storageKey && look())
  // A tab back from the back/forward cache (or unfrozen) heard no storage event meanwhile: a list
  // finished in another tab stayed on screen here, unfinished.
  const stopShow = platform.onShow?.(look)

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
      const kept: Rec = isRec<Rec>(doc.draws) ? doc.draws : {}
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
    carried(userKey, keep) {
      const names = platform.storage.get(carriedKey(userKey))
      if (!keep) platform.storage.remove(carriedKey(userKey))
      return names ? names.split('\n') : []
    },
    takeIn(changes) {
      for (const key of Object.keys(changes)) api.set(key, changes[key])
    },
    switchUser(userKey, merge) {
      // What another tab still on the visitor wrote that this one has not heard of yet comes too:
      // the visitor's record goes below (a tab closed meanwhile had its task lost).
      if (merge) catchUp()
      const visitor = doc
      const visitorKey = storageKey
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
      const carried = merge ? Object.keys(visitor).filter((k) => isRec<Rec>(visitor[k]) && (PROGRESS.test(k) || SEEN.test(k) || JOINED.includes(k))) : []
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
        doc[k] = !isRec<Rec>(u) ? v : k === 'draws' ? { ...v, ...u } : SEEN.test(k) ? laterShown(v, u) : JOINED.includes(k) ? ((k === 'surveyAnswers' ? joined(k, u, v) : joined(k, v, u)) ?? u) : lasting({ ...v, ...u, [entries]: { ...v[entries], ...u[entries] } }, v)
      }
      // The visitor's record, brought into the user's, goes: a new visitor after each sign-out
      // never reads it again, and each sign-in left one more in the quota the host shares. Kept
      // while storage refuses the user's (this page holds the merge in memory only). A tab still
      // on the visitor holds its own copy, and brings it as it follows the sign-in.
      if (merge && (!carried.length || save())) platform.storage.remove(visitorKey)
      // Named in storage for the sync, which may first run on the next page (a login that
      // redirects).
      if (yielding.length) platform.storage.set(carriedKey(userKey), yielding.join('\n'))
      notify()
    },
    dispose() {
      stopStorage()
      stopShow?.()
      subs.clear()
    },
  }
  if (from) api.switchUser(initialUserKey, true)
  return api
}
