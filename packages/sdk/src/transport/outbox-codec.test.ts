import { describe, expect, it } from 'vitest'
import { envelope, type LingerEvent } from '../events'
import { createFakePlatform } from '../fake-platform'
import { encodeOutbox } from './outbox-codec'
import { decodeOutbox } from './outbox-decode'
import type { OutboxState } from './outbox'

const platform = createFakePlatform({ now: Date.parse('2026-03-02T10:00:00Z') })
platform.setPage({ url: 'https://app.example.com/projects/42?tab=board', path: '/projects/42', title: 'Project 42 · Acme Projects' })
const who = { anonymousId: 'a3c1f0de-5b7e-4c1a-9f2e-7d6b5a4c3b2a', userId: 'u_42' }
const track = (i: number): LingerEvent => envelope(platform, who, { type: 'track', event: 'Project Created', properties: { index: i, source: 'bench' } })

describe('the outbox as stored', () => {
  it('gives back the same events, times, claims and order', () => {
    const state: OutboxState = {
      alive: 1234,
      items: [
        { event: track(0), queuedAt: platform.now() },
        { event: track(1), queuedAt: platform.now() + 5, claim: { by: 'tab-1', until: platform.now() + 30_000 } },
        { event: envelope(platform, { anonymousId: 'other' }, { type: 'identify', traits: { plan: 'pro' } }, { time: 1_700_000_000_123 }), queuedAt: 7 },
        { event: { ...track(3), timestamp: 'not an ISO time' }, queuedAt: 8 },
      ],
    }
    expect(decodeOutbox(encodeOutbox(state))).toEqual(state)
  })

  it('still reads the plain form earlier versions wrote', () => {
    const state: OutboxState = { alive: 5, items: [{ event: track(0), queuedAt: 1 }] }
    expect(decodeOutbox(JSON.stringify(state))).toEqual(state)
  })

  it('skips rows it cannot read instead of losing the whole queue', () => {
    const good = JSON.parse(encodeOutbox({ alive: 1, items: [{ event: track(0), queuedAt: 1 }] }))
    good.items.push(null, [42], 'junk')
    expect(decodeOutbox(JSON.stringify(good))?.items.map((i) => i.event.messageId)).toEqual([good.items[0][0]])
  })

  it('a tab of an earlier release that adopts this outbox still finds every event, sent first', () => {
    const stored = JSON.parse(encodeOutbox({ alive: 1, items: [{ event: track(0), queuedAt: platform.now() + 40 }] }))
    // What the earlier release's reader did with a row: the queuedAt as a number.
    const [messageId, , , , queued] = stored.items[0]
    expect(messageId).toBe(decodeOutbox(JSON.stringify(stored))?.items[0].event.messageId)
    expect(Number(queued)).toBe(40)
    expect(decodeOutbox(JSON.stringify(stored))?.items[0].queuedAt).toBe(platform.now() + 40)
  })

  // 274 KB while each row carried its queuedAt in full (13 characters, the event's own time again).
  it('stores 1,000 events of a burst, one every 10 ms, in 260 KB of the host’s storage', () => {
    const items = Array.from({ length: 1000 }, (_, i) => {
      const event = envelope(platform, who, { type: 'track', event: 'Feature Used', properties: { index: i, source: 'bench' } }, { time: platform.now() + i * 10 })
      return { event, queuedAt: platform.now() + i * 10 }
    })
    expect(encodeOutbox({ alive: 1, items }).length * 2).toBeLessThanOrEqual(260 * 1024)
  })

  it('keeps 1,000 queued events within 300 KB of the host’s localStorage (UTF-16)', () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ event: track(i), queuedAt: platform.now() + i }))
    const bytes = encodeOutbox({ alive: 1, items }).length * 2
    expect(bytes).toBeLessThanOrEqual(300 * 1024)
    // What it was: every event in full.
    expect(JSON.stringify({ alive: 1, items }).length * 2).toBeGreaterThan(3 * bytes)
  })
})
