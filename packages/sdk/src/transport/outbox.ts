import type { LingerEvent } from '../events'
import { toJson } from '../json'
import type { KeyValueStorage } from '../platform'

/**
 * How long a change may wait in memory before it is written: the track() calls of a second cost
 * one write, not one per event or per task (each write re-encodes the whole queue: a 1,000-event
 * outbox rewritten per call blocked pages for tens of ms each). A crash (no pagehide) inside
 * this window loses at most that window's events; a page that is hidden or unloads writes
 * everything at once (persist()), so leaving a page never loses one.
 */
export const WRITE_DELAY_MS = 1000

/**
 * The most of the host's localStorage a tab's outbox takes (characters, as browsers count their
 * quota of about 5 million an origin): 1,000 events of a few KB each filled it, and the host's own
 * writes failed. A larger queue is kept in memory until it is this small again; storage meanwhile
 * holds what requests carry and its newest part, at least half of what fits (a crash loses only
 * the rest; a page that leaves drops the rest, reported). A typical event takes ~130
 * stored (compact; ~500 as plain JSON, before the sender is here), so 1,000 of them fit.
 */
export const STORED_MAX_CHARS = 524_288

/** A tab that has handed the item to the network owns it until `until`; then anyone may resend. */
export interface Claim {
  by: string
  until: number
}

export interface OutboxItem {
  event: LingerEvent
  queuedAt: number
  claim?: Claim
  /**
   * performance.now() of this page as it was queued. With the outbox's `at`, it tells a page that
   * adopts the outbox how far the device's clock was set back since (performance.now() is per page).
   */
  e?: number
}

/**
 * One tab's queue. Each tab writes only its own (Chromium gives every renderer its own cached
 * copy of localStorage, so read-modify-write on a key two live tabs share loses events); a tab
 * that went away leaves its outbox for a live one to adopt. `alive` is when the owner last
 * wrote it, which is how tabs without Web Locks tell a dead owner from a live one.
 */
export interface OutboxState {
  items: OutboxItem[]
  alive: number
  /** As written: the device's clock when this page's performance.now() was 0, as it stood then. */
  at?: number
}

export const EMPTY_OUTBOX: OutboxState = { items: [], alive: 0 }

/** Every tab's outbox of this write key is stored under the prefix plus the tab's id. */
export function outboxPrefix(writeKey: string): string {
  return `linger:outbox:${writeKey}:`
}

/** Longer than any request may take, so a live tab's claim never lapses under it. */
export const CLAIM_MS = 30_000

/** A claim further off than CLAIM_MS was made by a clock since set back: it must not hold the event for that long. */
export function isFree(item: OutboxItem, now: number): boolean {
  return !item.claim || item.claim.until <= now || item.claim.until > now + CLAIM_MS
}

// The messageIds of the last queue appended to, so adding one event to a long queue does not
// rebuild the set of every id in it. One pair, not a slot on each list: defining a property on
// an array per event cost more than the rest of append() (bench/profile-track.mjs).
let lastItems: OutboxItem[] | undefined
let lastIds = new Set<string>()
const idsOf = (items: OutboxItem[]): Set<string> => (items === lastItems ? lastIds : new Set(items.map((i) => i.event.messageId)))
// The queue an outbox's update() is replacing (read() callers use what they read at once): append
// adds to it in place if append made it, instead of copying a long queue per event (~1 KB an
// event of a burst). Any other state, one a caller keeps included, is never changed.
let spare: OutboxItem[] | undefined

// Ordered by performance.now() where both have one (adopt.ts moves an adopted event's onto this
// page's): by queuedAt, an event tracked after the device's clock was set back sorted first, and
// a full queue dropped it as the oldest. Items without one (an earlier release's, a damaged row)
// come first, by queuedAt: mixing the two comparisons pair by pair was no order at all (a sort
// then dropped this page's newest event and kept an old one).
const later = (a: OutboxItem, b: OutboxItem, x = isFinite(a.e!), y = isFinite(b.e!)) => (x && y ? a.e! - b.e! : x == y ? a.queuedAt - b.queuedAt : x ? 1 : -1)

/**
 * Adds events, skipping messageIds already queued and keeping their claims; the queue stays in
 * the order they were tracked, and beyond `max` the oldest go first (recent behaviour matters most).
 */
export function append(state: OutboxState, added: OutboxItem[], max: number): { state: OutboxState; dropped: number } {
  const seen = idsOf(state.items)
  const fresh = added.filter((i) => !seen.has(i.event.messageId) && seen.add(i.event.messageId))
  const last = state.items[state.items.length - 1]
  // The usual case, one event newer than everything queued, needs no sort.
  const inOrder = fresh.every((item, i) => later(item, i ? fresh[i - 1] : (last ?? item)) >= 0)
  let items = state.items === spare && spare === lastItems ? spare : state.items.slice()
  items.push(...fresh)
  if (!inOrder) items.sort(later)
  // The id set moves on to the new list (the old list will need its own if it is used again).
  lastItems = items
  lastIds = seen
  const before = items.length
  let over = before - Math.max(1, max)
  // Events already handed to a request are not dropped while it is in flight: if it succeeds
  // they were delivered, and counting them as dropped would be a lie. The queue holds them over
  // its bound until answered (a failure frees them, and the next event drops them, counted); at
  // most what its requests carry, and what a gone tab handed over as it closed. Under the bound
  // (the usual case) the queue is not walked.
  if (over > 0) items = items.filter((i) => !(over > 0 && !i.claim && over--))
  return { state: { ...state, items }, dropped: before - items.length }
}

export function claimItems(state: OutboxState, ids: Set<string>, claim: Claim): OutboxState {
  return { ...state, items: state.items.map((i) => (ids.has(i.event.messageId) ? { ...i, claim } : i)) }
}

export function removeItems(state: OutboxState, ids: Set<string>): OutboxState {
  return { ...state, items: state.items.filter((i) => !ids.has(i.event.messageId)) }
}

export interface Outbox {
  /** The queue as it is: until the next update(), which may add to its list (copy what you keep). */
  read(): OutboxState
  /** Applies `fn` in memory, stamping `alive`; the write to storage follows within WRITE_DELAY_MS. */
  update(fn: (state: OutboxState) => OutboxState): OutboxState
  /** Writes a pending change now: before the page may go away. */
  persist(): void
  /** Whether storage holds `event` (written, and not removed since): a claim on it must be written before its request leaves. */
  stored(event: LingerEvent): boolean
  clear(): void
  /** False once storage refused a write: the queue then lives in this page's memory only. */
  persisted(): boolean
  /**
   * Writes in `encode`'s form from now on: the compact one (outbox-codec.ts) comes with the
   * sender; until then the page writes plain JSON, which adoption reads too.
   */
  encodeWith(encode: (state: OutboxState) => string): void
}

/**
 * This tab's own outbox, new with the page (`key` holds the tab's own id). No other live tab
 * writes `key`, so memory is the truth and storage its copy for whoever adopts the queue after
 * this page is gone.
 */
/**
 * Gives back what `by` claimed, so it is sent again; a claim adopted from a dead tab is kept, and
 * so is a later claim (one lasting past `until`): a newer request, still under way, carries them.
 */
export function releaseItems(state: OutboxState, ids: Set<string>, by: string, until: number): OutboxState {
  return {
    ...state,
    items: state.items.map((i) => (ids.has(i.event.messageId) && i.claim?.by === by && i.claim.until <= until ? { ...i, claim: undefined } : i)),
  }
}

export function createOutbox(storage: KeyValueStorage, key: string, now: () => number, later: (fn: () => void, ms: number) => unknown, elapsed?: () => number): Outbox {
  let memory = EMPTY_OUTBOX
  let encode: (state: OutboxState) => string = toJson
  let inMemory = false
  let dirty = false
  // The events of the last write: an event that never reached storage needs no claim written
  // for it (a crash cannot resend what was never stored).
  // A Set, not a WeakSet: see slot.ts. It holds at most the queue of the last write.
  let written = new Set<LingerEvent>()
  function persist(): void {
    if (!dirty) return
    dirty = false
    // `text` is a parameter only to be a local without a `let` (bytes every page view pays).
    const write = (items: OutboxItem[], text?: string) => {
      const ok = !items.length ? (storage.remove(key), true) : (text = encode({ ...memory, items, at: now() - elapsed?.()! })).length <= STORED_MAX_CHARS && storage.set(key, text)
      if (ok) written = new Set(items.map((i) => i.event))
      return ok
    }
    // The whole queue first, every time: storage the host filled for a moment has room again
    // later, and a page that kept its queue in memory for good would lose it to a crash.
    // Refused, or over STORED_MAX_CHARS: storage keeps the queue's newest half, or a half of
    // that, the first that fits (at least half of what fits): never what was delivered since (a
    // tab adopting the copy would send it again), and not nothing (a page closed offline would
    // lose what it had not sent). Not what it held before: a claim lengthens its rows, and that
    // copy, refused in turn, left nothing stored (300 events queued offline, the tab closed: all
    // lost), as did a first write already over the bound. The newest, as the bound drops the
    // oldest: kept, the oldest part was all a collector down for days got back from a site of
    // short visits, each visit's own events lost with its page. Claimed ones before them (a
    // stable sort puts them last): a request carries them (keepalive, a beacon, as the page
    // left), and one that never arrives (the collector down) is sent again only from here.
    let items = memory.items
    while (!write(items)) items = [...items].sort((a, b) => +!b.claim - +!a.claim).slice((items.length + 1) >> 1)
    inMemory = items != memory.items
  }
  return {
    read: () => memory,
    update(fn) {
      // Not in try/finally (bytes): a reducer that throws leaves `spare` at a list only this
      // outbox holds, which the next update() sets again.
      spare = memory.items
      const changed = fn(memory)
      spare = undefined
      if (changed === memory) return memory
      memory = { ...changed, alive: now() }
      const scheduled = dirty
      dirty = true
      if (!scheduled) later(persist, WRITE_DELAY_MS)
      return memory
    },
    persist,
    stored: (event) => written.has(event),
    clear() {
      memory = EMPTY_OUTBOX
      dirty = false
      written = new Set()
      storage.remove(key)
    },
    persisted: () => !inMemory,
    encodeWith(e) {
      encode = e
    },
  }
}
