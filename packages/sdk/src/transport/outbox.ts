import type { LingerEvent } from '../events'
import type { KeyValueStorage } from '../platform'

/** A tab that has handed the item to the network owns it until `until`; then anyone may resend. */
export interface Claim {
  by: string
  until: number
}

export interface OutboxItem {
  event: LingerEvent
  queuedAt: number
  claim?: Claim
}

/**
 * The queue every tab of the origin shares. The backoff lives here too, so a 429's wait or a
 * failing collector holds back every tab, and survives a reload.
 */
export interface OutboxState {
  items: OutboxItem[]
  failures: number
  retryAt: number
}

export const EMPTY_OUTBOX: OutboxState = { items: [], failures: 0, retryAt: 0 }

export function outboxKey(writeKey: string): string {
  return `linger:outbox:${writeKey}`
}

export function isFree(item: OutboxItem, now: number): boolean {
  return !item.claim || item.claim.until <= now
}

/** Appends one event; beyond `max`, the oldest go first (recent behaviour matters most). */
export function append(state: OutboxState, item: OutboxItem, max: number): { state: OutboxState; dropped: number } {
  const items = [...state.items, item]
  const dropped = Math.max(0, items.length - Math.max(1, max))
  return { state: { ...state, items: items.slice(dropped) }, dropped }
}

export function claimItems(state: OutboxState, ids: Set<string>, claim: Claim): OutboxState {
  return { ...state, items: state.items.map((i) => (ids.has(i.event.messageId) ? { ...i, claim } : i)) }
}

/** Gives back what `by` claimed, so it is sent again; another tab's newer claim is left alone. */
export function releaseItems(state: OutboxState, ids: Set<string>, by: string): OutboxState {
  return {
    ...state,
    items: state.items.map((i) => (ids.has(i.event.messageId) && i.claim?.by === by ? { event: i.event, queuedAt: i.queuedAt } : i)),
  }
}

export function removeItems(state: OutboxState, ids: Set<string>): OutboxState {
  return { ...state, items: state.items.filter((i) => !ids.has(i.event.messageId)) }
}

/**
 * When the outbox next needs attention: at once when a full batch is free, when the oldest free
 * event has waited `waitMs`, or when someone's claim lapses; never before the backoff ends.
 */
export function dueAt(state: OutboxState, now: number, batchSize: number, waitMs: number): number | null {
  let due = Infinity
  let free = 0
  for (const item of state.items) {
    if (isFree(item, now)) {
      free++
      due = Math.min(due, item.queuedAt + waitMs)
    } else due = Math.min(due, item.claim!.until)
  }
  if (free >= batchSize) due = now
  return due === Infinity ? null : Math.max(due, state.retryAt)
}

function parse(raw: string | null): OutboxState {
  try {
    const s = raw ? JSON.parse(raw) : null
    if (!s || !Array.isArray(s.items)) return EMPTY_OUTBOX
    return {
      items: s.items.filter((i: OutboxItem) => typeof i?.event?.messageId === 'string'),
      failures: Number(s.failures) || 0,
      retryAt: Number(s.retryAt) || 0,
    }
  } catch {
    return EMPTY_OUTBOX
  }
}

export interface Outbox {
  read(): OutboxState
  /** Re-reads storage (another tab may have written since), applies `fn`, writes through. */
  update(fn: (state: OutboxState) => OutboxState): OutboxState
  clear(): void
  /** False once storage refused a write: the queue then lives in this page's memory only. */
  persisted(): boolean
}

export function createOutbox(storage: KeyValueStorage, key: string): Outbox {
  let memory = EMPTY_OUTBOX
  let inMemory = false
  const read = () => (inMemory ? memory : parse(storage.get(key)))
  return {
    read,
    update(fn) {
      const current = read()
      const next = fn(current)
      if (next === current) return current
      memory = next
      if (!inMemory) {
        if (!next.items.length && !next.retryAt) storage.remove(key)
        // Sticky on purpose: writing again after a gap would overwrite what other tabs stored
        // meanwhile, and re-reading would resurrect what this page already delivered.
        else inMemory = !storage.set(key, JSON.stringify(next))
      }
      return next
    },
    clear() {
      memory = EMPTY_OUTBOX
      storage.remove(key)
    },
    persisted: () => !inMemory,
  }
}
