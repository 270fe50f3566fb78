import { fromJson, toJson } from '../json'
import type { KeyValueStorage } from '../platform'

// Apart from the wait's computation (backoff.ts): every page view reads the shared wait before
// it hands events over on its way out; only sending on a schedule computes one.

export interface BackoffState {
  failures: number
  retryAt: number
}

export interface SharedBackoff {
  read(): BackoffState
  write(state: BackoffState): void
}

/**
 * Kept apart from the outboxes, so a 429's wait or a failing collector holds back every tab and
 * survives a reload. Only a count and a time: the last writer winning is fine.
 */
export function sharedBackoff(storage: KeyValueStorage, writeKey: string): SharedBackoff {
  const key = `linger:backoff:${writeKey}`
  const none: BackoffState = { failures: 0, retryAt: 0 }
  // Where storage refuses writes, this page keeps its own.
  let local: BackoffState | null = null
  return {
    read() {
      try {
        const s = fromJson(storage.get(key) ?? 'null')
        if (s) return { failures: Number(s.failures) || 0, retryAt: Number(s.retryAt) || 0 }
      } catch {
        /* unreadable: as if absent */
      }
      return local ?? none
    },
    write(state) {
      local = null
      if (!state.failures && !state.retryAt) storage.remove(key)
      else if (!storage.set(key, toJson(state))) local = state
    },
  }
}
