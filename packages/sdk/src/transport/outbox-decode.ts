import type { LingerEvent } from '../events'
import { fromJson } from '../json'
import type { KeyValueStorage } from '../platform'
import { EMPTY_OUTBOX, type OutboxItem, type OutboxState } from './outbox'

// Reading an outbox back is only for adopting another tab's (a tab's own starts empty with its
// page), so it loads with the adoption chunk, not with the runtime every page view pays.

const unpackTime = (v: unknown): unknown => (typeof v === 'number' ? new Date(v).toISOString() : (v ?? undefined))

/**
 * One item as this runtime needs it, whatever storage held: a queuedAt that is no time counts
 * as 0 (sent first), and a claim without a time is none. Kept, either made the sender's next
 * send time NaN: the tab that adopted it (and every page after it) sent nothing more, its timer
 * firing every few ms.
 */
const item = (event: LingerEvent, queued: unknown, claim: any): OutboxItem => ({ event, queuedAt: Number(queued) || 0, claim: claim?.until > 0 ? claim : undefined })

/**
 * Both the compact form and the plain one (earlier versions', and a page's own before its sender
 * loaded); rows that do not decode are skipped.
 */
export function decodeOutbox(text: string): OutboxState | null {
  const s = fromJson(text)
  if (!s || !Array.isArray(s.items)) return null
  const alive = Number(s.alive) || 0
  if (s.v !== 2) return { items: s.items.filter((i: OutboxItem) => typeof i?.event?.messageId === 'string').map((i: OutboxItem) => item(i.event, i.queuedAt, i.claim)), alive }
  const shared: unknown[] = Array.isArray(s.shared) ? s.shared : []
  const items: OutboxItem[] = []
  for (const row of s.items) {
    if (!Array.isArray(row) || typeof row[0] !== 'string') continue
    const [messageId, time, index, rest, queued, claim] = row
    const base = shared[index as number]
    const event = { ...(base && typeof base === 'object' ? base : {}), ...(rest && typeof rest === 'object' ? rest : {}), messageId, timestamp: unpackTime(time) } as LingerEvent
    // A string is the distance from the event's time (outbox-codec.ts); a number, the time itself.
    items.push(item(event, typeof queued === 'string' && typeof time === 'number' ? time + Number(queued) : queued, claim))
  }
  return { items, alive }
}

/** Unreadable storage counts as empty. */
export function readOutbox(storage: KeyValueStorage, key: string): OutboxState {
  try {
    return decodeOutbox(storage.get(key) ?? 'null') ?? EMPTY_OUTBOX
  } catch {
    return EMPTY_OUTBOX
  }
}
