import type { Platform } from '../platform'
import { storageLease } from './lease'
import type { OutboxItem } from './outbox'
import { readOutbox } from './outbox-decode'

// delivery.ts's TAKEN and QUEUE_MAX_AGE_MS, spelled here: imported, the eager runtime was split
// into one more chunk for this chunk to import them from (172 B more on every page view).
const TAKEN = 'linger:taken:'
const QUEUE_MAX_AGE_MS = 7 * 864e5

// Adopting the outbox of a tab that is gone is the rarer path (a tab closed, crashed or navigated
// away with events unsent), so it is a chunk of its own: the sender (in the start chunk every page
// view loads) only lists the outbox keys in storage, and loads this once another tab's is there
// (gone, or still open with events queued).

/** What adopting needs of the delivery that runs it. */
export interface Adoption {
  platform: Platform
  /** The outbox keys of other tabs, live or gone, as storage holds them now. */
  keys(): string[]
  tab: string
  /** This tab holds its own tab lock for life: another tab's lock is free only once it is gone. */
  webLocks: boolean
  tabLock(id: string): string
  /** How long a claim lasts, and a tab without Web Locks may stay silent before it counts as gone. */
  claimMs: number
  /** When to look again at the outbox of a tab that still holds its lock. */
  lookAgainMs: number
  /** Takes a gone tab's events into this tab's outbox, written at once. */
  take(items: OutboxItem[]): void
  /**
   * The tab locks of the outboxes this tab took, each with how to let it go once its page wrote
   * again (adoptGone's own), or at once (`now`: this page is leaving).
   */
  held?: Map<string, (now?: boolean) => unknown>
}

/**
 * Moves the outboxes of tabs that are gone into this one, claims and messageIds intact (what a
 * dying page handed to a keepalive request is resent only once its claim lapses). Resolves with
 * when to look again (Infinity: no live tab's outbox to wait for).
 */
export async function adoptGone(a: Adoption): Promise<number> {
  const { platform, webLocks } = a
  const { storage } = platform
  const now = platform.now()
  let next = Infinity
  const held = (a.held ??= new Map())
  // A page gone for good never removes its note: past the queue's maximum age, nothing it kept is sent.
  for (const k of storage.keys(TAKEN)) if (!(+storage.get(k)! > now - QUEUE_MAX_AGE_MS)) storage.remove(k)
  for (const key of a.keys()) {
    const id = key.slice(key.lastIndexOf(':') + 1)
    const take = () => {
      const { items, alive } = readOutbox(storage, key)
      // Told to its page, should it live on (back from the cache, or a background tab without Web
      // Locks whose timers stood still): its outbox gone then is this taking, not storage the host
      // cleared (delivery.ts). A key of its own, written under the lock this tab holds for it, and
      // before the outbox goes: one note shared by every taking, rewritten by each and cut to its
      // latest ids, lost ids (two tabs writing it at once, 25 takings since), and that page sent
      // its queue again. Not at the outbox's key: listed with the outboxes, every page view
      // loaded the adoption chunk for it.
      storage.set(TAKEN + id, String(now))
      storage.remove(key)
      // Each event's performance.now() as this page's: the device's clock set back since it was
      // queued is then read here as the page that queued it read it (up to that page's last
      // write: performance.timeOrigin is the clock as each page started, so a clock set back
      // after that write, before this page started, is not seen). No such record: none.
      const at = platform.now() - platform.elapsed?.()!
      a.take(items.map((i) => ({ ...i, e: i.e! - at })))
      return alive
    }
    if (webLocks) {
      const letGo = held.get(key)
      // Taken, the owner's lock is kept until its page writes its outbox again, or this page
      // leaves (Back to the owner's page asks for it, and Chromium then evicts this one from the
      // back/forward cache; what a tab with a stale copy would send again the collector drops by
      // its messageIds): a tab still seeing a stale copy of the outbox then cannot adopt it
      // again. Written again since, its
      // page lives (Back restored it from the back/forward cache, which it entered without its
      // lock): kept, the lock would stay here until this page closes, and so would what that page
      // leaves when it goes for good. Not the copy taken showing up again (a remove that failed,
      // a host restoring a snapshot of localStorage): its `alive` is the one read, and let go, it
      // was taken and sent again at every look.
      const took = letGo
        ? letGo()
        : await new Promise<boolean>((resolve) => {
            platform.withLock!(a.tabLock(id), () => {
              const alive = take()
              resolve(true)
              return new Promise<void>((r) => held.set(key, (now?: boolean) => (now || readOutbox(storage, key).alive != alive) && (held.delete(key), r())))
            }).then(resolve, () => resolve(false))
          })
      if (!took) next = Math.min(next, now + a.lookAgainMs)
    } else {
      const silentUntil = readOutbox(storage, key).alive + a.claimMs
      if (silentUntil <= now) take()
      else next = Math.min(next, silentUntil)
    }
  }
  return next
}

/**
 * adoptGone under the cross-tab lock `name`, so two live tabs without Web Locks do not both take
 * the same outbox, then `then` (still under it; without it when every outbox is a live tab's).
 * Resolves null when another tab holds the lock.
 */
export async function adoptUnderLock(a: Adoption, name: string, then: () => Promise<void>): Promise<number | null> {
  const { platform } = a
  // Every outbox a live tab's (one sending, a page's delivery for another collector holding a
  // closed tab's queue): no lock, and the next look once the first could lapse. Looked at under
  // the lock every heartbeat (and after each write of theirs), a page beside them asked for two
  // locks, or wrote a lease, every 10 s for nothing while it stayed open.
  const live = await liveUntil(a, platform.now())
  if (live) return then().then(() => live)
  let next = Infinity
  const lock = platform.withLock ?? storageLease(platform.storage, a.tab, a.claimMs, platform.now)
  const took = await lock(name, async () => {
    next = await adoptGone(a)
    await then()
  })
  return took ? next : null
}

/** When the first of the other tabs' outboxes could be a gone tab's; 0: one may be now. */
async function liveUntil(a: Adoption, now: number): Promise<number> {
  const { platform } = a
  let until = Infinity
  // The tab locks held now (Web Locks' query(): no lock asked for); without it, each is asked for
  // and let go at once, which says the same at one request each.
  const names = a.webLocks ? await platform.heldLocks?.().catch(() => undefined) : []
  for (const key of a.keys()) {
    const id = a.tabLock(key.slice(key.lastIndexOf(':') + 1))
    // One this page took is let go (or not) by adoptGone.
    if (a.held?.has(key)) return 0
    const t = !a.webLocks
      ? readOutbox(platform.storage, key).alive + a.claimMs
      : (names ? names.includes(id) : !(await platform.withLock!(id, async () => {})))
        ? now + a.lookAgainMs
        : 0
    if (t <= now) return 0
    until = Math.min(until, t)
  }
  return until
}
