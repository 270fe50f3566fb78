export const BASE_DELAY_MS = 1_000
export const MAX_DELAY_MS = 60_000
/** A bad or hostile Retry-After must not park a persisted outbox for days. */
export const MAX_RETRY_AFTER_MS = 3_600_000

/**
 * Exponential backoff with full jitter: the wait is uniform in [0, min(cap, base·2^(n-1))), so
 * tabs and pages that failed together do not come back together.
 */
export function backoffDelay(failures: number, random: () => number): number {
  return Math.floor(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, failures - 1)))
}

/** Retry-After is either delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  const v = value?.trim()
  if (!v) return null
  const ms = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v) - now
  return Number.isNaN(ms) ? null : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms))
}

/** The server's word on how long to wait: a 429's or 503's readable Retry-After, else null. */
export const toldDelay = (status: number | null, retryAfter: string | null, now: number): number | null =>
  status === 429 || status === 503 ? parseRetryAfter(retryAfter, now) : null

/**
 * How long to wait before the next attempt: the server's word for 429/503 when it asks for
 * longer than backoff would wait. A `Retry-After: 0`, or a date already past on a clock that
 * runs ahead of the server's, must not make every answer a signal to post again at once.
 */
export function retryDelay(failures: number, random: () => number, now: number, status: number | null, retryAfter: string | null): number {
  return Math.max(toldDelay(status, retryAfter, now) ?? 0, backoffDelay(failures, random))
}
