import { describe, expect, it } from 'vitest'
import { envelope, type LingerError, type LingerEvent } from '../events'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import { createDelivery, type DeliveryOptions } from './delivery'
import { WRITE_DELAY_MS } from './outbox'
import * as sending from './sender'
import './adopt'

const ENDPOINT = 'https://collect.example.com'
const KEY = 'pk_test'
const START = Date.parse('2026-03-02T10:00:00Z')

function setup(overrides: Partial<DeliveryOptions> & { platform?: FakePlatform } = {}) {
  const p = overrides.platform ?? createFakePlatform()
  const errors: LingerError[] = []
  const d = createDelivery({
    sender: async () => sending,
    endpoint: ENDPOINT,
    writeKey: KEY,
    onError: (e) => errors.push(e),
    onDrop: () => {},
    ...overrides,
    platform: p,
  })
  const track = (n = 1, properties: Record<string, unknown> = {}): LingerEvent[] =>
    Array.from({ length: n }, (_, i) => {
      const e = envelope(p, { anonymousId: 'anon-1' }, { type: 'track', event: 'Project Created', properties: { i, ...properties } })
      d.enqueue(e)
      return e
    })
  return { p, d, errors, track }
}
const idsIn = (reqs: Array<{ body: any }>) => reqs.flatMap((r) => r.body.batch.map((e: LingerEvent) => e.messageId))

describe('delivery that recovers from a hostile server, a destroyed client and a full storage', () => {
  it('a 503 whose Retry-After date is already past on a fast client clock backs off, not a request per answer', async () => {
    const { p, track } = setup()
    // The server's clock is 2 minutes behind the browser's: "retry in 30 s" is a date in the past here.
    p.respond = () =>
      new Promise((r) => p.setTimeout(() => r({ status: 503, headers: { 'Retry-After': new Date(p.now() - 120_000 + 30_000).toUTCString() } }), 100))
    track(1)
    await p.advance(2000 + 60_000)
    // With exponential backoff (1 s, 2 s, 4 s … capped at 60 s) a minute holds well under 20 requests.
    expect(p.requests.length).toBeLessThan(20)
  })

  it('a 429 with Retry-After: 0 backs off, not a request per answer', async () => {
    const { p, track } = setup()
    p.respond = () => new Promise((r) => p.setTimeout(() => r({ status: 429, headers: { 'Retry-After': '0' } }), 100))
    track(1)
    await p.advance(2000 + 60_000)
    expect(p.requests.length).toBeLessThan(20)
  })

  it('a client destroyed while its page lives on leaves its queue to the next client or another tab (Web Locks)', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const page = createFakePlatform({ shared, clock })
    const first = setup({ platform: page })
    const events = first.track(2)
    first.d.stop()
    // The host makes a new client on the same page (a re-init after logout), and another tab is open.
    const second = setup({ platform: page })
    const other = setup({ platform: createFakePlatform({ shared, clock, seed: 9 }) })
    for (let t = 0; t < 120_000; t += 500) {
      await page.advance(500)
      await other.p.advance(0)
    }
    const sent = idsIn([...page.requests, ...other.p.requests])
    expect(sent).toEqual(events.map((e) => e.messageId))
    void second
  })

  it('a tab that once met a full storage and adopts a closed tab’s outbox keeps it in storage, so a crash loses nothing', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    // Tab B: storage refuses one write (the host filled it for a moment), then works again.
    const b = setup({ platform: createFakePlatform({ shared, clock, seed: 2 }) })
    b.p.respond = () => 'network-error'
    b.p.failStorage = true
    b.track(1)
    await b.p.advance(WRITE_DELAY_MS)
    b.p.failStorage = false
    // Tab A queues events offline and closes: its outbox is in storage.
    const a = setup({ platform: createFakePlatform({ shared, clock, seed: 1 }) })
    a.p.respond = () => 'network-error'
    const gone = a.track(3)
    await a.p.advance(WRITE_DELAY_MS)
    a.p.close()
    // B adopts A's outbox (still offline), then B is closed too (or crashes).
    for (let t = 0; t < 15_000; t += 500) await b.p.advance(500)
    b.p.close()
    // Tab C opens online: A's events must still be somewhere it can find them.
    const c = setup({ platform: createFakePlatform({ shared, clock, seed: 3 }) })
    await c.p.advance(60_000)
    expect(idsIn(c.p.requests)).toEqual(expect.arrayContaining(gone.map((e) => e.messageId)))
  })

  it('after one refused write, later events reach storage again once it has room', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const b = setup({ platform: createFakePlatform({ shared, clock, seed: 2 }) })
    b.p.respond = () => 'network-error'
    b.p.failStorage = true
    b.track(1)
    await b.p.advance(WRITE_DELAY_MS)
    b.p.failStorage = false
    const later = b.track(5)
    await b.p.advance(60_000)
    b.p.close() // a crash: no pagehide
    const c = setup({ platform: createFakePlatform({ shared, clock, seed: 3 }) })
    await c.p.advance(60_000)
    expect(idsIn(c.p.requests)).toEqual(expect.arrayContaining(later.map((e) => e.messageId)))
  })
})
