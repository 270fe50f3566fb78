import type { Platform } from '../platform'
import { storageLease } from './lease'
import type { OutboxItem } from './outbox'
import { readOutbox } from './outbox-decode'

// Adopting the outbox of a tab that is gone is the rarer path (a tab closed, crashed or navigated
// away with events unsent), so it is a chunk of its own: the sender (in the start chunk every page
// view loads) only lists the outbox keys in storage, and loads this once another tab's is there
// (gone, or still open with events queued).

/** What adopting needs of the delivery that runs it. */
export interface Adoption {
  platform: Platform
  /** The outbox keys of other tabs, live or gone, as storage holds them now. */
  keys(): string[]
  prefix: string
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
  for (const key of a.keys()) {
    const take = () => {
      const { items } = readOutbox(storage, key)
      storage.remove(key)
      a.take(items)
    }
    if (webLocks) {
      // Taken, the owner's lock is kept for the rest of this page's life: a tab still seeing a
      // stale copy of the outbox then cannot adopt it again.
      const took = await new Promise<boolean>((resolve) => {
        platform.withLock!(a.tabLock(key.slice(a.prefix.length)), () => {
          take()
          resolve(true)
          return new Promise(() => {})
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
 * the same outbox, then `then` (still under it). Resolves null when another tab holds the lock.
 */
export async function adoptUnderLock(a: Adoption, name: string, then: () => Promise<void>): Promise<number | null> {
  const { platform } = a
  let next = Infinity
  const lock = platform.withLock ?? storageLease(platform.storage, a.tab, a.claimMs, platform.now)
  const took = await lock(name, async () => {
    next = await adoptGone(a)
    await then()
  })
  return took ? next : null
}
