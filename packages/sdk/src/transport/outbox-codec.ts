import type { LingerEvent } from '../events'
import { toJson } from '../json'
import type { OutboxItem, OutboxState } from './outbox'
import { slot } from '../slot'

/**
 * The outbox as stored: compact, because localStorage's quota is the host's too. What events of
 * one page share (type, context, anonymousId, userId: most of an event's bytes) is stored once in
 * `shared`; each item is a row `[messageId, time, shared index, the rest of the event, queuedAt,
 * claim?, back?]` (a claim of 0 before a `back` where there is none), an ISO time as its
 * milliseconds (a number) when that round-trips exactly, and then queuedAt as its distance from
 * that time in a string ("0" for most: 3 characters, not 13). A string, so a tab of an earlier
 * release adopting this outbox reads a queuedAt of about 0 (its events are sent first), not rows
 * it cannot place. A row, but its `back`, is encoded once per item and reused by every later
 * write of the queue. Read back by
 * outbox-decode.ts, which only adoption needs. Written once the sender is here (it loads with the
 * start chunk); a page that goes away before writes the plain form, which decodes too.
 */
export interface StoredOutbox {
  v: 2
  alive: number
  shared: unknown[]
  items: unknown[][]
}

interface Encoded {
  shared: string
  head: string
  tail: string
}

// A claim makes a new item (a spread, which does not copy the slot), so a row never outlives its claim.
const rows = slot<OutboxItem, Encoded>()
// An event never changes once queued; a claim makes a new item around the same event, so the
// event's own text is kept per event and only the row's end is written again.
const texts = slot<LingerEvent, { shared: string; head: string; rest: string; time: unknown }>()

/** An ISO time as its milliseconds when that gives the same text back; else as it was (a string). */
function packTime(iso: unknown): unknown {
  if (typeof iso !== 'string') return null
  const ms = Date.parse(iso)
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? ms : iso
}

function encodeEvent(event: LingerEvent) {
  const { messageId, timestamp, type, context, anonymousId, userId, ...rest } = event
  const time = packTime(timestamp)
  return { shared: toJson({ type, context, anonymousId, userId }), head: `[${toJson(messageId)},${toJson(time)},`, rest: toJson(rest), time }
}

function encodeItem(item: OutboxItem): Encoded {
  let text = texts.get(item.event)
  if (!text) texts.set(item.event, (text = encodeEvent(item.event)))
  return {
    shared: text.shared,
    head: text.head,
    tail: `,${text.rest},${typeof text.time === 'number' ? `"${(Number(item.queuedAt) || 0) - text.time}"` : Number(item.queuedAt) || 0}${item.claim ? `,${toJson(item.claim)}` : ''}`,
  }
}

export function encodeOutbox(state: OutboxState): string {
  const table = new Map<string, number>()
  const out: string[] = []
  for (const item of state.items) {
    let enc = rows.get(item)
    if (!enc) rows.set(item, (enc = encodeItem(item)))
    let i = table.get(enc.shared)
    if (i === undefined) table.set(enc.shared, (i = table.size))
    // How far the device's clock was set back since the event was queued, as this page knows it
    // (not a row's to keep: the clock may be set back again before the next write). Only more
    // than a second (drift is not), as delivery reads it, in whole ms (~8 characters a row, not
    // 17), and never Infinity, which is no JSON.
    const back = Math.round(item.queuedAt - item.e! - state.at!)
    out.push(`${enc.head}${i}${enc.tail}${back > 1000 && isFinite(back) ? `${item.claim ? '' : ',0'},${back}` : ''}]`)
  }
  return `{"v":2,"alive":${Number(state.alive) || 0},"shared":[${[...table.keys()].join(',')}],"items":[${out.join(',')}]}`
}
