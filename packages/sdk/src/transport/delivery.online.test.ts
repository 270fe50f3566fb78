import { describe, expect, it } from 'vitest'
import { envelope, type LingerEvent } from '../events'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import { createDelivery } from './delivery'
import * as sending from './sender'

const ENDPOINT = 'https://collect.example.com'
const KEY = 'pk_test'
const START = Date.parse('2026-03-02T10:00:00Z')
// The wait shared by the tabs sending to this collector.
const BACKOFF = `linger:backoff:${KEY}:@${encodeURIComponent(`${ENDPOINT}/v1/batch`)}`

/** A fake tab whose browser says when the network is back (the `online` event). */
function tab(opts: { shared?: Map<string, string>; clock?: { now: number }; seed?: number } = {}) {
  const p: FakePlatform = createFakePlatform(opts)
  const heard = new Set<() => void>()
  p.onOnline = (fn) => (heard.add(fn), () => void heard.delete(fn))
  const d = createDelivery({ sender: async () => sending, platform: p, endpoint: ENDPOINT, writeKey: KEY, onError: () => {} })
  const track = (n = 1): LingerEvent[] =>
    Array.from({ length: n }, (_, i) => {
      const e = envelope(p, { anonymousId: 'anon-1' }, { type: 'track', event: 'Project Created', properties: { i } })
      d.enqueue(e)
      return e
    })
  return { p, d, track, online: () => heard.forEach((fn) => fn()), listening: () => heard.size }
}

/** Offline long enough that the wait between tries reached its ceiling (a minute, jitter pinned near it). */
async function afterLongOutage(t: ReturnType<typeof tab>) {
  t.p.random = () => 0.99
  t.p.respond = () => 'network-error'
  await t.p.advance(10 * 60_000)
  const tries = t.p.requests.length
  // Right after a failed try: the next one is almost a minute away.
  while (t.p.requests.length === tries) await t.p.advance(100)
  t.p.respond = () => ({ status: 200 })
  return t.p.requests.length
}

describe('back online after an outage', () => {
  it('the events queued during it leave as soon as the browser says the network is back, not up to a minute later', async () => {
    const t = tab()
    const events = t.track(3)
    const tries = await afterLongOutage(t)
    t.online()
    await t.p.advance(0)
    expect(t.p.requests).toHaveLength(tries + 1)
    expect(t.p.requests.at(-1)!.body.batch.map((e: LingerEvent) => e.messageId)).toEqual(events.map((e) => e.messageId))
    expect(t.d.pending()).toBe(0)
  })

  it('every open tab sends its own queue at once, though only one of them lifted the shared wait', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const a = tab({ shared, clock, seed: 1 })
    const b = tab({ shared, clock, seed: 2 })
    a.track(1)
    b.track(1)
    a.p.random = b.p.random = () => 0.99
    a.p.respond = b.p.respond = () => 'network-error'
    // One clock: the first tab moves it, the other runs what fell due.
    const run = async (ms: number) => (await a.p.advance(ms), await b.p.advance(0))
    for (let t = 0; t < 10 * 60_000; t += 500) await run(500)
    const tries = a.p.requests.length + b.p.requests.length
    while (a.p.requests.length + b.p.requests.length === tries) await run(100)
    await run(0)
    expect(JSON.parse(a.p.storageMap.get(BACKOFF)!).retryAt - a.p.now()).toBeGreaterThan(50_000)
    a.p.respond = b.p.respond = () => ({ status: 200 })
    const before = [a.p.requests.length, b.p.requests.length]
    a.online()
    await a.p.advance(0)
    b.online()
    await b.p.advance(0)
    expect([a.p.requests.length - before[0], b.p.requests.length - before[1]]).toEqual([1, 1])
    expect([a.d.pending(), b.d.pending()]).toEqual([0, 0])
  })

  it('a wait the collector asked for (429 with Retry-After) still holds', async () => {
    const t = tab()
    t.p.respond = () => ({ status: 429, headers: { 'Retry-After': '30' } })
    t.track(1)
    await t.p.advance(2000)
    expect(t.p.requests).toHaveLength(1)
    t.p.respond = () => ({ status: 200 })
    t.online()
    await t.p.advance(29_999)
    expect(t.p.requests).toHaveLength(1)
    await t.p.advance(1)
    expect(t.p.requests).toHaveLength(2)
    expect(t.d.pending()).toBe(0)
  })

  it('an outage that ends with a 429 keeps the collector’s wait, though the network failed first', async () => {
    const t = tab()
    t.p.random = () => 0.5
    t.p.respond = () => 'network-error'
    t.track(1)
    await t.p.advance(2000)
    t.p.respond = () => ({ status: 429, headers: { 'Retry-After': '120' } })
    await t.p.advance(1000)
    expect(t.p.requests).toHaveLength(2)
    t.p.respond = () => ({ status: 200 })
    t.online()
    await t.p.advance(119_000)
    expect(t.p.requests).toHaveLength(2)
    await t.p.advance(1000)
    expect(t.p.requests).toHaveLength(3)
  })

  it('a client stopped (a component unmounted) stops listening', async () => {
    const t = tab()
    await t.p.advance(0)
    expect(t.listening()).toBe(1)
    t.d.stop()
    expect(t.listening()).toBe(0)
  })
})
