import { atom, type ReadableAtom } from 'nanostores'
import type { Platform } from './platform'
import { fromJson, toJson } from './json'
import { heldBy, KEEP_WRITTEN_MS, readWriters, stamp, tabId, type Writers } from './tab-writes'
import { DAY_WINDOW } from './day-window'

export { DAY_WINDOW }

/**
 * The per-user usage profile: what audience rules, badges and the cancel flow's value reminder
 * read. A pure reducer (recordEvent, mergeProfiles) plus a small persisted store.
 *
 * Bounds, so the profile stays a few KB in localStorage whatever the host tracks:
 * - per-day counts and active days are kept for the last KEPT_DAYS days (older ones pruned),
 *   so `withinDays` rules work up to DAY_WINDOW days; totals, first and last are kept forever;
 * - at most MAX_NAMES distinct event names (and as many features): when a new name arrives at
 *   the cap, the least recently seen one is forgotten. A tracking plan that hits the cap is
 *   almost always putting ids in event names; recent behaviour is what rules ask about.
 */
export type DayKey = string

export interface Tally {
  count: number
  first: number
  last: number
}

export interface EventStats extends Tally {
  /** Count per local day (YYYY-MM-DD), last KEPT_DAYS days. */
  days: Record<DayKey, number>
}

export interface Streak {
  current: number
  longest: number
  lastDay: DayKey | null
}

export interface UsageProfile {
  v: 1
  firstSeen: number | null
  lastSeen: number | null
  /**
   * When the user was last seen before this visit (one ends after 30 minutes without an event):
   * what a rule's `daysSince: "lastSeen"` reads. lastSeen itself is always now, the event that
   * asks having been taken in first, so "away for 7 days" could never hold.
   */
  prevSeen?: number | null
  events: Record<string, EventStats>
  /** Local days with any activity, ascending, last KEPT_DAYS days. */
  activeDays: DayKey[]
  streak: Streak
  features: Record<string, Tally>
}

export interface UsageEvent {
  name: string
  time: number
  feature?: string
}

export const MAX_NAMES = 500
/** A gap this long without an event ends a visit (as analytics tools count sessions). */
export const VISIT_GAP_MS = 30 * 60_000
const DAY = 86_400_000
/**
 * Days of daily detail kept: the rules' window, and two more so that a value review seen on the
 * 31st of a month still holds the whole month before the one it reviews (31 + 30 + 31 days).
 */
const KEPT_DAYS = DAY_WINDOW + 2

export function emptyProfile(): UsageProfile {
  return { v: 1, firstSeen: null, lastSeen: null, events: {}, activeDays: [], streak: { current: 0, longest: 0, lastDay: null }, features: {} }
}

const pad = (n: number) => (n < 10 ? '0' : '') + n
// Rules ask for the day of the same `now` many times per event; a day starts on a whole second.
let localSecond = Number.NaN
let localDay = ''
/** The runtime's own day for `ms`: Date's local getters, no Intl (whose first use costs ~40 ms). */
export const localDayKey = (ms: number): DayKey => {
  if (Math.floor(ms / 1000) === localSecond) return localDay
  const d = new Date(ms)
  localSecond = Math.floor(ms / 1000)
  return (localDay = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`)
}

/** The runtime's own IANA zone where Temporal can say it for free; Intl would cost its first use. */
export function runtimeZone(): string | undefined {
  try {
    return (globalThis as { Temporal?: { Now: { timeZoneId(): string } } }).Temporal?.Now.timeZoneId()
  } catch {}
}

/**
 * Local day keys in an IANA time zone, so a user's evening counts for their day, not UTC's.
 * An unknown zone falls back to UTC rather than failing.
 */
export function dayKeyIn(timeZone?: string): (ms: number) => DayKey {
  if (timeZone === undefined || timeZone === runtimeZone()) return localDayKey
  let format: Intl.DateTimeFormat | null | undefined
  // Rules ask for the day of the same `now` many times per event. Every zone's midnight falls on
  // a whole second (tz offsets are whole seconds), so one second never spans two days.
  let second = Number.NaN
  let day = ''
  return (ms) => {
    if (Math.floor(ms / 1000) === second) return day
    if (format === undefined) {
      try {
        format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      } catch {
        format = null
      }
    }
    const p: Record<string, string> = {}
    if (format) for (const part of format.formatToParts(ms)) p[part.type] = part.value
    second = Math.floor(ms / 1000)
    day = format ? `${p.year}-${p.month}-${p.day}` : new Date(ms).toISOString().slice(0, 10)
    return day
  }
}

export const dayNumber = (key: DayKey): number => Math.round(Date.parse(key) / DAY)
// Every event and every windowed rule asks for the same few (day, offset) pairs.
const sums = new Map<string, DayKey>()
/** The day key `n` days after `key` (negative: before); calendar arithmetic, no time zone. */
export const addDays = (key: DayKey, n: number): DayKey => {
  const ask = key + '|' + n
  let sum = sums.get(ask)
  if (sum === undefined) {
    if (sums.size > 256) sums.clear()
    sums.set(ask, (sum = new Date(Date.parse(key) + n * DAY).toISOString().slice(0, 10)))
  }
  return sum
}

// Reads go through own() so event names like "constructor" never hit Object.prototype.
export const own = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined)

/** The earlier or later (`pick`) of two times, either of which may not be known yet. */
const seen = (pick: (...n: number[]) => number, a: number | null, b: number | null) => (a === null ? b : b === null ? a : pick(a, b))
const joinTally = (x: Tally, y: Tally): Tally => ({ count: x.count + y.count, first: Math.min(x.first, y.first), last: Math.max(x.last, y.last) })
const bump = (prev: Tally | undefined, time: number): Tally => (prev ? joinTally(prev, { count: 1, first: time, last: time }) : { count: 1, first: time, last: time })

/** Forgets the least recently seen names beyond `max`. */
function cap<T extends Tally>(record: Record<string, T>, max: number): Record<string, T> {
  const names = Object.keys(record)
  if (names.length <= max) return record
  // A null entry (a hand edit) sorts last rather than throwing out of record().
  const keep = names.sort((a, b) => (record[b]?.last ?? 0) - (record[a]?.last ?? 0)).slice(0, max)
  const out: Record<string, T> = Object.create(null)
  for (const name of keep) out[name] = record[name]
  return { ...out }
}

function pruneDays(days: Record<DayKey, number>, oldest: DayKey, newest?: DayKey): Record<DayKey, number> {
  const out: Record<DayKey, number> = {}
  // Own keys only: a page that adds enumerable Object.prototype methods must not add days. No
  // newest: no day is too late.
  for (const day of Object.keys(days)) if (day >= oldest && !(day > newest!)) out[day] = days[day]
  return out
}

/**
 * Recomputes a streak from active days; a carried streak that the window cannot show survives,
 * and one that ended inside (or the day before) the final run goes on to its end: a user whose
 * 95-day streak the visitor's day continues has 96 days, not the window's 90.
 */
function restreak(days: DayKey[], carried: Streak[]): Streak {
  let run = 0
  let longest = 0
  let prev = Number.NaN
  for (const day of days) {
    const n = dayNumber(day)
    run = n - prev === 1 ? run + 1 : 1
    prev = n
    longest = Math.max(longest, run)
  }
  const lastDay = days.length ? days[days.length - 1] : null
  const gone = (s: Streak) => (s.lastDay ? prev - dayNumber(s.lastDay) : Infinity)
  const current = Math.max(run, ...carried.filter((s) => gone(s) >= 0 && gone(s) <= run).map((s) => s.current + gone(s)))
  return { current, longest: Math.max(longest, current, ...carried.map((s) => s.longest)), lastDay }
}

/**
 * Takes in one event. An event older than the last one seen (a late replay, a clock that jumped
 * back) still counts, but never moves lastSeen back or breaks the streak.
 */
export function recordEvent(profile: UsageProfile, event: UsageEvent, dayKey: (ms: number) => DayKey, inPlace?: boolean): UsageProfile {
  const { name, time, feature } = event
  if (typeof name !== 'string' || !name || !Number.isFinite(time)) return profile
  const day = dayKey(time)
  const { streak } = profile
  const newest = streak.lastDay && streak.lastDay > day ? streak.lastDay : day
  const oldest = addDays(newest, 1 - KEPT_DAYS)
  const inWindow = day >= oldest
  const prev = own(profile.events, name)

  const days = { ...prev?.days }
  if (inWindow) days[day] = (days[day] ?? 0) + 1
  // In place (the store's own record: see $live), a user with hundreds of names paid a copy of
  // them all per event. Each name's stats are still new objects: what rules compare.
  let events = inPlace ? profile.events : { ...profile.events }
  const stats = { ...bump(prev, time), days: pruneDays(days, oldest) }
  // A new name (rare: the cap lists them all then anyway) makes a new record: assigned, "__proto__"
  // would set its prototype and count nowhere, and "toString" throw on a page that froze
  // Object.prototype (SES lockdown). Only a new name can pass the cap.
  if (prev === undefined) events = cap({ ...events, [name]: stats }, MAX_NAMES)
  else events[name] = stats
  const features = feature ? cap({ ...profile.features, [feature]: bump(own(profile.features, feature), time) }, MAX_NAMES) : profile.features

  let activeDays = profile.activeDays
  let nextStreak = streak
  if (inWindow && !activeDays.includes(day)) {
    activeDays = [...activeDays, day].sort().filter((d) => d >= oldest)
    if (!streak.lastDay || day > streak.lastDay) {
      const current = streak.lastDay && dayNumber(day) - dayNumber(streak.lastDay) === 1 ? streak.current + 1 : 1
      nextStreak = { current, longest: Math.max(streak.longest, current), lastDay: day }
    } else {
      // A late event can fill a gap; it must never shorten what was already earned.
      nextStreak = restreak(activeDays, [streak])
    }
  }
  return {
    v: 1,
    firstSeen: seen(Math.min, profile.firstSeen, time),
    lastSeen: seen(Math.max, profile.lastSeen, time),
    prevSeen: profile.lastSeen !== null && time - profile.lastSeen > VISIT_GAP_MS ? profile.lastSeen : profile.prevSeen,
    events,
    activeDays,
    streak: nextStreak,
    features,
  }
}

// A stored entry of another shape (null, or an event without days: an older release, a hand
// edit) must not throw here: identify would stop half done, and the visitor's profile, written
// under the user's key, replace the user's whole history. A null entry holds nothing.
function mergeRecords<T>(a: Record<string, T>, b: Record<string, T>, join: (x: T, y: T) => T): Record<string, T> {
  const out: Record<string, T> = Object.create(null)
  for (const name of Object.keys(a)) if (a[name]) out[name] = a[name]
  for (const name of Object.keys(b)) if (b[name]) out[name] = name in out ? join(out[name], b[name]) : b[name]
  return { ...out }
}

/** identify(): the anonymous visitor's usage becomes the user's (counts add up, days unite). */
export function mergeProfiles(anon: UsageProfile, user: UsageProfile): UsageProfile {
  const activeDays = [...new Set([...anon.activeDays, ...user.activeDays])].sort()
  const newest = activeDays[activeDays.length - 1]
  const oldest = newest ? addDays(newest, 1 - KEPT_DAYS) : ''
  const events = mergeRecords(anon.events, user.events, (x, y) => {
    const [days, more] = [{ ...x.days }, { ...y.days }]
    for (const d of Object.keys(more)) days[d] = (days[d] ?? 0) + more[d]
    return { ...joinTally(x, y), days: pruneDays(days, oldest) }
  })
  const kept = activeDays.filter((d) => d >= oldest)
  const lastSeen = seen(Math.max, anon.lastSeen, user.lastSeen)
  // The visit before this one, of either: the later of their own, or the last time either was
  // seen, when that was a visit ago (the user's last visit, before the visitor's sign-up now).
  const before = [anon.prevSeen, user.prevSeen, anon.lastSeen, user.lastSeen].filter((t): t is number => typeof t === 'number' && t < lastSeen! - VISIT_GAP_MS)
  return {
    v: 1,
    firstSeen: seen(Math.min, anon.firstSeen, user.firstSeen),
    lastSeen,
    prevSeen: before.length ? Math.max(...before) : undefined,
    events: cap(events, MAX_NAMES),
    activeDays: kept,
    streak: restreak(kept, [anon.streak, user.streak]),
    features: cap(mergeRecords(anon.features, user.features, joinTally), MAX_NAMES),
  }
}

/**
 * The profile once a clock that ran ahead is right again (`now`, on `today`): the days after today
 * go, from the active days and from every event's days, or those counts came back as the real
 * date's when it arrived (their totals stay). The streak is what the kept days show (a user active
 * today keeps today), and lastSeen (prevSeen) is no later than now: one in the future never
 * became the visit before, and a daily user read as away since the clock jumped.
 */
function clockRepaired(p: UsageProfile, today: DayKey, now: number): UsageProfile {
  const activeDays = p.activeDays.filter((d) => d <= today)
  // Each tally is last used no later than now either: a feature used "on 10 April" read as used
  // within 7 days for weeks. A stored entry of another shape (no days, null: an older release, a
  // hand edit) must not throw here, where the event that asked for the repair would be lost with it.
  const repaired = <T extends Tally>(record: Record<string, T>, days?: 1): Record<string, T> => {
    const out: Record<string, T> = Object.create(null)
    for (const name of Object.keys(record)) {
      const e = record[name]
      if (e) out[name] = { ...e, ...(days && { days: pruneDays({ ...(e as Partial<EventStats>).days }, '', today) }), ...(e.last > now && { first: Math.min(e.first, now), last: now }) }
    }
    return { ...out }
  }
  return {
    ...p,
    lastSeen: p.lastSeen! > now ? now : p.lastSeen,
    prevSeen: p.prevSeen! > now ? now : p.prevSeen,
    events: repaired(p.events, 1),
    features: repaired(p.features),
    activeDays,
    streak: restreak(activeDays, [p.streak]),
  }
}

/** Events this tab wrote in one write: numbered up to `last`. */
interface Batch {
  events: UsageEvent[]
  last: number
  at: number
}

interface Stored {
  profile: UsageProfile
  writers: Writers | undefined
}

function parseStored(raw: string | null): Stored | null {
  try {
    const p = raw === null ? null : fromJson(raw)
    if (!(p && p.v === 1 && p.events && p.features && Array.isArray(p.activeDays) && p.streak)) return null
    const { w, ...profile } = p
    return { profile, writers: readWriters(w) }
  } catch {
    return null
  }
}

export interface UsageStore {
  /**
   * The current user's profile, read-only: only record() and switchUser() change it. Each value
   * is a snapshot (one the host keeps never changes), made when read or listened to.
   */
  $profile: ReadableAtom<UsageProfile>
  /**
   * The same for Linger's own readers, which read it at once: a new profile per event, but its
   * `events` record goes on changing in place (each name's stats are new when they change).
   */
  $live: ReadableAtom<UsageProfile>
  /** The user's local day for a time; audience rules need it for `withinDays` and streaks. */
  dayKey(ms: number): DayKey
  record(event: { name: string; time?: number; feature?: string }): void
  /**
   * identify() merges the anonymous profile into the user's; reset() and user changes don't.
   * Before settle() (holdForIdentify), what this page counted goes to the user switched to.
   */
  switchUser(userKey: string, options: { merge: boolean }): void
  /** holdForIdentify: the app named who is here, or the wait is over; what this page counted is written as theirs. */
  settle(): void
  /**
   * Another tab's counts came in (its write, seen here): rules may hold now with no event in
   * this tab, so whatever re-checks on events re-checks on this too.
   */
  onSync(fn: () => void): () => void
  destroy(): void
}

export const usageStorageKey = (userKey: string): string => `linger:usage:${userKey}`

/** Events a tab keeps for a write storage keeps refusing. */
const MAX_UNSAVED = 1000

/** How long tracked events wait for the profile's write: the events of that time share one. */
export const USAGE_WRITE_DELAY_MS = 1000

/**
 * Persists the profile under `linger:usage:<userKey>`, once a second at most while the user is
 * active, and at once when the page is hidden or goes away: a write costs the page ~0.15 ms of
 * main thread, and an app tracks an event per user action. Tabs write whole profiles, so the
 * events taken in since the last write are kept: when another tab wrote meanwhile (its storage
 * event, or a look before writing), its profile becomes the base and they go on top again, so
 * neither tab's increments are lost. If our own write failed (quota, private mode), storage still
 * holds what we last wrote and memory stays ahead.
 *
 * Two tabs can still write at once, each before the other's write reached it: the stored profile
 * lists its writers (`w`, see tab-writes.ts), and a tab whose events a write replaced writes them
 * again on top of it.
 */
export function createUsageStore(options: {
  platform: Platform
  key: string
  dayKey?: (ms: number) => DayKey
  /**
   * The client's holdForIdentify: the stored user may not be who is at the keyboard (a shared
   * laptop whose last user never logged out) until the app's session answer names them. What
   * this page counts meanwhile is read at once, but written only once settle() says whose it is,
   * and a switch to another user takes it along: written at once, it stayed in the last user's
   * profile for good.
   */
  holdForIdentify?: number
}): UsageStore {
  const { platform } = options
  // A browser's zone is the runtime's own: Date's local day, no Intl formatter on the page.
  const dayKey = options.dayKey ?? platform.dayKey ?? localDayKey
  const tab = tabId(platform.random)
  let key = options.key
  let known: string | null = platform.storage.get(usageStorageKey(key))
  // Read once: a profile is a few KB of JSON, parsed as every page starts.
  const first = parseStored(known)
  const $live = atom<UsageProfile>(first?.profile ?? emptyProfile())
  // The host's view: a copy of the events record per profile, made only when the host reads it or
  // listens (a page that never does pays nothing per event), so a `computed` over `events` hears
  // every event and a profile kept from before holds what it held.
  const $profile = atom<UsageProfile>(undefined!)
  let shown: UsageProfile | undefined
  const fresh = (p = $live.value!) => {
    if (p !== shown) $profile.set({ ...(shown = p), events: { ...p.events } })
  }
  // Also keeps $live mounted (see mounted.ts): rules read it per experience per event.
  $live.listen(() => $profile.lc && fresh())
  const { listen } = $profile
  $profile.listen = (l) => (fresh(), listen(l))
  $profile.get = () => (fresh(), $profile.value!)
  // This tab's events, numbered as taken in (`seq`: the last one's number): the unwritten ones,
  // those another tab's write replaced (to write again), and those written in the last
  // KEEP_WRITTEN_MS, in case another tab's write replaces them. Kept by the write, not by the
  // event: a burst of events allocates nothing more per event.
  let seq = 0
  let unsaved: UsageEvent[] = []
  let again: Batch[] = []
  let written: Batch[] = []
  // This key's profile was merged into a user elsewhere (see sync): storage holds only what came after.
  let merged = false
  // The stored text without this tab's unsaved events (another tab's, or our last accepted write).
  let base: string | null = null
  let writers = first?.writers
  let timer: unknown
  // Hidden, or leaving: the timer may never run (a discarded tab, an unload), so each event
  // tracked now is written at the end of its task, until the page is shown again.
  let leaving = false
  const synced = new Set<() => void>()
  // Until settle(): what this page counts is not yet known to be the stored user's.
  let awaiting = options.holdForIdentify

  // `from` is always this store's own (just read from storage, or new): changed in place.
  const replay = (from: UsageProfile) => [...again.flatMap((b) => b.events), ...unsaved].reduce((p, e) => recordEvent(p, e, dayKey, true), from)
  /** The batches (parts of them) a document holding this tab's events up to `held` lacks. */
  const lacking = (batches: Batch[], held: number, since: number) =>
    batches.filter((b) => b.last > held && b.at > since).map((b) => ({ ...b, events: b.events.slice(Math.max(0, held - b.last + b.events.length)) }))
  // Once merged: what this tab takes in, on the text storage held without our unsaved events.
  const mine = () => replay(parseStored(base)?.profile ?? emptyProfile())

  /**
   * Takes in what another tab wrote since this one last read or wrote, with our unsaved events on
   * top. True when that write had replaced some of ours: they are unsaved again.
   */
  function sync(): boolean {
    const raw = platform.storage.get(usageStorageKey(key))
    if (raw === known) return false
    // Gone: another tab's identify merged this visitor into its user (or the host cleared
    // storage). What this tab had read is counted there now: from here on, storage gets only what
    // this tab takes in, or a later identify would merge the visitor's history a second time. The
    // profile this tab shows stays whole (the other tab's user is a storage event away); an empty
    // one, even for a moment, could start a new user's experiences.
    if (raw === null) merged = true
    known = base = raw
    const stored = parseStored(raw)
    // A profile with no list of writers (a tab on an older release wrote it) is taken as holding
    // everything, ours included. One this release cannot read leaves what this tab shows, and
    // the list of what that holds, as they were.
    if (stored) writers = stored.writers
    if (!writers) written = []
    if (!stored || merged) return false
    const held = writers ? heldBy(writers, tab) : Infinity
    const lost = lacking(written, held, platform.now() - KEEP_WRITTEN_MS)
    written = written.filter((b) => b.last <= held)
    again = [...again, ...lost]
    $live.set(replay(stored.profile))
    synced.forEach((fn) => fn())
    return lost.length > 0
  }

  /** Writes `profile`, which holds every event this tab took in; true when storage took it. */
  function put(profile: UsageProfile, ...also: Array<Writers | undefined>): boolean {
    const now = platform.now()
    const next = stamp(tab, seq, now, writers, ...also)
    const raw = toJson({ ...profile, w: next })
    // Refused (quota, private mode): storage reads give this back for now, so it is what this tab
    // knows; what is unsaved stays so, to go on top of another tab's write, or in the next try.
    // Without storage at all there is no other tab to merge with: only the latest are kept.
    known = raw
    if (!platform.storage.set(usageStorageKey(key), raw)) {
      unsaved = unsaved.slice(-MAX_UNSAVED)
      return false
    }
    written = written.filter((b) => b.at > now - KEEP_WRITTEN_MS).concat(again.map((b) => ({ ...b, at: now })))
    if (unsaved.length) written.push({ events: unsaved, last: seq, at: now })
    again = []
    unsaved = []
    base = raw
    writers = next
    return true
  }

  function write() {
    if (timer !== undefined) platform.clearTimeout(timer)
    timer = undefined
    if (awaiting || (!unsaved.length && !again.length)) return
    sync()
    put(merged ? mine() : $live.get())
  }

  // From timers and page events: a failure is logged, never thrown into the host page.
  const safely = (fn: () => void) => () => {
    try {
      fn()
    } catch (e) {
      platform.log('error', 'usage write failed', e)
    }
  }
  const settle = safely(() => {
    awaiting = 0
    write()
  })
  const unlisten = platform.onStorage((changed) => {
    // What another tab's write replaced goes back at once: that tab shows it again sooner.
    if (changed === usageStorageKey(key)) safely(() => sync() && write())()
  })
  const unhide = platform.onHide(
    safely(() => {
      leaving = true
      write()
    }),
  )
  const unshow = platform.onShow?.(() => (leaving = false))

  return {
    $profile,
    $live,
    dayKey,
    record(input) {
      const event = { name: input.name, time: input.time ?? platform.now(), feature: input.feature }
      let current = $live.get()
      const { streak } = current
      let today: DayKey
      // Happening now (not a replay: within a minute of the clock), yet days before the profile's
      // last one (a day of slack for a user who flew west): those days came from a clock that ran
      // ahead. The window ended on them, so every real day fell out of it and the streak stood
      // still for good. They go (their dates are wrong; the counts stay). Unless the user was here
      // the day after today: a clock that ran ahead left a gap there (tomorrow has not come), so
      // it is this clock that was set back, and those days are real (a daily user's 30-day streak
      // fell to 1 when it was put right).
      if (
        streak.lastDay! > (today = dayKey(event.time)) &&
        streak.lastDay! > addDays(today, 1) &&
        Math.abs(event.time - platform.now()) < 60_000 &&
        !current.activeDays.includes(addDays(today, 1))
      )
        current = clockRepaired(current, today, event.time)
      const next = recordEvent(current, event, dayKey, true)
      if (next === $live.get()) return
      unsaved.push(event)
      seq++
      $live.set(next)
      if (leaving) queueMicrotask(safely(write))
      else timer ??= platform.setTimeout(safely(write), USAGE_WRITE_DELAY_MS)
    },
    switchUser(userKey, { merge }) {
      if (userKey === key) return
      write()
      sync()
      const from = key
      const visitors = writers
      const now = platform.now()
      const recent = [...written.filter((b) => b.at > now - KEEP_WRITTEN_MS), ...again.map((b) => ({ ...b, at: now }))]
      if (unsaved.length) recent.push({ events: unsaved, last: seq, at: now })
      // What this visitor's key holds that no merge took yet, with what storage refused on top.
      const anon = merged ? mine() : $live.get()
      // What storage refused is the last user's: merged below with the rest, or theirs alone. What
      // was counted before the app named who is here (holdForIdentify) is the named user's.
      unsaved = awaiting && !merge ? unsaved : []
      again = []
      written = []
      merged = false
      key = userKey
      known = base = platform.storage.get(usageStorageKey(key))
      const stored = parseStored(known)
      writers = stored?.writers
      const target = stored?.profile ?? emptyProfile()
      if (!merge) return $live.set(replay(target))
      // This tab's recent events stay kept under the user's key: a write that replaces the
      // user's profile without them gets them again.
      written = recent
      if (writers && Object.hasOwn(writers, from)) {
        // Another tab signed this visitor in already (the user's profile lists the visitor's key
        // as a writer: this tab follows it, or its own identify came before the news did). It
        // merged the visitor as it saw it, and says which of this tab's events that held: the
        // rest (a write of ours that crossed its merge, or never reached it) go on top. Whatever
        // else the visitor's key still holds is counted there already.
        const held = heldBy(writers, tab)
        written = recent.filter((b) => b.last <= held)
        again = lacking(recent, held, now - KEEP_WRITTEN_MS)
        const next = replay(target)
        if (again.length) put(next)
        platform.storage.remove(usageStorageKey(from))
        return $live.set(next)
      }
      const both = mergeProfiles(anon, target)
      // Merged once: a later identify of the same visitor must not add it in again. Only once the
      // user's profile is written: if storage refused it, the visitor's stays (this tab keeps the
      // merge in memory and writes it with its next event). Storage first, listeners last: one
      // that throws must not leave it half done. The user's profile holds what the visitor's
      // held, and says so when the visitor's listed it (a follower then adds only what it lacks).
      if (put(both, visitors && { ...visitors, [from]: [0, now] })) platform.storage.remove(usageStorageKey(from))
      $live.set(both)
    },
    settle,
    onSync(fn) {
      synced.add(fn)
      return () => synced.delete(fn)
    },
    destroy() {
      settle()
      unlisten()
      unhide()
      unshow?.()
    },
  }
}
