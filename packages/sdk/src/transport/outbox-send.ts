import { isFree, type OutboxState } from './outbox'

// What only sending on a schedule reads of an outbox (sender.ts, in the start chunk): apart from
// outbox.ts, whose module every page view loads.

/**
 * When the outbox next needs attention: at once when a full batch is free, when the oldest free
 * event has waited `waitMs`, or when a claim lapses; never before the backoff ends (`retryAt`).
 */
export function dueAt(state: OutboxState, now: number, batchSize: number, waitMs: number, retryAt: number): number | null {
  let due = Infinity
  let free = 0
  for (const item of state.items) {
    if (isFree(item, now)) {
      free++
      // Queued "in the future" means the clock was set back since: it has waited long enough.
      due = Math.min(due, item.queuedAt > now ? now : item.queuedAt + waitMs)
    } else due = Math.min(due, item.claim!.until)
  }
  if (free >= batchSize) due = now
  return due === Infinity ? null : Math.max(due, retryAt)
}
