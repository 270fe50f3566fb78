import { isFree, type OutboxState } from './outbox'

// What only sending on a schedule does to an outbox (sender.ts, in the start chunk): apart from
// outbox.ts, whose module every page view loads.

/**
 * Gives back what `by` claimed, so it is sent again; a claim adopted from a dead tab is kept, and
 * so is a later claim (one lasting past `until`): a newer request, still under way, carries them.
 */
export function releaseItems(state: OutboxState, ids: Set<string>, by: string, until: number): OutboxState {
  return {
    ...state,
    items: state.items.map((i) => (ids.has(i.event.messageId) && i.claim?.by === by && i.claim.until <= until ? { event: i.event, queuedAt: i.queuedAt } : i)),
  }
}

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
