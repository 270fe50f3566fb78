import { webLocks } from './experiences/badges/test-host'
import { createFakePlatform, type FakePlatform } from './fake-platform'

/**
 * Tabs over localStorage as Chromium keeps it, for unit tests: each tab reads its own copy, and
 * another tab's write reaches that copy (with its storage event) only when `deliver()` runs. A tab
 * with a write of its own to a key still on the way takes no news of that key, as Chromium's copy
 * does. So two tabs can each write before the other's write reached them: the later one wins.
 */
export function laggingStorage(now: number) {
  const storage = new Map<string, string>()
  const queue: Array<{ from: FakePlatform; key: string; value: string | null }> = []
  const tabs: FakePlatform[] = []
  return {
    storage,
    /** A new tab, with a copy of storage as it is now. */
    tab(): FakePlatform {
      const platform = createFakePlatform({ now, seed: tabs.length + 1 })
      const { set, remove } = platform.storage
      platform.storage.set = (k, v) => (queue.push({ from: platform, key: k, value: v }), set(k, v))
      platform.storage.remove = (k) => (queue.push({ from: platform, key: k, value: null }), remove(k))
      for (const [k, v] of storage) platform.storageMap.set(k, v)
      tabs.push(platform)
      return platform
    },
    /**
     * The next `count` writes (all by default: also what tabs write meanwhile) reach storage and, in
     * order, the other tabs. `later`: the tabs' copies change now, their storage events are returned
     * to fire later (a task behind the one that reads the copy).
     */
    deliver(count = Infinity, later = false) {
      const events: Array<() => void> = []
      // Tabs that keep writing again on each other's news never settle: a failure, not a hang.
      let left = 1000
      for (let op; count-- > 0 && (op = queue.shift()); ) {
        if (!left--) throw new Error('tabs kept writing storage: 1000 writes without settling')
        const { from, key, value } = op
        if (value === null) storage.delete(key)
        else storage.set(key, value)
        for (const other of tabs) {
          if (other === from || queue.some((q) => q.from === other && q.key === key)) continue
          if (value === null) other.storageMap.delete(key)
          else other.storageMap.set(key, value)
          if (later) events.push(() => other.fireStorage(key))
          else other.fireStorage(key)
        }
      }
      return () => events.forEach((fire) => fire())
    },
  }
}

/**
 * Web Locks shared by a laggingStorage's tabs, granted as Chromium grants them: one holder at a
 * time, each in a task of its own, its copy of storage having what earlier holders wrote and its
 * storage events for those writes still to come (they fire after its turn).
 */
export function lockedTabs(lag: ReturnType<typeof laggingStorage>) {
  const locks = webLocks()
  const exclusive = (name: string, fn: () => void) =>
    locks.exclusive(name, () => {
      const storageEvents = lag.deliver(Infinity, true)
      fn()
      storageEvents()
    })
  return { requests: locks.requests, settled: locks.settled, tab: (): FakePlatform => Object.assign(lag.tab(), { exclusive }) }
}
