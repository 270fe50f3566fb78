import type { LingerEvent } from '../events'
import { fromJson } from '../json'
import type { KeyValueStorage } from '../platform'
import { EMPTY_OUTBOX, type OutboxItem, type OutboxState } from './outbox'

// Reading an outbox back is only for adopting another tab's (a tab's own starts empty with its
// page), so it loads with the adoption chunk, not with the runtime every page view pays.

const unpackTime = (v: unknown): unknown => (typeof v === 'number' ? new Date(v).toISOString() : (v ?? undefined))

/**
 * One item as this runtime needs it, whatever storage held: a queuedAt that is no time counts
 * as 0 (sent first; Infinity too, which this tab's outbox then wrote as no JSON), and a claim
 * without a time is none. Kept, either made the sender's next
 * send time NaN: the tab that adopted it (and every page after it) sent nothing more, its timer
 * firing every few ms.
 */
const item = (event: LingerEvent, queued: unknown, claim: any, e: number, q = isFinite(queued as number) ? Number(queued) : 0): OutboxItem => ({
  event,
  queuedAt: q,
  claim: claim?.until > 0 ? claim : undefined,
  // A clock set back by more than 30 years is no record of one (a damaged row: 1e300, or 1e309,
  // which JSON reads as Infinity): kept, its sentAt was no date (each send of its batch threw)
  // and this tab's outbox written with it no JSON (the whole queue lost as the tab closed).
  e: (q - e) ** 2 < 1e24 ? e : undefined,
})
// Absent (an earlier release's, a platform without performance.now()) is no number, not 0.
const num = (v: unknown) => (typeof v == 'number' ? v : NaN)

/**
 * Both the compact form and the plain one (earlier versions', and a page's own before its sender
 * loaded); rows that do not decode are skipped.
 */
export function decodeOutbox(text: string): OutboxState | null {
  const s = fromJson(text)
  if (!s || !Array.isArray(s.items)) return null
  const alive = Number(s.alive) || 0
  // Each item's `e` as read with a clock that stood at 0 at the writer's time origin: the event was
  // queued on a clock `queuedAt - e` ahead of the writer's as it last wrote.
  if (s.v !== 2) return { items: s.items.filter((i: OutboxItem) => typeof i?.event?.messageId === 'string').map((i: OutboxItem) => item(i.event, i.queuedAt, i.claim, num(i.e) + num(s.at))), alive }
  const shared: unknown[] = Array.isArray(s.shared) ? s.shared : []
  const items: OutboxItem[] = []
  for (const row of s.items) {
    if (!Array.isArray(row) || typeof row[0] !== 'string') continue
    const [messageId, time, index, rest, queued, claim, back] = row
    const base = shared[index as number]
    const event = { ...(base && typeof base === 'object' ? base : {}), ...(rest && typeof rest === 'object' ? rest : {}), messageId, timestamp: unpackTime(time) } as LingerEvent
    // A string is the distance from the event's time (outbox-codec.ts); a number, the time itself.
    const q = typeof queued === 'string' && typeof time === 'number' ? time + Number(queued) : queued
    items.push(item(event, q, claim, Number(q) - num(back)))
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
