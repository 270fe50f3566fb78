import { fromJson, toJson } from '../json'
import type { KeyValueStorage } from '../platform'

export const BASE_DELAY_MS = 1_000
export const MAX_DELAY_MS = 60_000
/** A bad or hostile Retry-After must not park a persisted outbox for days. */
export const MAX_RETRY_AFTER_MS = 3_600_000

/**
 * Exponential backoff with full jitter: the wait is uniform in [0, min(cap, base·2^(n-1))), so
 * tabs and pages that failed together do not come back together.
 */
export function backoffDelay(failures: number, random: () => number, baseMs = BASE_DELAY_MS, capMs = MAX_DELAY_MS): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1)))
}

/** Retry-After is either delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  const v = value?.trim()
  if (!v) return null
  const ms = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v) - now
  return Number.isNaN(ms) ? null : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms))
}

/** How long to wait before the next attempt: the server's word for 429/503, else backoff. */
export function retryDelay(failures: number, random: () => number, now: number, status: number | null, retryAfter: string | null): number {
  const told = status === 429 || status === 503 ? parseRetryAfter(retryAfter, now) : null
  return told ?? backoffDelay(failures, random)
}

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
