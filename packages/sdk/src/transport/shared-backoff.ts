import { fromJson, toJson } from '../json'
import type { KeyValueStorage } from '../platform'
import { MAX_RETRY_AFTER_MS } from './backoff'

// Apart from the wait's computation (backoff.ts): every page view reads the shared wait before
// it hands events over on its way out; only sending on a schedule computes one.

export interface BackoffState {
  failures: number
  retryAt: number
  /**
   * The status of the answer that set the wait; null when none came (offline, a timeout): only
   * that wait is lifted when the browser says it is back online, never the collector's own word
   * (a 429's or 503's Retry-After). Absent: set by a Retry-After beside a failure, or by an
   * earlier release.
   */
  status?: number | null
  /**
   * In this run of failures (a success ends it), how long failed tries that showed the collector
   * is not taking events, holding one a week old, went on: the time between two such tries at most
   * 10 min apart, added up (delivery.ts). 0 or absent: none yet.
   */
  aged?: number
  /** When the last of those tries failed. 0 or absent: none yet. */
  agedAt?: number
}

export interface SharedBackoff {
  read(): BackoffState
  write(state: BackoffState): void
}

/**
 * Kept apart from the outboxes, so a 429's wait or a failing collector holds back every tab and
 * survives a reload. Only a count and a time: the last writer winning is fine.
 */
export function sharedBackoff(storage: KeyValueStorage, writeKey: string, now: () => number, was?: string): SharedBackoff {
  const key = `linger:backoff:${writeKey}`
  // The wait an earlier release kept per write key alone (`was`), a 429's Retry-After with it:
  // taken over as this collector's, not ignored by the page that replaced it, and not left behind.
  const old = was && `linger:backoff:${was}`
  const left = old && storage.get(key) == null && storage.get(old)
  if (left) storage.set(key, left)
  if (old) storage.remove(old)
  const none: BackoffState = { failures: 0, retryAt: 0 }
  // Where storage refuses writes, this page keeps its own.
  let local: unknown = null
  function write(state: BackoffState) {
    const s = { ...state, at: now() }
    local = null
    if (!state.failures && !state.retryAt) storage.remove(key)
    else if (!storage.set(key, toJson(s))) local = s
  }
  return {
    read() {
      try {
        let s = fromJson(storage.get(key) ?? 'null') ?? local
        // The clock was set back since the wait was written (at `at`): the wait is moved back as
        // far, and written again from now, instead of holding every tab's sending back until the
        // clock catches up.
        const back = s?.at - now()
        if (back > 0) write((s = { ...s, retryAt: s.retryAt - back }))
        const retryAt = Number(s?.retryAt) || 0
        // Longer than any the collector may ask for: set by a clock since set back (and written
        // without `at`, by an earlier release).
        if (s && retryAt <= now() + MAX_RETRY_AFTER_MS) return { failures: Number(s.failures) || 0, retryAt, status: s.status, aged: Number(s.aged) || undefined, agedAt: Number(s.agedAt) || undefined }
      } catch {
        /* unreadable: as if absent */
      }
      return none
    },
    write,
  }
}
