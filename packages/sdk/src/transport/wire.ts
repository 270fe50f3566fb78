import { toJson } from '../json'
import type { LingerEvent } from '../events'

/**
 * The Segment-compatible batch endpoint (docs/architecture.md, "Events on the wire"): `/v1/batch`
 * after the endpoint's path, before its query (a tenant's `?tenant=a` stays the query, not
 * `tenant=a/v1/batch`), and not twice for an endpoint given as that URL already.
 */
export const batchUrl = (endpoint: string): string => collectorUrl(endpoint, '/v1/batch')

/**
 * The collector's URL for `path` (`/v1/batch`, `/v1/state`, `/v1/leaderboard`), as batchUrl
 * places it, in the one spelling the URL parser gives: `HTTPS://Collect.Example.com:443/` and
 * the page's own origin are one collector, and find the queue kept for it. Without the fragment
 * (never sent): a query may follow.
 */
export function collectorUrl(endpoint: string, path: string): string {
  const to = endpoint.replace(/(\/v1\/batch)?\/*(?=[?#]|$)/, path)
  try {
    const u = new URL(to)
    u.hash = ''
    return u.href
  } catch {
    return to
  }
}

/** `jsonOf`: an event's JSON when the caller has it already (the same text toJson gives). */
export function batchBody(batch: LingerEvent[], writeKey: string, now: number, jsonOf: (event: LingerEvent) => string = toJson): string {
  // The text JSON.stringify gives for { batch, sentAt, writeKey }, without serialising each event again.
  return `{"batch":[${batch.map(jsonOf).join(',')}],"sentAt":${toJson(new Date(now).toISOString())},"writeKey":${toJson(writeKey)}}`
}

export function batchHeaders(writeKey: string): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  try {
    headers.Authorization = `Basic ${btoa(`${writeKey}:`)}`
  } catch {
    // btoa refuses non-Latin-1 keys; the key also travels in the body, which collectors accept.
  }
  return headers
}

const WIDE = /[^\0-\x7f]/

/**
 * UTF-8 size of a string: browser quotas (keepalive, beacon) count bytes, not characters.
 * Counted, not encoded: an encoding per event made an ArrayBuffer each, and sweeping thousands
 * of them was most of a scavenge during a burst of track() calls.
 */
export function byteLength(s: string): number {
  // Most events are ASCII throughout: the regex engine finds the first wide character (or none)
  // in a third of the time this loop takes to walk an event's JSON; the loop counts from there.
  const at = s.search(WIDE)
  if (at < 0) return s.length
  let n = at
  for (let i = at; i < s.length; i++) {
    const c = s.charCodeAt(i)
    // A surrogate pair is four bytes for its two units; a lone surrogate is sent as U+FFFD (three).
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? (i++, 4) : 3
  }
  return n
}

/**
 * How many events from the front make one body within `maxCount` and `maxBytes`, given each
 * event's JSON size; `fixed` is the body without events. Returns the count and the body's size.
 */
export function fitBatch(sizes: number[], maxCount: number, maxBytes: number, fixed: number): { count: number; bytes: number } {
  let bytes = fixed
  let count = 0
  for (const size of sizes) {
    const next = bytes + size + (count ? 1 : 0)
    if (count >= maxCount || next > maxBytes) break
    bytes = next
    count++
  }
  return { count, bytes }
}
