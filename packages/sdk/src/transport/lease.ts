import { fromJson, toJson } from '../json'
import type { KeyValueStorage } from '../platform'

/** Same shape as Platform.withLock: resolves false, without running `fn`, when another tab holds it. */
export type TryLock = (name: string, fn: () => Promise<void>) => Promise<boolean>

/**
 * A cross-tab lock for browsers without Web Locks: a lease in storage that lapses on its own,
 * so a tab that dies mid-send does not block the others for longer than `leaseMs`.
 */
export function storageLease(storage: KeyValueStorage, owner: string, leaseMs: number, now: () => number): TryLock {
  return async (name, fn) => {
    const key = `linger:lease:${name}`
    const held = storage.get(key)
    try {
      const lease = held ? (fromJson(held) as { by: string; until: number }) : null
      // One ending further off than a lease lasts was written by a clock since set back.
      if (lease && lease.by !== owner && lease.until > now() && lease.until <= now() + leaseMs) return false
    } catch {
      /* unreadable lease: take it over */
    }
    const mine = toJson({ by: owner, until: now() + leaseMs })
    // Read back to lose gracefully when another tab wrote in the same instant; a storage that
    // refuses writes cannot coordinate tabs at all, and then this tab just sends on its own.
    if (storage.set(key, mine) && storage.get(key) !== mine) return false
    try {
      await fn()
    } finally {
      if (storage.get(key) === mine) storage.remove(key)
    }
    return true
  }
}
