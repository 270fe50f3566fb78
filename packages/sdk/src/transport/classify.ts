import type { LingerError } from '../events'

/** What to do with a batch after the collector answered (or did not). */
export type Outcome = 'ok' | 'retry' | 'drop'

/**
 * `null` is a network error or timeout. Only a 4xx that is not about timing (408) or rate (429)
 * says "this batch will never be accepted", so only that drops events; anything unexpected
 * (an opaque 0, a stray 3xx) is retried rather than lost.
 */
export function classify(status: number | null): Outcome {
  // null compares as 0: neither.
  if (status! >= 200 && status! < 300) return 'ok'
  if (status! >= 400 && status! < 500 && status != 408 && status != 429) return 'drop'
  return 'retry'
}

/** What a vendor hears of a batch the collector refused for good. */
export const rejection = (count: number, status: number | null): LingerError => ({
  code: 'rejected',
  message: `the collector rejected ${count} event(s) with HTTP ${status}`,
  details: { status, count },
})

/**
 * Larger answers are not read (nor one of unknown size): the reference collector's, every event
 * of a full batch refused, is far smaller.
 */
export const ANSWER_MAX_BYTES = 65_536
