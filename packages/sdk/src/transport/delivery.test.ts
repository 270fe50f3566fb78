import { describe, expect, it } from 'vitest'
import { envelope, type LingerError, type LingerEvent } from '../events'
import { createFakePlatform, type FakeAnswer, type FakePlatform } from '../fake-platform'
import { AGED_FOR_MS, createDelivery, HEARTBEAT_MS, KEEPALIVE_QUOTA, REQUEST_TIMEOUT_MS, type DeliveryOptions } from './delivery'
import { CLAIM_MS } from './outbox'
import { WRITE_DELAY_MS } from './outbox'
import { readOutbox } from './outbox-decode'
import * as sending from './sender'
import { ADOPT_AFTER_START_MS } from './sender'
// The adoption chunk, evaluated up front as a page that needs it would have it: delivery's import()
// of it then settles within the fake clock's turns, not after a file read of the test runner's.
import './adopt'
// So is what reports the events a collector's 2xx refused (loaded only for such an answer).
import './refusals'

const ENDPOINT = 'https://collect.example.com'
const KEY = 'pk_test'
const START = Date.parse('2026-03-02T10:00:00Z')
// The wait shared by the tabs sending to this collector.
const BACKOFF = `linger:backoff:${KEY}:@${encodeURIComponent(`${ENDPOINT}/v1/batch`)}`

function setup(overrides: Partial<DeliveryOptions> & { platform?: FakePlatform } = {}) {
  const p = overrides.platform ?? createFakePlatform()
  const errors: LingerError[] = []
  const drops: Array<[number, string]> = []
  const d = createDelivery({
    sender: async () => sending,
    endpoint: ENDPOINT,
    writeKey: KEY,
    // Drops apart: what a test of errors asserts is the rest.
    onError: (e) => (e.code === 'dropped' ? drops.push([(e.details as { count: number }).count, (e.details as { reason: string }).reason]) : errors.push(e)),
    ...overrides,
    platform: p,
  })
  const track = (n = 1, properties: Record<string, unknown> = {}): LingerEvent[] =>
    Array.from({ length: n }, (_, i) => {
      const e = envelope(p, { anonymousId: 'anon-1' }, { type: 'track', event: 'Project Created', properties: { i, ...properties } })
      d.enqueue(e)
      return e
    })
  return { p, d, errors, drops, track }
}

/** sender.ts still on its way until `arrive()` (or never, after `fail()`): a slow start chunk. */
function lateSender() {
  let arrive!: () => void
  let fail!: (e: Error) => void
  const loading = new Promise<typeof sending>((resolve, reject) => ((arrive = () => resolve(sending)), (fail = reject)))
  return { sender: () => loading, arrive: () => arrive(), fail: (e: Error) => fail(e) }
}

const idsIn = (reqs: Array<{ body: any }>) => reqs.flatMap((r) => r.body.batch.map((e: LingerEvent) => e.messageId))
const idsOf = (events: LingerEvent[]) => events.map((e) => e.messageId)
const bytes = (s: string) => Buffer.byteLength(s, 'utf8')
const outboxKeys = (storage: Map<string, string>) => [...storage.keys()].filter((k) => k.startsWith('linger:outbox:'))

/** Answers each request in turn from `answers`, then with the last one. */
function answers(...list: FakeAnswer[]) {
  let n = 0
  return () => list[Math.min(n++, list.length - 1)]
}

/** A request the test resolves by hand: the network is still busy with it. */
function held(p: FakePlatform) {
  const waiting: Array<(a: FakeAnswer) => void> = []
  p.respond = () => new Promise<FakeAnswer>((r) => waiting.push(r))
  return waiting
}

describe('batching', () => {
  it('sends what was tracked together, 2 s after the first event was queued', async () => {
    const { p, track } = setup()
    const first = track(1)
    await p.advance(1500)
    const later = track(2)
    await p.advance(499)
    expect(p.requests).toHaveLength(0)
    await p.advance(1)
    expect(p.requests).toHaveLength(1)
    expect(idsIn(p.requests)).toEqual(idsOf([...first, ...later]))
  })

  it('sends a full batch at once, and the next event waits for its own 2 s', async () => {
    const { p, track } = setup({ batchSize: 10 })
    const full = track(10)
    await p.advance(0)
    expect(idsIn(p.requests)).toEqual(idsOf(full))
    const next = track(1)
    await p.advance(1999)
    expect(p.requests).toHaveLength(1)
    await p.advance(1)
    expect(idsIn(p.requests.slice(1))).toEqual(idsOf(next))
  })

  it('by default a batch is full at 100 events: 99 wait for the timer, the 100th sends them all at once', async () => {
    const { p, track } = setup()
    const first = track(99)
    await p.advance(0)
    expect(p.requests).toHaveLength(0)
    const last = track(1)
    await p.advance(0)
    expect(idsIn(p.requests)).toEqual(idsOf([...first, ...last]))
  })

  it('a batch size at or over the outbox bound is full at half the bound, before anything is dropped', async () => {
    const { p, drops, track } = setup({ batchSize: 100, maxQueue: 40 })
    const sent = track(20)
    await p.advance(0)
    expect(idsIn(p.requests)).toEqual(idsOf(sent))
    track(39)
    await p.advance(2000)
    expect(drops).toEqual([])
  })

  it('splits a queue larger than maxBatchBytes into several requests', async () => {
    const { p, track } = setup({ maxBatchBytes: 20_000 })
    const events = track(12, { note: 'x'.repeat(3000) })
    await p.advance(2000)
    expect(p.requests.length).toBeGreaterThan(1)
    for (const r of p.requests) expect(bytes(r.init.body!)).toBeLessThanOrEqual(20_000)
    expect(idsIn(p.requests)).toEqual(idsOf(events))
  })

  it('posts the Segment batch body with JSON and Basic auth headers', async () => {
    const { p, track } = setup()
    const events = track(2)
    await p.advance(2000)
    const [req] = p.requests
    expect(req.url).toBe(`${ENDPOINT}/v1/batch`)
    expect(req.init.method).toBe('POST')
    expect(req.init.headers).toEqual({
      'Content-Type': 'application/json',
      Authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`,
    })
    expect(req.body).toEqual({ batch: events, sentAt: new Date(START + 2000).toISOString(), writeKey: KEY })
  })

  it('sends nothing, and keeps nothing, without an endpoint', async () => {
    const { p, d, track } = setup({ endpoint: '' })
    track(3)
    await d.flush()
    await p.advance(60_000)
    expect(p.requests).toHaveLength(0)
    expect(d.pending()).toBe(0)
    expect(p.storageMap.size).toBe(0)
  })

  it('flush() sends right away without waiting for the batch timer', async () => {
    const { p, d, track } = setup()
    const events = track(3)
    await d.flush()
    expect(idsIn(p.requests)).toEqual(idsOf(events))
    expect(d.pending()).toBe(0)
  })
})

describe('a backlog', () => {
  it('goes out in larger batches, two requests at a time, oldest first, each event once', async () => {
    const { p, d, track } = setup({ batchSize: 5 })
    const waiting = held(p)
    const first = track(5)
    await p.advance(0)
    // While the first request is out, a backlog builds up behind it.
    const backlog = track(120)
    await p.advance(0)
    expect(p.requests).toHaveLength(1)
    waiting.shift()!({ status: 200 })
    await p.advance(0)
    // Two requests side by side, each larger than batchSize (up to 5 times it), in tracked order.
    expect(p.requests.slice(1).map((r) => r.body.batch.length)).toEqual([25, 25])
    expect(idsIn(p.requests)).toEqual(idsOf([...first, ...backlog]).slice(0, 55))
    for (let round = 0; round < 10 && waiting.length; round++) {
      waiting.splice(0).forEach((answer) => answer({ status: 200 }))
      await p.advance(0)
    }
    await p.advance(2000)
    expect(idsIn(p.requests)).toEqual(idsOf([...first, ...backlog]))
    expect(d.pending()).toBe(0)
  })

  it('when one of two requests in flight fails, only its events are sent again, with their ids, after the wait', async () => {
    const { p, d, track } = setup({ batchSize: 5 })
    const waiting = held(p)
    track(5)
    await p.advance(0)
    const backlog = track(40)
    waiting.shift()!({ status: 200 })
    await p.advance(0)
    const [a, b] = p.requests.slice(1)
    waiting[0]({ status: 503, headers: { 'Retry-After': '30' } })
    await p.advance(0)
    waiting[1]({ status: 200 })
    await p.advance(29_000)
    // The success beside it does not lift the server's wait.
    expect(p.requests).toHaveLength(3)
    p.respond = () => ({ status: 200 })
    await p.advance(1000)
    expect(p.requests).toHaveLength(4)
    expect(idsIn([p.requests[3]])).toEqual(idsIn([a]))
    expect([...idsIn([a]), ...idsIn([b])]).toEqual(idsOf(backlog))
    expect(d.pending()).toBe(0)
  })

  it('built up offline, it still drains over a slow uplink where a large body cannot arrive before the request times out', async () => {
    const { p, d, track, drops } = setup()
    p.respond = () => 'network-error'
    const backlog = track(400, { note: 'x'.repeat(1000) })
    await p.advance(30_000)
    // Back online at 2G speed: ~10 KB a second, so a body over 100 KB is cut off by the timeout.
    p.respond = (req) =>
      new Promise((answer) => {
        const fits = bytes(req.init.body!) <= 100_000
        p.setTimeout(() => answer(fits ? { status: 200 } : 'network-error'), fits ? bytes(req.init.body!) / 10 : REQUEST_TIMEOUT_MS)
      })
    const delivered = () => idsIn(p.requests.filter((r) => bytes(r.init.body!) <= 100_000))
    await p.advance(10 * 60_000)
    expect(new Set(delivered())).toEqual(new Set(idsOf(backlog)))
    expect(d.pending()).toBe(0)
    expect(drops).toEqual([])
  })

  it('a burst over the outbox bound drops nothing while the collector keeps up', async () => {
    const { p, d, drops, track } = setup({ maxQueue: 100 })
    // A collector that takes 30 ms per request, and 2,000 events a second in tasks of 20.
    p.respond = () => new Promise((r) => p.setTimeout(() => r({ status: 200 }), 30))
    const tracked: LingerEvent[] = []
    for (let ms = 0; ms < 3000; ms += 10) {
      tracked.push(...track(20))
      await p.advance(10)
    }
    await p.advance(5000)
    expect(drops).toEqual([])
    expect(idsIn(p.requests)).toEqual(idsOf(tracked))
    expect(d.pending()).toBe(0)
  })
})

describe('retries', () => {
  it('500, 500, 200: delivered once, with the same messageIds every time', async () => {
    const { p, d, errors, track } = setup()
    p.respond = answers({ status: 500 }, { status: 500 }, { status: 200 })
    const events = track(3)
    await p.advance(2000 + 1000 + 2000)
    expect(p.requests).toHaveLength(3)
    for (const r of p.requests) expect(idsIn([r])).toEqual(idsOf(events))
    expect(d.pending()).toBe(0)
    await p.advance(10 * 60_000)
    expect(p.requests).toHaveLength(3)
    expect(errors).toEqual([])
  })

  it('408 and network errors are retried too', async () => {
    const { p, d, track } = setup()
    p.respond = answers({ status: 408 }, 'network-error', { status: 200 })
    track(1)
    await p.advance(2000 + 1000 + 2000)
    expect(p.requests).toHaveLength(3)
    expect(d.pending()).toBe(0)
  })

  it('429 with Retry-After in seconds: nothing is sent before the wait is over', async () => {
    const { p, d, track } = setup()
    p.respond = answers({ status: 429, headers: { 'Retry-After': '30' } }, { status: 200 })
    track(1)
    await p.advance(2000)
    track(1)
    await d.flush()
    await p.advance(29_999)
    expect(p.requests).toHaveLength(1)
    await p.advance(1)
    expect(p.requests).toHaveLength(2)
    expect(d.pending()).toBe(0)
  })

  it('503 with Retry-After as an HTTP date waits until that date', async () => {
    const { p, track } = setup()
    const until = new Date(START + 2000 + 45_000).toUTCString()
    p.respond = answers({ status: 503, headers: { 'Retry-After': until } }, { status: 200 })
    track(1)
    await p.advance(2000 + 44_999)
    expect(p.requests).toHaveLength(1)
    await p.advance(1)
    expect(p.requests).toHaveLength(2)
  })

  it('a 429 wait holds back a reloaded page too', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const { p: before, track } = setup({ platform: createFakePlatform({ shared, clock }) })
    before.respond = () => ({ status: 429, headers: { 'Retry-After': '60' } })
    track(1)
    await before.advance(2000)
    before.close()
    const { p: after } = setup({ platform: createFakePlatform({ shared, clock, seed: 7 }) })
    await after.advance(59_999)
    expect(after.requests).toHaveLength(0)
    await after.advance(1)
    expect(after.requests).toHaveLength(1)
  })

  it('network errors back off exponentially from 1 s and stop growing at 60 s', async () => {
    const { p, track } = setup()
    p.random = () => 0.5
    const times: number[] = []
    p.respond = () => {
      times.push(p.now())
      return 'network-error'
    }
    track(1)
    await p.advance(15 * 60_000)
    const gaps = times.slice(1).map((t, i) => t - times[i])
    // With the jitter pinned at one half, each wait is half of a ceiling that doubles from 1 s.
    const ceilings = gaps.map((_, i) => Math.min(60_000, 1000 * 2 ** i))
    expect(gaps).toEqual(ceilings.map((c) => c / 2))
    expect(gaps.slice(-3)).toEqual([30_000, 30_000, 30_000])
  })

  it('two requests failing side by side are one failure: the wait grows per outage, not per request', async () => {
    const { p, track } = setup({ batchSize: 5 })
    const times: number[] = []
    const waiting = held(p)
    track(60)
    // Pinned only now: messageIds come from the same source.
    p.random = () => 0.5
    await p.advance(0)
    expect(waiting).toHaveLength(2)
    waiting.splice(0).forEach((answer) => answer('network-error'))
    await p.advance(0)
    p.respond = () => {
      times.push(p.now())
      return 'network-error'
    }
    const failedAt = p.now()
    await p.advance(10_000)
    // One failure: the next try comes after half of 1 s, not half of 2 s; then each round of
    // two requests doubles the ceiling once.
    expect(times[0] - failedAt).toBe(500)
    expect(times.slice(1).filter((t, i) => t !== times[i]).map((t, i, a) => t - (i ? a[i - 1] : times[0]))).toEqual([1000, 2000, 4000])
  })

  it('jitter spreads the retries of pages that failed together', async () => {
    const gapsFor = async (seed: number) => {
      const { p, track } = setup({ platform: createFakePlatform({ seed }) })
      const times: number[] = []
      p.respond = () => {
        times.push(p.now())
        return 'network-error'
      }
      track(1)
      await p.advance(10 * 60_000)
      return times.slice(1).map((t, i) => t - times[i])
    }
    const [a, b] = [await gapsFor(1), await gapsFor(2)]
    expect(a).not.toEqual(b)
    for (const gaps of [a, b]) gaps.forEach((g, i) => expect(g).toBeLessThan(Math.min(60_000, 1000 * 2 ** i)))
  })

  it('a 400 drops only the rejected batch and reports how many events it lost', async () => {
    const { p, d, errors, track } = setup({ batchSize: 2 })
    p.respond = answers({ status: 400 }, { status: 200 })
    const rejected = track(2)
    await p.advance(0)
    const accepted = track(2)
    await p.advance(0)
    await p.advance(10 * 60_000)
    expect(idsIn(p.requests)).toEqual(idsOf([...rejected, ...accepted]))
    expect(errors).toEqual([expect.objectContaining({ code: 'rejected', details: { status: 400, count: 2 } })])
    expect(d.pending()).toBe(0)
  })

  it('a collector that answers 400 for a whole batch when one event in it is over 32 KB (Segment) gets every other event; the vendor hears of that one', async () => {
    const { p, d, errors, track } = setup()
    // Segment's batch API: 400 Bad Request for the batch when one of its events is over 32 KB.
    const SEGMENT_EVENT_LIMIT = 32 * 1024
    p.respond = (req) => (req.body.batch.some((e: LingerEvent) => bytes(JSON.stringify(e)) > SEGMENT_EVENT_LIMIT) ? { status: 400, headers: { 'Content-Type': 'application/json', 'Content-Length': '17' }, body: '{"success":false}' } : { status: 200 })
    const before = track(40)
    const [huge] = track(1, { note: 'x'.repeat(SEGMENT_EVENT_LIMIT) })
    const after = track(40)
    await p.advance(2000)
    await p.advance(60_000)
    const delivered = p.requests.filter((r) => !r.body.batch.some((e: LingerEvent) => e.messageId === huge.messageId))
    expect(idsIn(delivered).sort()).toEqual(idsOf([...before, ...after]).sort())
    expect(errors).toEqual([expect.objectContaining({ code: 'rejected', details: { status: 400, count: 1 } })])
    expect(d.pending()).toBe(0)
    // Not one request per event: the batch, then the others and it apart.
    expect(p.requests.length).toBeLessThan(6)
  })

  it('a 400 that names each event it refused (the reference collector, every one refused) costs one request, and the vendor hears which and why', async () => {
    // A seed of its own: refusals are reported once per messageId for the module's life.
    const { p, d, errors, track } = setup({ platform: createFakePlatform({ seed: 400 }) })
    const events = track(3)
    const body = JSON.stringify({ ok: false, accepted: 0, duplicates: 0, rejected: events.map((e, index) => ({ index, messageId: e.messageId, errors: ['context.userHash: does not match userId'] })) })
    p.respond = () => ({ status: 400, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(bytes(body)) }, body })
    await p.advance(2000)
    await p.advance(60_000)
    expect(p.requests).toHaveLength(1)
    expect(d.pending()).toBe(0)
    expect(errors).toEqual(events.map((e) => expect.objectContaining({ code: 'rejected', details: { count: 1, messageId: e.messageId, errors: ['context.userHash: does not match userId'] } })))
  })

  it('a 400 whose small JSON body never comes: the batch is dropped and reported once the request’s timeout is over, not split and not lost unheard', async () => {
    const { p, d, errors, track } = setup()
    p.respond = () => ({ status: 400, headers: { 'Content-Type': 'application/json', 'Content-Length': '40' }, body: '{}' })
    const request = p.request
    p.request = async (url, init) => ({ ...(await request(url, init)), text: () => new Promise<string>(() => {}) })
    track(1)
    track(1, { note: 'x'.repeat(40_000) })
    await p.advance(2000)
    await p.advance(REQUEST_TIMEOUT_MS)
    expect(p.requests).toHaveLength(1)
    expect(errors).toEqual([expect.objectContaining({ code: 'rejected', details: { status: 400, count: 2 } })])
    expect(d.pending()).toBe(0)
  })

  describe('a 2xx that refuses some of the batch (the collector’s `rejected`)', () => {
    /** The reference collector's answer: `{ok, accepted, duplicates, rejected: [{index, messageId, errors}]}`. */
    const partly = (rejected: Array<{ index: number; messageId: string | null; errors: string[] }>, accepted: number): FakeAnswer => {
      const body = JSON.stringify({ ok: true, accepted, duplicates: 0, rejected })
      return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(bytes(body)) }, body }
    }

    it('the vendor hears once which event was refused and why, and it is not sent again', async () => {
      const { p, d, errors, track } = setup()
      const events = track(3)
      const spoofed = events[1]
      p.respond = answers(partly([{ index: 1, messageId: spoofed.messageId, errors: ['context.userHash: does not match userId'] }], 2), { status: 200 })
      await p.advance(2000)
      await p.advance(10 * 60_000)
      expect(p.requests).toHaveLength(1)
      expect(d.pending()).toBe(0)
      expect(errors).toEqual([
        {
          code: 'rejected',
          message: `the collector rejected event ${spoofed.messageId} (track "Project Created"): context.userHash: does not match userId`,
          details: { count: 1, messageId: spoofed.messageId, errors: ['context.userHash: does not match userId'] },
        },
      ])
    })

    it('a refusal heard twice (a copy that went again as the page left) is reported once', async () => {
      const { p, d, errors, track } = setup()
      const waiting = held(p)
      const [event] = track(1)
      await p.advance(2000)
      // The page goes away while the request is unanswered: its event goes again by keepalive.
      d.flushOnHide(true)
      await p.advance(0)
      expect(idsIn(p.requests)).toEqual([event.messageId, event.messageId])
      const answer = partly([{ index: 0, messageId: event.messageId, errors: ['timestamp: more than a day ahead'] }], 0)
      waiting.forEach((w) => w(answer))
      await p.advance(0)
      expect(errors).toEqual([expect.objectContaining({ code: 'rejected', details: expect.objectContaining({ messageId: event.messageId }) })])
    })

    it('an answer that is not JSON, is huge, or is JSON of another shape costs nothing and reports nothing', async () => {
      const bodies: FakeAnswer[] = [
        { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>ok</html>' },
        { status: 200, headers: { 'Content-Type': 'application/json', 'Content-Length': '50' }, body: '{"rejected": [' },
        { status: 200, headers: { 'Content-Type': 'application/json', 'Content-Length': '50' }, body: '{"rejected": {"a": 1}}' },
        { status: 200, headers: { 'Content-Type': 'application/json', 'Content-Length': '50' }, body: '{"rejected": [null, 3, {"errors": 7}]}' },
        { status: 200, headers: { 'Content-Type': 'application/json', 'Content-Length': '50' }, body: '{"success": true}' },
      ]
      for (const answer of bodies) {
        const { p, d, errors, track } = setup()
        p.respond = () => answer
        track(2)
        await p.advance(2000)
        await p.advance(0)
        expect(errors).toEqual([])
        expect(d.pending()).toBe(0)
      }
      // A body declared too large (or of unknown size) is never read.
      const { p, d, errors, track } = setup()
      let read = 0
      const request = p.request
      p.request = async (url, init) => {
        const res = await request(url, init)
        return { ...res, text: () => (read++, res.text()) }
      }
      const unread: Array<Record<string, string>> = [{ 'Content-Type': 'application/json', 'Content-Length': String(10_000_000) }, { 'Content-Type': 'application/json' }]
      for (const headers of unread) {
        p.respond = () => ({ status: 200, headers, body: '{"rejected":[]}' })
        track(1)
        await p.advance(2000)
        await p.advance(0)
      }
      expect(read).toBe(0)
      expect(errors).toEqual([])
      expect(d.pending()).toBe(0)
    })
  })

  it('a proxy that refuses bodies over 30 KB (413) gets every event, in smaller batches, without a wait', async () => {
    const { p, d, errors, track } = setup()
    const LIMIT = 30_000
    p.respond = (req) => (bytes(req.init.body!) > LIMIT ? { status: 413 } : { status: 200 })
    const events = track(40, { note: 'x'.repeat(3000) })
    await p.advance(2000)
    await p.advance(100)
    const accepted = p.requests.filter((r) => bytes(r.init.body!) <= LIMIT)
    expect(idsIn(accepted).sort()).toEqual(idsOf(events).sort())
    expect(errors).toEqual([])
    expect(d.pending()).toBe(0)
    // Halving from ~120 KB: a few refusals, not one per event.
    expect(p.requests.length - accepted.length).toBeLessThan(8)
  })

  it('an event too large for the proxy on its own is the only one lost, and reported', async () => {
    const { p, d, errors, track } = setup({ batchSize: 4 })
    const LIMIT = 20_000
    p.respond = (req) => (bytes(req.init.body!) > LIMIT ? { status: 413 } : { status: 200 })
    const small = track(3, { note: 'x'.repeat(1000) })
    const huge = track(1, { note: 'x'.repeat(25_000) })
    await p.advance(0)
    await p.advance(2000)
    const accepted = p.requests.filter((r) => bytes(r.init.body!) <= LIMIT)
    expect(idsIn(accepted)).toEqual(idsOf(small))
    expect(errors).toEqual([expect.objectContaining({ code: 'rejected', details: { status: 413, count: 1 } })])
    expect(idsIn(p.requests.slice(-1))).toEqual(idsOf(huge))
    expect(d.pending()).toBe(0)
  })

  it('a 429’s Retry-After holds even when the request beside it failed first (its wait under a second)', async () => {
    const { p, track } = setup({ batchSize: 10 })
    const waiting = held(p)
    // A backlog: two batches of 50 in flight side by side.
    track(100)
    await p.advance(0)
    expect(p.requests).toHaveLength(2)
    waiting[0]('network-error')
    waiting[1]({ status: 429, headers: { 'Retry-After': '120' } })
    p.respond = () => ({ status: 200 })
    await p.advance(119_000)
    expect(p.requests).toHaveLength(2)
    await p.advance(2000)
    expect(p.requests).toHaveLength(4)
  })

  /** Each request leaves a task after its batch was claimed: the test says when. */
  function nextTasks(p: FakePlatform) {
    const tasks: Array<() => void> = []
    p.yieldTask = () => new Promise<void>((r) => tasks.push(r))
    return tasks
  }

  it('an opt-out, or stop(), between a batch’s claim and its request: the request does not leave', async () => {
    for (const end of ['opt-out', 'stop'] as const) {
      const { p, d, track } = setup({ batchSize: 10 })
      const tasks = nextTasks(p)
      track(10)
      await p.advance(0)
      expect(tasks).toHaveLength(1)
      if (end === 'opt-out') d.clear()
      else d.stop()
      tasks[0]()
      await p.advance(60_000)
      expect(p.requests, end).toHaveLength(0)
    }
  })

  it('a page that goes away between a batch’s claim and its request hands the batch over itself, and it leaves once', async () => {
    const { p, d, track } = setup({ batchSize: 10 })
    p.onPageHide!(() => d.flushOnHide(true))
    const tasks = nextTasks(p)
    const events = track(10)
    await p.advance(0)
    // Claimed, its request waiting for its task: the user clicks a link now.
    expect(tasks).toHaveLength(1)
    expect(p.requests).toHaveLength(0)
    p.pageHide()
    // Not held back for the claim's 30 s (nor to the next visit): on its way with the page.
    expect(p.requests).toHaveLength(1)
    expect(p.requests[0].init.keepalive).toBe(true)
    expect(idsIn(p.requests)).toEqual(idsOf(events))
    // The page lived on after all (the back/forward cache): the request it had planned does
    // not leave with the same events.
    tasks[0]()
    await p.advance(60_000)
    expect(p.requests).toHaveLength(1)
    expect(d.pending()).toBe(0)
  })

  it("an event the host tracks in its own pagehide listener, after Linger's, leaves with the page", async () => {
    const { p, d, track } = setup()
    p.onPageHide!(() => d.flushOnHide(true))
    const before = track(2)
    // The host's listener, added after the runtime started: "Draft Abandoned" as the page goes.
    p.onPageHide!(() => track(1, { draft: 'abandoned' }))
    p.pageHide()
    await Promise.resolve()
    // No timer runs on a page going away: its own keepalive request, and written for the next page.
    expect(p.requests).toHaveLength(2)
    expect(p.requests.every((r) => r.init.keepalive)).toBe(true)
    expect(p.requests[1].body.batch.map((e: LingerEvent) => e.properties)).toEqual([{ i: 0, draft: 'abandoned' }])
    expect(idsIn(p.requests)).toHaveLength(before.length + 1)
    const stored = outboxKeys(p.storageMap).map((k) => JSON.parse(p.storageMap.get(k)!).items.length)
    expect(stored).toEqual([3])
  })

  it('an event tracked in a hidden tab is written at once (the tab may be discarded unseen); once shown, writes wait again', async () => {
    const { p, d, track } = setup()
    p.onHide(() => d.flushOnHide())
    p.hide()
    track(1)
    await Promise.resolve()
    expect(outboxKeys(p.storageMap).map((k) => JSON.parse(p.storageMap.get(k)!).items.length)).toEqual([1])
    p.show()
    track(1)
    await Promise.resolve()
    expect(outboxKeys(p.storageMap).map((k) => JSON.parse(p.storageMap.get(k)!).items.length)).toEqual([1])
  })

  it('a claimed batch over the keepalive quota, when the page goes away: what fits leaves with it, and a page that lives on sends the rest at once', async () => {
    const { p, d, track } = setup({ batchSize: 40 })
    p.onPageHide!(() => d.flushOnHide(true))
    p.beacon = undefined
    const tasks = nextTasks(p)
    const events = track(40, { note: 'x'.repeat(4000) })
    await p.advance(0)
    expect(tasks).toHaveLength(1)
    p.pageHide()
    const handed = idsIn(p.requests)
    expect(handed.length).toBeGreaterThan(0)
    expect(handed.length).toBeLessThan(events.length)
    // Restored from the back/forward cache: the planned request takes what the page could not.
    tasks[0]()
    await p.advance(0)
    const sent = idsIn(p.requests)
    expect(sent.length).toBe(events.length)
    expect([...sent].sort()).toEqual(idsOf(events).sort())
  })

  it('a wait the first of two requests brought back holds the second, which had not left yet', async () => {
    const { p, track } = setup({ batchSize: 10 })
    const tasks = nextTasks(p)
    p.respond = answers({ status: 429, headers: { 'Retry-After': '120' } }, { status: 200 })
    // A backlog: two batches of 50, each to leave in a task of its own.
    const events = track(100)
    await p.advance(0)
    tasks[0]()
    await p.advance(0)
    expect(p.requests).toHaveLength(1)
    tasks[1]()
    await p.advance(60_000)
    expect(p.requests).toHaveLength(1)
    // Not held by a claim either: both batches go once the wait is over.
    p.yieldTask = undefined
    await p.advance(61_000)
    expect(idsIn(p.requests.slice(1)).sort()).toEqual(idsOf(events).sort())
  })
})

describe('the outbox', () => {
  it('survives a reload: the next page sends the unsent events with their messageIds', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const first = setup({ platform: createFakePlatform({ shared, clock }) })
    first.p.respond = () => 'network-error'
    const events = first.track(3)
    await first.p.advance(2000)
    first.p.close()
    const second = setup({ platform: createFakePlatform({ shared, clock, seed: 7 }) })
    await second.p.advance(60_000)
    expect(idsIn(second.p.requests)).toEqual(idsOf(events))
    expect(second.d.pending()).toBe(0)
    expect(outboxKeys(shared)).toEqual([])
  })

  it('a page that unloads with a request unanswered sends its events again by keepalive, at once; a hidden tab does not', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const first = setup({ platform: createFakePlatform({ shared, clock }) })
    first.p.onPageHide!(() => first.d.flushOnHide(true))
    first.p.onHide(() => first.d.flushOnHide())
    const waiting = held(first.p)
    const events = first.track(2)
    await first.p.advance(2000)
    expect(first.p.requests).toHaveLength(1)
    // The tab goes to the background: its request may still be answered, nothing goes twice.
    first.p.hide()
    expect(first.p.requests).toHaveLength(1)
    // The page unloads: the browser cuts the request off, and the events must not wait 30 s
    // for its claim to lapse. The copy outlives the page; the collector drops a duplicate.
    first.p.pageHide()
    expect(first.p.requests).toHaveLength(2)
    expect(first.p.requests[1].init.keepalive).toBe(true)
    expect(idsIn([first.p.requests[1]])).toEqual(idsOf(events))
    // The unload cuts the original off: not an outage, and its events stay with their copy.
    waiting[0]('network-error')
    await first.p.advance(5000)
    expect(first.p.requests).toHaveLength(2)
    expect(first.p.storageMap.get(BACKOFF) ?? null).toBeNull()
    first.p.close()
    // Claimed by that request: the next page does not send them a third time while it may land.
    const second = setup({ platform: createFakePlatform({ shared, clock, seed: 7 }) })
    await second.p.advance(20_000)
    expect(second.p.requests).toEqual([])
  })

  it('a page that unloads with a request unanswered while another tab’s wait is on: the next page sends its events once the wait is over, not once their claim lapses 30 s on', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const first = setup({ platform: createFakePlatform({ shared, clock }) })
    first.p.onPageHide!(() => first.d.flushOnHide(true))
    first.p.onHide(() => first.d.flushOnHide())
    held(first.p)
    const events = first.track(2)
    await first.p.advance(2000)
    expect(first.p.requests).toHaveLength(1)
    // Another tab's request has just failed: every tab of the site waits 3 s.
    shared.set(BACKOFF, JSON.stringify({ failures: 1, retryAt: clock.now + 3000, status: null }))
    first.p.pageHide()
    // The wait honoured: nothing by keepalive.
    expect(first.p.requests).toHaveLength(1)
    first.p.close()
    const second = setup({ platform: createFakePlatform({ shared, clock, seed: 7 }) })
    await second.p.advance(10_000)
    expect(idsIn(second.p.requests)).toEqual(idsOf(events))
  })

  it('a page that lived on after its unload cut a request off treats the next failure of those events as an outage again', async () => {
    const { p, d, track } = setup()
    p.onPageHide!(() => d.flushOnHide(true))
    const waiting = held(p)
    track(2)
    await p.advance(2000)
    p.pageHide()
    expect(p.requests).toHaveLength(2)
    // Restored from the back/forward cache, with the network down: the cut-off request and its
    // keepalive copy both fail, then the resend fails too, and only then does the collector answer.
    p.respond = answers('network-error', { status: 200 })
    waiting.forEach((answer) => answer('network-error'))
    // The resend's failure releases its events to the backoff's next try (seconds), not to the
    // lapse of its 30 s claim.
    await p.advance(8000)
    expect(p.requests).toHaveLength(4)
    expect(d.pending()).toBe(0)
  })

  it('after a crash mid-request, the next page resends once the claim lapses (at least once)', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const first = setup({ platform: createFakePlatform({ shared, clock }) })
    held(first.p)
    const events = first.track(2)
    await first.p.advance(2000)
    expect(first.p.requests).toHaveLength(1)
    // The page dies with its request unanswered.
    first.p.close()
    const second = setup({ platform: createFakePlatform({ shared, clock, seed: 7 }) })
    await second.p.advance(25_000)
    expect(second.p.requests).toHaveLength(0)
    await second.p.advance(10_000)
    expect(idsIn(second.p.requests)).toEqual(idsOf(events))
  })

  it('is bounded: the oldest events go first, and every drop is counted', async () => {
    const { p, d, drops, track } = setup({ maxQueue: 5 })
    const events = track(8)
    expect(d.pending()).toBe(5)
    await p.advance(2000)
    // Told together, within the second.
    expect(drops).toEqual([[3, 'queue-full']])
    expect(idsIn(p.requests)).toEqual(idsOf(events.slice(3)))
  })

  it('a queue full through an outage, an event tracked now and then: the vendor’s error tracker hears of the drops within a second, then at most once a second, and the counts add up to every event dropped', async () => {
    const { p, d, drops, track } = setup({ maxQueue: 5 })
    p.respond = () => 'network-error'
    track(5)
    // Thirty seconds of the app tracking every 100 ms, each its own task, the queue full.
    for (let i = 0; i < 300; i++) {
      track(1)
      await p.advance(100)
      if (i === 9) expect(drops).toEqual([[10, 'queue-full']])
    }
    await p.advance(1000)
    expect(drops.length).toBeLessThanOrEqual(31)
    expect(drops.reduce((sum, [n]) => sum + n, 0)).toBe(305 - d.pending())
  })

  it('a page that leaves just after the queue dropped events still tells the vendor each of them', async () => {
    const { p, d, drops, track } = setup({ maxQueue: 5 })
    p.respond = () => 'network-error'
    track(12)
    await p.advance(0)
    d.flushOnHide(true)
    expect(drops.reduce((sum, [n]) => sum + n, 0)).toBe(7)
  })

  it('tells the vendor how many events were dropped, and why', async () => {
    const errors: LingerError[] = []
    const { p, track } = setup({ maxQueue: 2, onError: (e) => errors.push(e) })
    track(3)
    await p.advance(1000)
    expect(errors).toEqual([{ code: 'dropped', message: '1 event(s) dropped: queue-full', details: { count: 1, reason: 'queue-full' } }])
  })

  it('keeps working in memory when storage refuses writes', async () => {
    const p = createFakePlatform()
    p.failStorage = true
    const { d, errors, track } = setup({ platform: p })
    p.respond = answers({ status: 500 }, { status: 200 })
    const events = track(3)
    expect(d.pending()).toBe(3)
    await p.advance(2000 + 1000)
    expect(idsIn(p.requests)).toEqual(idsOf([...events, ...events]))
    expect(d.pending()).toBe(0)
    expect(errors).toEqual([])
  })

  it('clear() empties the queue, here and in storage', async () => {
    const { p, d, track } = setup()
    track(3)
    d.clear()
    expect(d.pending()).toBe(0)
    await p.advance(60_000)
    expect(p.requests).toHaveLength(0)
    expect(outboxKeys(p.storageMap)).toEqual([])
  })

  it('turns an event that cannot be serialised into an error, and keeps the rest', async () => {
    const { p, d, errors, track } = setup()
    const ok = track(1)
    d.enqueue({ ...ok[0], messageId: 'bad', properties: { n: 10n } })
    await p.advance(2000)
    expect(idsIn(p.requests)).toEqual(idsOf(ok))
    expect(errors.map((e) => e.code)).toEqual(['invalid-event'])
  })

  it('a throwing error handler does not break delivery', async () => {
    const { p, d, track } = setup({
      onError: () => {
        throw new Error('vendor bug')
      },
    })
    p.respond = answers({ status: 400 }, { status: 200 })
    track(1)
    await p.advance(2000)
    const next = track(1)
    expect(() => d.flushOnHide()).not.toThrow()
    await p.advance(2000)
    expect(idsIn(p.requests.slice(1))).toEqual(idsOf(next))
  })
})

describe('several tabs', () => {
  /** All tabs run on one clock; each step lets every tab run its due timers. */
  async function run(tabs: FakePlatform[], ms: number) {
    for (let t = 0; t < ms; t += 50) for (const tab of tabs) await tab.advance(tab === tabs[0] ? 50 : 0)
  }

  /** Tabs of one origin: one storage, one set of locks, one clock. */
  function origin() {
    const shared = new Map<string, string>()
    const clock = { now: START }
    let seed = 0
    const tab = (overrides: Partial<DeliveryOptions> = {}, configure: (p: FakePlatform) => void = () => {}) => {
      const platform = createFakePlatform({ shared, clock, seed: ++seed })
      configure(platform)
      return setup({ ...overrides, platform })
    }
    return { shared, clock, tab }
  }

  /** A tab that closed with `n` events unsent (its collector unreachable): its outbox stays in storage. */
  async function closedWithUnsent(tab: ReturnType<typeof origin>['tab'], n = 2, overrides: Partial<DeliveryOptions> = {}) {
    const gone = tab(overrides, (p) => (p.respond = () => 'network-error'))
    const events = gone.track(n)
    await gone.p.advance(WRITE_DELAY_MS)
    gone.p.close()
    return events
  }

  const withoutWebLocks = (p: FakePlatform) => {
    p.withLock = undefined
    p.holdLock = undefined
  }

  /** The collector takes a while to answer, so tabs see each other's events in flight. */
  const slowCollector = (p: FakePlatform) => {
    p.respond = () => new Promise((r) => p.setTimeout(() => r({ status: 200 }), 300))
  }

  it('a tab alone asks for no cross-tab lock: not to send, not when it looks for gone tabs a heartbeat after it starts', async () => {
    // Each lock request costs the page main thread (~0.4 ms for Web Locks); without Web Locks,
    // a storage write. With no other tab's outbox in storage there is nothing to adopt.
    const p = createFakePlatform()
    let locks = 0
    const withLock = p.withLock!
    p.withLock = (name, fn) => (locks++, withLock(name, fn))
    const { track } = setup({ platform: p })
    const bare = createFakePlatform()
    withoutWebLocks(bare)
    const leases: string[] = []
    const set = bare.storage.set
    bare.storage.set = (k, v) => (k.startsWith('linger:lease:') && leases.push(k), set(k, v))
    const lone = setup({ platform: bare })
    const sent = [...track(3), ...lone.track(3)]
    await p.advance(HEARTBEAT_MS + 5000)
    await bare.advance(HEARTBEAT_MS + 5000)
    expect(idsIn([...p.requests, ...bare.requests])).toEqual(idsOf(sent))
    expect(locks).toBe(0)
    expect(leases).toEqual([])
  })

  describe.each([
    ['Web Locks', (p: FakePlatform) => slowCollector(p)],
    ['a storage lease', (p: FakePlatform) => (withoutWebLocks(p), slowCollector(p))],
    // Each tab sends only its own outbox, so even with no lock nothing goes out twice.
    [
      'nothing at all',
      (p: FakePlatform) => {
        withoutWebLocks(p)
        p.withLock = async (_, fn) => (await fn(), true)
        slowCollector(p)
      },
    ],
  ])('two open tabs coordinated by %s', (_, configure) => {
    it('never send the same messageId twice, and lose nothing', async () => {
      const { tab } = origin()
      const tabs = [tab({ batchSize: 7 }, configure), tab({ batchSize: 7 }, configure)]
      const tracked: LingerEvent[] = []
      for (let round = 0; round < 12; round++) {
        for (const t of tabs) tracked.push(...t.track(3))
        await run(tabs.map((t) => t.p), 400)
      }
      await run(tabs.map((t) => t.p), 10_000)
      const sent = idsIn(tabs.flatMap((t) => t.p.requests))
      expect(new Set(sent).size).toBe(sent.length)
      expect([...sent].sort()).toEqual(idsOf(tracked).sort())
      expect(tabs.map((t) => t.d.pending())).toEqual([0, 0])
    })
  })

  /**
   * Chromium gives each tab its own copy of localStorage: its own writes show at once, the other
   * tabs' only once its copy catches up, which tracking in a burst easily outruns.
   */
  function laggingCopies() {
    const catchUps: Array<() => void> = []
    const lagging = (p: FakePlatform) => {
      const storage = p.storageMap
      const copy = new Map(storage)
      p.storage = {
        get: (k) => copy.get(k) ?? null,
        set: (k, v) => (copy.set(k, v), storage.set(k, v), true),
        remove: (k) => void (copy.delete(k), storage.delete(k)),
        keys: (prefix) => [...copy.keys()].filter((k) => k.startsWith(prefix)),
      }
      catchUps.push(() => {
        copy.clear()
        storage.forEach((v, k) => copy.set(k, v))
      })
    }
    return { lagging, catchUp: () => catchUps.forEach((fn) => fn()) }
  }

  it('tracking in both at once, each seeing the other’s writes late (as in Chromium), loses nothing', async () => {
    const { tab } = origin()
    const { lagging, catchUp } = laggingCopies()
    const tabs = [tab({}, lagging), tab({}, lagging)]
    const tracked: LingerEvent[] = []
    for (let round = 0; round < 10; round++) {
      for (const t of tabs) tracked.push(...t.track(2))
      catchUp()
      await run(tabs.map((t) => t.p), 700)
    }
    await run(tabs.map((t) => t.p), 10_000)
    const sent = idsIn(tabs.flatMap((t) => t.p.requests))
    expect([...sent].sort()).toEqual(idsOf(tracked).sort())
  })

  it('a tab still seeing an old copy of a closed tab’s outbox does not adopt it a second time', async () => {
    const { tab } = origin()
    const { lagging, catchUp } = laggingCopies()
    const gone = tab({}, (p) => (lagging(p), (p.respond = () => 'network-error')))
    const events = gone.track(3)
    await gone.p.advance(2000)
    const [first, late] = [tab({}, lagging), tab({}, lagging)]
    catchUp()
    gone.p.close()
    await run([first.p], 10_000)
    expect(idsIn(first.p.requests)).toEqual(idsOf(events))
    // `late` never caught up: the outbox it sees was adopted and sent already.
    await run([late.p], 60_000)
    expect(late.p.requests).toEqual([])
  })

  it('the outbox of a tab that closed is adopted by one of the open tabs and sent once, with its messageIds', async () => {
    const { shared, tab } = origin()
    const gone = tab({}, (p) => (p.respond = () => 'network-error'))
    const events = gone.track(4)
    await gone.p.advance(2000)
    const open = [tab(), tab()]
    // Long enough for the open tabs to look at what other tabs left.
    await run([gone.p, ...open.map((t) => t.p)], ADOPT_AFTER_START_MS + 1000)
    // Still open: its outbox is its own.
    expect(idsIn(open.flatMap((t) => t.p.requests))).toEqual([])
    gone.p.close()
    await run(open.map((t) => t.p), 30_000)
    const byTab = open.map((t) => idsIn(t.p.requests))
    expect(byTab.filter((ids) => ids.length)).toEqual([idsOf(events)])
    expect(outboxKeys(shared)).toEqual([])
  })

  it('a page adopted while in the back/forward cache, back and then closed with events unsent: the open tab sends them, not only once it closes itself', async () => {
    const { shared, tab } = origin()
    const cached = tab({}, (p) => (p.respond = () => 'network-error'))
    cached.p.onPageHide!(() => cached.d.flushOnHide(true))
    const before = cached.track(1)
    await cached.p.advance(WRITE_DELAY_MS)
    // Into the cache: it lets its tab's lock go, and its timers stand still (it is not advanced).
    cached.p.pageHide()
    const open = tab()
    await run([open.p], ADOPT_AFTER_START_MS + CLAIM_MS + 1000)
    expect(idsIn(open.p.requests)).toEqual(idsOf(before))
    // Back: the page is live again, its outbox its own, and it tracks while its collector fails.
    cached.p.show()
    const after = cached.track(1)
    await cached.p.advance(WRITE_DELAY_MS)
    const key = outboxKeys(shared).find((k) => readOutbox(cached.p.storage, k).items.some((i) => i.event.messageId === after[0].messageId))!
    open.p.fireStorage(key)
    await run([open.p, cached.p], HEARTBEAT_MS * 2)
    // Still open: nothing of its queue goes from the other tab.
    expect(idsIn(open.p.requests)).toEqual(idsOf(before))
    cached.p.close()
    await run([open.p], HEARTBEAT_MS * 2 + CLAIM_MS)
    expect(idsIn(open.p.requests)).toContain(after[0].messageId)
    expect(outboxKeys(shared)).toEqual([])
  })

  it('a page back from the cache a second time, before the tab that took its outbox the first time let its lock go: what it stored since is kept, and sent', async () => {
    const { shared, tab } = origin()
    const cached = tab({}, (p) => (p.respond = () => 'network-error'))
    cached.p.onPageHide!(() => cached.d.flushOnHide(true))
    cached.track(1)
    await cached.p.advance(WRITE_DELAY_MS)
    const [own] = outboxKeys(shared)
    cached.p.pageHide()
    const open = tab()
    await run([open.p], ADOPT_AFTER_START_MS + 1000)
    expect(shared.has(own)).toBe(false)
    cached.p.show()
    const after = cached.track(1)
    await cached.p.advance(WRITE_DELAY_MS)
    // Into the cache and Back again at once: the open tab has not looked since, and still holds
    // the page's lock, but this time nothing was taken.
    cached.p.pageHide()
    cached.p.show()
    await cached.p.advance(WRITE_DELAY_MS)
    cached.p.close()
    open.p.fireStorage(own)
    await run([open.p], HEARTBEAT_MS * 3 + CLAIM_MS)
    expect(idsIn(open.p.requests)).toContain(after[0].messageId)
  })

  it('a page that left offline with more than storage holds, its stored part taken by an open tab meanwhile, Back and then leaving again still offline: once the collector is up, each event arrives or was reported lost, never both', async () => {
    const { tab } = origin()
    const offline = (p: FakePlatform) => ((p.respond = () => 'network-error'), (p.beacon = () => false))
    const cached = tab({}, offline)
    const open = tab({}, offline)
    linked(cached.p, open.p)
    cached.p.onPageHide!(() => cached.d.flushOnHide(true))
    // 150 of 4 KB: more than storage holds.
    const events = cached.track(150, { results: 'x'.repeat(4000) })
    await run([cached.p, open.p], 5000)
    // What the page hands the browser as it leaves never arrives.
    cached.p.respond = () => new Promise(() => {})
    cached.p.pageHide()
    // Into the cache: the open tab takes the part storage held.
    await run([open.p], HEARTBEAT_MS + 5000)
    // Back: it tracks on, offline still, and the user leaves again.
    cached.p.show()
    cached.p.respond = () => 'network-error'
    events.push(...cached.track(100, { results: 'x'.repeat(4000) }))
    await run([cached.p, open.p], 3000)
    cached.p.respond = () => new Promise(() => {})
    cached.p.pageHide()
    cached.p.close()
    // The open tab's collector is back.
    const received = new Set<string>()
    open.p.respond = (req) => (req.body.batch.forEach((e: LingerEvent) => received.add(e.messageId)), { status: 200 })
    for (let t = 0; t < 4 * 60_000; t += 1000) await open.p.advance(1000)
    const reported = [...cached.drops, ...open.drops].reduce((n, [count]) => n + count, 0)
    expect(reported).toBeGreaterThan(0)
    expect(idsOf(events).filter((id) => received.has(id)).length + reported).toBe(250)
  }, 30_000)

  it('a closed tab’s outbox that shows up again as it was (the host restored a snapshot of localStorage) is not taken again: its events go once', async () => {
    const { shared, tab } = origin()
    const left = await closedWithUnsent(tab, 2)
    const [key] = outboxKeys(shared)
    const snapshot = shared.get(key)!
    const open = tab()
    await run([open.p], ADOPT_AFTER_START_MS + 5000)
    expect(idsIn(open.p.requests)).toEqual(idsOf(left))
    shared.set(key, snapshot)
    open.p.fireStorage(key)
    await run([open.p], 10 * 60_000)
    expect(idsIn(open.p.requests)).toEqual(idsOf(left))
  })

  it('adopting beyond maxQueue drops the oldest and says so', async () => {
    const { tab } = origin()
    const gone = tab({}, (p) => (p.respond = () => 'network-error'))
    const old = gone.track(3)
    // Its queue is in storage once the write delay passed (before its 2 s batch timer).
    await gone.p.advance(WRITE_DELAY_MS)
    const open = tab({ maxQueue: 4 }, (p) => (p.respond = () => 'network-error'))
    const recent = open.track(2)
    gone.p.close()
    // It looks at what other tabs left once its start-up is over.
    await open.p.advance(ADOPT_AFTER_START_MS + 1000)
    expect(open.drops).toEqual([[1, 'queue-full']])
    expect(open.d.pending()).toBe(4)
    open.p.respond = () => ({ status: 200 })
    await open.p.advance(120_000)
    expect(idsIn(open.p.requests.slice(-1))).toEqual(idsOf([...old.slice(1), ...recent]))
  })

  it('a closed tab’s unsent events go to the collector they were tracked for, though no page sends there any more (the vendor moved collectors)', async () => {
    const { shared, tab } = origin()
    const left = await closedWithUnsent(tab, 2)
    // A page whose endpoint was mistyped (its events go to the page's own origin), or the new collector.
    const elsewhere = tab({ endpoint: 'https://shop.example.com' })
    const own = elsewhere.track(1)
    await run([elsewhere.p], ADOPT_AFTER_START_MS + HEARTBEAT_MS * 2)
    const to = (url: string) => idsIn(elsewhere.p.requests.filter((r) => r.url === url))
    expect(to('https://shop.example.com/v1/batch')).toEqual(idsOf(own))
    expect(to(`${ENDPOINT}/v1/batch`)).toEqual(idsOf(left))
    expect(elsewhere.p.requests.every((r) => r.body.writeKey === KEY)).toBe(true)
    expect(outboxKeys(shared)).toEqual([])
  })

  it('a collector no page sends to any more, unreachable: its queue is retried on its own wait, then, a week old, dropped and reported once an hour of its own failed tries showed it unreachable, never sent to this page’s collector', async () => {
    const { shared, clock, tab } = origin()
    await closedWithUnsent(tab, 3, { endpoint: 'https://old.example.com/ingest?tenant=a' })
    // The old host is gone (or the page's CSP connect-src refuses it): a network error, like any other.
    const page = tab({}, (p) => (p.respond = (req) => (req.url.startsWith(ENDPOINT) ? { status: 200 } : 'network-error')))
    const mine = page.track(1)
    await run([page.p], 60_000)
    const old = () => page.p.requests.filter((r) => !r.url.startsWith(ENDPOINT))
    expect(new Set(old().map((r) => r.url))).toEqual(new Set(['https://old.example.com/ingest/v1/batch?tenant=a']))
    // Its failures wait apart: this page's own events left at once.
    expect(idsIn(page.p.requests.filter((r) => r.url.startsWith(ENDPOINT)))).toEqual(idsOf(mine))
    const tries = old().length
    expect(tries).toBeGreaterThan(1)
    expect(tries).toBeLessThan(20)
    page.p.close()
    // A week later, the next page of the site: a week old, the queue gets tries (the old host
    // may be back), and they fail: one is no proof it is gone, an hour of them is.
    clock.now += 7 * 24 * 3600_000
    const next = tab({}, (p) => (p.respond = () => 'network-error'))
    await run([next.p], 60_000)
    const toOld = () => next.p.requests.filter((r) => r.url.startsWith('https://old.example.com'))
    expect(new Set(idsIn(toOld())).size).toBe(3)
    expect(next.drops).toEqual([])
    await next.p.advance(AGED_FOR_MS)
    expect(new Set(idsIn(toOld())).size).toBe(3)
    expect(next.drops).toEqual([[3, 'expired']])
    next.p.close()
    // The page after it has nothing of it left to send or report.
    const last = tab({}, (p) => (p.respond = () => ({ status: 200 })))
    await run([last.p], 60_000)
    expect(last.drops).toEqual([])
    expect(last.p.requests).toEqual([])
    expect(outboxKeys(shared)).toEqual([])
  })

  it('queues gone tabs left for two collectors no page uses any more each reach their own collector only, and what a page of a third finds later is its own to send', async () => {
    const { shared, tab } = origin()
    const [X, Y, Z] = ['https://x.example.com', 'https://y.example.com', 'https://z.example.com']
    const forX = await closedWithUnsent(tab, 2, { endpoint: X })
    const forY = await closedWithUnsent(tab, 2, { endpoint: Y })
    const page = tab({ endpoint: Z })
    const mine = page.track(1)
    await run([page.p], ADOPT_AFTER_START_MS + HEARTBEAT_MS * 2)
    const to = (url: string) => idsIn(page.p.requests.filter((r) => r.url === url)).sort()
    expect(to(`${X}/v1/batch`)).toEqual(idsOf(forX).sort())
    expect(to(`${Y}/v1/batch`)).toEqual(idsOf(forY).sort())
    // While this page lives on (its deliveries for X and Y with it): another tab of Z closes with
    // events unsent, and a queue an earlier release left (it recorded no collector) turns up.
    const laterZ = await closedWithUnsent(tab, 2, { endpoint: Z })
    const beforeKey = outboxKeys(shared).find((k) => k.includes(encodeURIComponent(Z)))!
    const earlier = await closedWithUnsent(tab, 1, { endpoint: Z })
    const earlierKey = outboxKeys(shared).find((k) => k !== beforeKey)!
    shared.set(`linger:outbox:${KEY}:${earlierKey.slice(earlierKey.lastIndexOf(':') + 1)}`, shared.get(earlierKey)!)
    shared.delete(earlierKey)
    page.p.fireStorage(beforeKey)
    await run([page.p], CLAIM_MS + HEARTBEAT_MS * 3)
    expect(to(`${Z}/v1/batch`)).toEqual(idsOf([...mine, ...laterZ, ...earlier]).sort())
    expect(to(`${X}/v1/batch`)).toEqual(idsOf(forX).sort())
    expect(to(`${Y}/v1/batch`)).toEqual(idsOf(forY).sort())
    expect(outboxKeys(shared)).toEqual([])
  })

  /** Tabs that hear each other's storage writes, as real tabs do (the fake's tabs do not). */
  function linked(...tabs: FakePlatform[]) {
    for (const t of tabs) {
      const { set, remove } = t.storage
      const tell = (k: string) => tabs.forEach((o) => o !== t && o.fireStorage(k))
      t.storage.set = (k, v) => {
        const done = set(k, v)
        tell(k)
        return done
      }
      t.storage.remove = (k) => (remove(k), tell(k))
    }
  }

  /** Counts the cross-tab locks `p` asks for (Web Locks), or the leases it writes (without them). */
  function lockCount(p: FakePlatform) {
    const n = { locks: 0 }
    const { withLock, storage } = p
    const set = storage.set
    if (withLock) p.withLock = (name, fn) => (n.locks++, withLock(name, fn))
    else storage.set = (k, v) => (k.startsWith('linger:lease:') && n.locks++, set(k, v))
    return n
  }

  it.each([
    ['Web Locks', () => {}],
    ['a storage lease', withoutWebLocks],
  ])('a page of another collector, idle beside a live tab of the collector a closed tab left events for (%s): no lock every heartbeat meanwhile, and once that tab crashes as its collector comes back, every event is delivered once, soon', async (_, locking) => {
    const { tab } = origin()
    const B = 'https://b.example.com'
    let down = true
    const accepted: string[] = []
    const collector = (p: FakePlatform) => (p.respond = (req) => (req.url.startsWith(B) && down ? 'network-error' : (accepted.push(...idsIn([req])), { status: 200 })))
    const left = await closedWithUnsent(tab, 2, { endpoint: B })
    // A tab of B is open and tracks while B is down: its queue stays in storage, held by a live tab.
    const live = tab({ endpoint: B }, (p) => (locking(p), collector(p)))
    const own = live.track(1)
    const page = tab({}, (p) => (locking(p), collector(p)))
    linked(page.p, live.p)
    const asked = lockCount(page.p)
    await run([page.p, live.p], ADOPT_AFTER_START_MS + HEARTBEAT_MS * 3)
    const before = asked.locks
    await run([page.p, live.p], 5 * 60_000)
    // Every heartbeat (and every write of the live tab's) was a look that asked for a lock.
    expect(asked.locks - before).toBe(0)
    // The live tab crashes (no pagehide) just as B is back: its queue is the page's to send.
    down = false
    live.p.close()
    await run([page.p], 2 * 60_000 + CLAIM_MS)
    expect(accepted.sort()).toEqual(idsOf([...left, ...own]).sort())
  })

  it.each([
    ['Web Locks', () => {}],
    ['a storage lease', withoutWebLocks],
  ])('two idle pages of another collector, a closed tab’s queue for a collector that is down (%s): one page holds it, the other asks for no lock every heartbeat, and it is delivered once when the collector is back', async (_, locking) => {
    const { tab } = origin()
    const B = 'https://b.example.com'
    let down = true
    const accepted: string[] = []
    const collector = (p: FakePlatform) => (p.respond = (req) => (req.url.startsWith(B) && down ? 'network-error' : (accepted.push(...idsIn([req])), { status: 200 })))
    const left = await closedWithUnsent(tab, 2, { endpoint: B })
    const one = tab({}, (p) => (locking(p), collector(p)))
    const two = tab({}, (p) => (locking(p), collector(p)))
    linked(one.p, two.p)
    const asked = [lockCount(one.p), lockCount(two.p)]
    await run([one.p, two.p], ADOPT_AFTER_START_MS + HEARTBEAT_MS * 3)
    const before = asked.map((a) => a.locks)
    await run([one.p, two.p], 5 * 60_000)
    expect(asked.map((a, i) => a.locks - before[i])).toEqual([0, 0])
    down = false
    await run([one.p, two.p], 2 * 60_000)
    expect(accepted.sort()).toEqual(idsOf(left).sort())
  })

  it.each([
    ['Web Locks', () => {}],
    ['a storage lease', withoutWebLocks],
  ])('a page of another collector, idle beside a live tab that tracks all along (%s): the live tab’s writes cost it nothing, it looks at storage as often as a page that never heard of them', async (_, locking) => {
    const B = 'https://b.example.com'
    // What the idle page does to storage, with the live tab's writes told to it (as real tabs are) or not.
    async function looks(told: boolean) {
      const { tab } = origin()
      const live = tab({ endpoint: B }, locking)
      const page = tab({}, locking)
      if (told) linked(page.p, live.p)
      const n = { lists: 0, reads: 0, lockChecks: 0 }
      const { keys, get } = page.p.storage
      page.p.storage.keys = (prefix) => (n.lists++, keys(prefix))
      page.p.storage.get = (k) => (k.startsWith('linger:outbox:') && n.reads++, get(k))
      const heldLocks = page.p.heldLocks!
      page.p.heldLocks = () => (n.lockChecks++, heldLocks())
      for (let t = 0; t < 5 * 60_000; t += 2000) {
        live.track(1)
        await run([page.p, live.p], 2000)
      }
      return n
    }
    expect(await looks(true)).toEqual(await looks(false))
  })

  it('without Web Locks, a tab of the same collector that tracks on after the device’s clock was set back an hour, then crashes: this page sends its events within minutes, not an hour later', async () => {
    const { clock, tab } = origin()
    const crashed = tab({}, withoutWebLocks)
    // Its collector does not answer it: what it tracks stays in its outbox.
    crashed.p.respond = () => new Promise(() => {})
    const sent = crashed.track(1)
    await run([crashed.p], 2000)
    clock.now -= 3600_000
    const page = tab({}, withoutWebLocks)
    linked(page.p, crashed.p)
    // This page's first look reads that outbox as written before the clock went back: alive, it
    // seems, for another hour. The tab's writes since say when it really is alive.
    await run([page.p, crashed.p], 3000)
    for (let i = 0; i < 12; i++) {
      sent.push(...crashed.track(1))
      await run([page.p, crashed.p], 5000)
    }
    crashed.p.close()
    await run([page.p], 3 * 60_000)
    expect(new Set(idsIn(page.p.requests))).toEqual(new Set(idsOf(sent)))
  })

  it('a queue whose key spells its collector otherwise than this release would (a fragment left in) still reaches that collector, and leaves no key behind', async () => {
    const { shared, tab } = origin()
    const left = await closedWithUnsent(tab, 2, { endpoint: 'https://old.example.com' })
    const [key] = outboxKeys(shared)
    const spelled = encodeURIComponent('https://old.example.com/v1/batch')
    shared.set(key.replace(spelled, spelled + encodeURIComponent('#top')), shared.get(key)!)
    shared.delete(key)
    const page = tab()
    await run([page.p], ADOPT_AFTER_START_MS + HEARTBEAT_MS * 2)
    expect(page.p.requests.map((r) => r.url)).toEqual(['https://old.example.com/v1/batch'])
    expect(idsIn(page.p.requests)).toEqual(idsOf(left))
    expect(outboxKeys(shared)).toEqual([])
  })

  it('a page going into the back/forward cache while it sends what gone tabs left for an unreachable collector holds no Web Lock, and holds them again once shown', async () => {
    const { tab } = origin()
    await closedWithUnsent(tab, 2, { endpoint: 'https://old.example.com' })
    const held = new Set<string>()
    const page = tab({}, (p) => {
      p.respond = (req) => (req.url.startsWith(ENDPOINT) ? { status: 200 } : 'network-error')
      const hold = p.holdLock!
      p.holdLock = (name) => {
        held.add(name)
        const letGo = hold(name)
        return () => (held.delete(name), letGo())
      }
    })
    page.p.onPageHide!(() => page.d.flushOnHide(true))
    page.track(1)
    await run([page.p], ADOPT_AFTER_START_MS + HEARTBEAT_MS)
    // Its own tab's lock, and the one of its delivery to the old collector.
    expect(held.size).toBe(2)
    page.p.pageHide()
    expect([...held]).toEqual([])
    page.p.show()
    expect(held.size).toBe(2)
  })

  it('a closed tab’s events queued 8 days ago for a collector that is up reach it from a page of another collector, as a page of theirs would have sent them, not dropped unsent', async () => {
    const { shared, clock, tab } = origin()
    const X = 'https://x.example.com'
    // Offline as it closed: its tries failed, and that wait is still in storage.
    const gone = tab({ endpoint: X }, (p) => (p.respond = () => 'network-error'))
    const left = gone.track(3)
    await gone.p.advance(10_000)
    expect(gone.p.requests.length).toBeGreaterThan(0)
    gone.p.close()
    // The user was away for 8 days; X answers 200 again.
    clock.now += 8 * 24 * 3600_000
    const page = tab({ endpoint: 'https://z.example.com' }, (p) => (p.respond = () => ({ status: 200 })))
    await run([page.p], ADOPT_AFTER_START_MS + HEARTBEAT_MS * 2)
    expect(page.drops).toEqual([])
    expect(idsIn(page.p.requests.filter((r) => r.url === `${X}/v1/batch`))).toEqual(idsOf(left))
    expect(outboxKeys(shared)).toEqual([])
  })

  it('a page that took in closed tabs’ queues (for its collector and another) lets go of their tabs’ locks as the user leaves: Back to one of those pages does not evict this one from the back/forward cache', async () => {
    const { tab } = origin()
    await closedWithUnsent(tab, 2)
    await closedWithUnsent(tab, 2, { endpoint: 'https://old.example.com' })
    const locks = new Set<string>()
    const page = tab({}, (p) => {
      p.respond = () => ({ status: 200 })
      const withLock = p.withLock!
      p.withLock = (name, fn) =>
        withLock(name, async () => {
          locks.add(name)
          try {
            await fn()
          } finally {
            locks.delete(name)
          }
        })
    })
    page.p.onPageHide!(() => page.d.flushOnHide(true))
    await run([page.p], ADOPT_AFTER_START_MS + HEARTBEAT_MS * 2)
    const tabLocks = () => [...locks].filter((n) => n.startsWith('linger-tab-'))
    // Kept while the page lives: a tab still seeing a stale copy of a queue cannot take it again.
    expect(tabLocks()).toHaveLength(2)
    page.p.pageHide()
    await page.p.advance(0)
    expect(tabLocks()).toEqual([])
  })

  it('after an opt-out, what gone tabs left for another collector is dropped too, not kept nor sent', async () => {
    const { shared, tab } = origin()
    const left = await closedWithUnsent(tab, 3, { endpoint: 'https://other.example.com' })
    const open = tab({}, (p) => (p.respond = () => ({ status: 200 })))
    open.d.clear()
    await run([open.p], 60_000)
    expect(open.p.requests).toEqual([])
    expect(outboxKeys(shared)).toEqual([])
    expect(JSON.stringify([...shared.values()])).not.toContain(left[0].messageId)
  })

  it('the same collector spelled another way (host case, :443, HTTPS://, or the page’s origin by default) finds the queue a closed tab left for it', async () => {
    for (const [spelled, now] of [
      ['https://Collect.Example.com', ENDPOINT],
      ['HTTPS://collect.example.com:443/', ENDPOINT],
      [ENDPOINT, 'https://collect.example.com:443'],
    ]) {
      const { tab } = origin()
      const left = await closedWithUnsent(tab, 2, { endpoint: spelled })
      const page = tab({ endpoint: now })
      await run([page.p], ADOPT_AFTER_START_MS + 5000)
      expect(page.p.requests.map((r) => r.url)).toEqual([`${ENDPOINT}/v1/batch`])
      expect(idsIn(page.p.requests)).toEqual(idsOf(left))
    }
  })

  it('a collector that fails for the tab sending there does not hold back a tab sending to another one', async () => {
    const { tab } = origin()
    const down = tab({ endpoint: 'https://typo.example.com' }, (p) => (p.respond = () => 'network-error'))
    const up = tab()
    down.track(1)
    await run([down.p, up.p], 2500)
    const sent = up.track(1)
    await run([down.p, up.p], 2500)
    expect(idsIn(up.p.requests)).toEqual(idsOf(sent))
  })

  it('a 429’s wait the previous release kept (per write key) still holds after the upgrade, and its key is not left behind', async () => {
    const { shared, tab } = origin()
    shared.set(`linger:backoff:${KEY}`, JSON.stringify({ failures: 1, retryAt: START + 60_000, status: 429, at: START }))
    const page = tab({}, (p) => (p.respond = () => ({ status: 200 })))
    const events = page.track(2)
    await run([page.p], 5000)
    expect(page.p.requests).toEqual([])
    await run([page.p], 60_000)
    expect(idsIn(page.p.requests)).toEqual(idsOf(events))
    expect(shared.has(`linger:backoff:${KEY}`)).toBe(false)
  })

  it('a 429 in one tab holds back the other too', async () => {
    const { tab } = origin()
    const a = tab({}, (p) => (p.respond = answers({ status: 429, headers: { 'Retry-After': '60' } }, { status: 200 })))
    const b = tab()
    a.track(1)
    b.track(1)
    await run([a.p, b.p], 2000)
    expect(a.p.requests).toHaveLength(1)
    await run([a.p, b.p], 59_950)
    expect(b.p.requests).toHaveLength(0)
    await run([a.p, b.p], 100)
    expect([a.p.requests.length, b.p.requests.length]).toEqual([2, 1])
  })

  /**
   * A page that left with two events unsent (its collector answered 503), replaced by a page whose
   * copy of storage does not hold that outbox yet and that hears no storage event for it, until
   * `reappear()`.
   */
  async function replacedUnseen() {
    const { shared, tab } = origin()
    const gone = tab({}, (p) => (p.respond = () => ({ status: 503 })))
    const events = gone.track(2)
    await run([gone.p], 2500)
    gone.d.flushOnHide(true)
    gone.p.close()
    const left = new Map([...shared].filter(([k]) => k.startsWith('linger:outbox:')))
    left.forEach((_, k) => shared.delete(k))
    return { tab, events, reappear: () => left.forEach((v, k) => shared.set(k, v)) }
  }

  it('a page whose copy of storage did not yet hold the outbox of the page it replaced still sends it, a heartbeat later', async () => {
    const { tab, events, reappear } = await replacedUnseen()
    const next = tab({}, (p) => (p.respond = () => ({ status: 200 })))
    await run([next.p], 1000)
    reappear()
    await run([next.p], HEARTBEAT_MS + 5000)
    expect(idsIn(next.p.requests)).toEqual(idsOf(events))
  })

  it('… also when its sending code came after its own first write (only other tabs’ outboxes make it look sooner)', async () => {
    const { tab, events, reappear } = await replacedUnseen()
    const late = lateSender()
    const next = tab({ sender: late.sender }, (p) => (p.respond = () => ({ status: 200 })))
    next.track(1)
    await run([next.p], WRITE_DELAY_MS + 200)
    late.arrive()
    await run([next.p], 1000)
    reappear()
    await run([next.p], HEARTBEAT_MS + 5000)
    expect(idsIn(next.p.requests)).toEqual(expect.arrayContaining(idsOf(events)))
  })

  it('a reload under a collector in trouble: the new page starts before the old one is gone, and still sends the old one’s events', async () => {
    const { tab } = origin()
    const old = tab({ flushIntervalMs: 200 }, (p) => (p.respond = () => ({ status: 503 })))
    const events = old.track(1)
    await run([old.p], 800)
    old.d.flushOnHide(true)
    const next = tab({ flushIntervalMs: 200 }, (p) => (p.respond = () => ({ status: 200 })))
    // The new page looks (once its start-up is over) while the old one is still there.
    await run([next.p], ADOPT_AFTER_START_MS + 100)
    old.p.close()
    await run([next.p], 20_000)
    expect(idsIn(next.p.requests)).toEqual(idsOf(events))
  })

  it('after an opt-out, what a gone tab left is dropped, even when this tab tracks again before it looked', async () => {
    const { shared, tab } = origin()
    await closedWithUnsent(tab)
    const open = tab({}, (p) => (p.respond = () => ({ status: 200 })))
    open.d.clear()
    // Opted in again at once: only what is tracked from now on is the user's to send.
    const after = open.track(1)
    await run([open.p], 60_000)
    expect(idsIn(open.p.requests)).toEqual(idsOf(after))
    expect(outboxKeys(shared)).toEqual([])
  })

  it('after an opt-out and an opt-in, a gone tab’s events from before the opt-out are dropped and those from after it are sent', async () => {
    const { tab } = origin()
    const open = tab({}, (p) => (p.respond = () => ({ status: 200 })))
    const other = tab({}, (p) => (p.respond = () => 'network-error'))
    const before = other.track(1)
    await run([open.p, other.p], WRITE_DELAY_MS)
    open.d.clear()
    await run([open.p, other.p], 50)
    // Opted in again in the other tab, which then closes with its events unsent; this tab has
    // queued nothing since.
    const after = other.track(2)
    await run([other.p], WRITE_DELAY_MS)
    other.p.close()
    await run([open.p], 60_000)
    const sent = idsIn(open.p.requests)
    expect(sent).toEqual(idsOf(after))
    expect(sent).not.toContain(before[0].messageId)
  })

  it('an opt-out holds for the next page: what a gone tab queued before it is dropped there, though the page that opted out left before it looked', async () => {
    const { shared, tab } = origin()
    await closedWithUnsent(tab)
    const optingOut = tab()
    optingOut.d.clear()
    optingOut.p.close()
    // The next page, after an opt-in.
    const next = tab({}, (p) => (p.respond = () => ({ status: 200 })))
    const mine = next.track(1)
    await run([next.p], 60_000)
    expect(idsIn(next.p.requests)).toEqual(idsOf(mine))
    expect(outboxKeys(shared)).toEqual([])
  })

  it('without Web Locks, a lease left by a tab that died while adopting holds back adoption, not this tab’s own events', async () => {
    const { shared, tab } = origin()
    // A tab that died mid-adoption: its outbox is left, and so is its lease (it lapses after CLAIM_MS).
    shared.set(`linger:lease:linger-send-${KEY}`, JSON.stringify({ by: 'dead-tab', until: START + CLAIM_MS }))
    const gone = tab({}, withoutWebLocks)
    const orphaned = gone.track(2)
    gone.d.flushOnHide()
    gone.p.close()
    const open = tab({}, (p) => (withoutWebLocks(p), (p.respond = () => ({ status: 200 }))))
    const own = open.track(1)
    // Its own event leaves with the flush interval, while the lease still stands.
    await run([open.p], 2500)
    expect(idsIn(open.p.requests)).toEqual(idsOf(own))
    // Once the lease and the dead tab's claim lapse, its events are adopted and sent, once.
    await run([open.p], CLAIM_MS + 10_000)
    expect(idsIn(open.p.requests).sort()).toEqual(idsOf([...own, ...orphaned]).sort())
  })

  it('without Web Locks, an open tab keeps its outbox by saying it is alive, and a silent one is adopted', async () => {
    const { shared, tab } = origin()
    // A long wait: the owner has nothing to send for 100 s, only to say it is alive.
    const owner = tab({}, (p) => (withoutWebLocks(p), (p.respond = () => ({ status: 429, headers: { 'Retry-After': '100' } }))))
    const events = owner.track(2)
    // The other tab opens once the owner's queue is in storage (writes follow a burst by WRITE_DELAY_MS).
    await owner.p.advance(WRITE_DELAY_MS)
    const other = tab({}, withoutWebLocks)
    await run([owner.p, other.p], 120_000)
    expect([owner.d.pending(), other.d.pending()]).toEqual([2, 0])
    owner.p.close()
    // It last said so at most 10 s ago, and counts as gone after 30 s of silence.
    await run([other.p], 19_000)
    expect(other.d.pending()).toBe(0)
    await run([other.p], 12_000)
    expect(other.d.pending()).toBe(2)
    await run([other.p], 100_000)
    expect(idsIn(other.p.requests)).toEqual(idsOf(events))
    expect(outboxKeys(shared)).toEqual([])
  })

  it('clear() after an opt-out also drops what a closed tab left behind, so no page sends it', async () => {
    const { shared, tab } = origin()
    const gone = tab({}, (p) => (p.respond = () => 'network-error'))
    gone.track(3)
    await gone.p.advance(2000)
    gone.p.close()
    const open = tab()
    open.d.clear()
    await open.p.advance(60_000)
    const next = tab()
    await next.p.advance(60_000)
    expect([...open.p.requests, ...next.p.requests]).toEqual([])
    expect(outboxKeys(shared)).toEqual([])
  })

  it('an outbox a closed tab left damaged (a claim with no time, a row with no queuedAt) stalls nothing: its events and this tab’s arrive, once each', async () => {
    const { shared, tab } = origin()
    const p = createFakePlatform({ shared })
    const old = (event: string) => envelope(p, { anonymousId: 'anon-0' }, { type: 'track', event, properties: {} })
    const [claimed, undated] = [old('Claimed Long Ago'), old('Undated')]
    // What another script, an extension or a half-written copy can leave under a tab's key.
    shared.set(`linger:outbox:${KEY}:gone-tab`, JSON.stringify({ alive: 0, items: [{ event: claimed, queuedAt: START - 60_000, claim: { by: 'gone-tab', until: 'soon' } }, { event: undated }] }))
    const open = tab()
    const mine = open.track(2)
    await open.p.advance(60_000)
    expect(idsIn(open.p.requests).sort()).toEqual(idsOf([claimed, undated, ...mine]).sort())
    expect(open.d.pending()).toBe(0)
    expect(open.drops).toEqual([])
  })

  it('a damaged row whose clock record is no time: every event of the outbox arrives once, and the adopter’s outbox still reads back', async () => {
    const { shared, clock, tab } = origin()
    const left = await closedWithUnsent(tab, 2)
    const [key] = outboxKeys(shared)
    // Each row with a `back` (how far the clock was set back) that is no time: one past any date,
    // one past what a number holds (JSON reads it as Infinity).
    const s = JSON.parse(shared.get(key)!)
    const rows = s.items.map((row: unknown[]) => JSON.stringify(row).slice(0, -1))
    shared.set(key, JSON.stringify({ ...s, items: [] }).replace('"items":[]', `"items":[${rows[0]},0,1e300],${rows[1]},0,1e309]]`))
    // The tab that adopts it, with performance.now() as a page has it; its collector down a while.
    const openedAt = clock.now
    const elapsed = () => clock.now - openedAt
    const open = tab({ elapsed }, (p) => ((p.respond = () => 'network-error'), (p.elapsed = elapsed)))
    await run([open.p], ADOPT_AFTER_START_MS + 1000)
    expect(outboxKeys(shared)).toHaveLength(1)
    // Were this page to close now, the next one would find both events.
    expect(readOutbox(open.p.storage, outboxKeys(shared)[0]).items.map((i) => i.event.messageId).sort()).toEqual(idsOf(left).sort())
    let delivered: string[] = []
    open.p.respond = (req) => ((delivered = [...delivered, ...idsIn([req])]), { status: 200 })
    await run([open.p], 10 * 60_000)
    expect(delivered.sort()).toEqual(idsOf(left).sort())
    expect(open.errors).toEqual([])
  })

  it('a damaged row whose queue time is past what a number holds: its events arrive, and the adopter’s outbox still reads back', async () => {
    const { shared, tab } = origin()
    const left = await closedWithUnsent(tab, 2)
    const [key] = outboxKeys(shared)
    const s = JSON.parse(shared.get(key)!)
    // A time written as another script would (not the form this runtime writes), and a queuedAt JSON reads as Infinity.
    s.items[0][1] = '2026-03-02T10:00:00Z'
    s.items[0][4] = 'QUEUED'
    shared.set(key, JSON.stringify(s).replace('"QUEUED"', '1e309'))
    const open = tab({}, (p) => (p.respond = () => 'network-error'))
    await run([open.p], ADOPT_AFTER_START_MS + 1000)
    expect(readOutbox(open.p.storage, outboxKeys(shared)[0]).items.map((i) => i.event.messageId).sort()).toEqual(idsOf(left).sort())
    let delivered: string[] = []
    open.p.respond = (req) => ((delivered = [...delivered, ...idsIn([req])]), { status: 200 })
    await run([open.p], 10 * 60_000)
    expect(delivered.sort()).toEqual(idsOf(left).sort())
  })
})

describe('before the sending code is here (it loads with the runtime’s start)', () => {
  function early() {
    const late = lateSender()
    const s = setup({ sender: late.sender })
    s.p.onHide(() => s.d.flushOnHide())
    return { ...s, ...late }
  }

  it('events wait in the outbox, and leave as soon as it is here, once each', async () => {
    const { p, d, track, arrive } = early()
    const events = track(3)
    await p.advance(5000)
    expect(p.requests).toHaveLength(0)
    expect(d.pending()).toBe(3)
    arrive()
    // They have waited more than the flush interval since they were queued: due at once.
    await p.advance(0)
    expect(idsIn(p.requests)).toEqual(idsOf(events))
    await p.advance(60_000)
    expect(p.requests).toHaveLength(1)
    expect(d.pending()).toBe(0)
  })

  it('a page hidden first hands its events to a keepalive request and writes them where the next page reads them; the answer settles them as it comes', async () => {
    const { p, d, track, arrive } = early()
    const waiting = held(p)
    const events = track(2)
    p.hide()
    expect(p.requests).toHaveLength(1)
    expect(p.requests[0].init.keepalive).toBe(true)
    expect(idsIn(p.requests)).toEqual(idsOf(events))
    // Stored for whoever adopts them if the page dies now, claimed by the request under way.
    const stored = readOutbox(p.storage, outboxKeys(p.storageMap)[0])
    expect(stored.items.map((i) => i.event.messageId)).toEqual(idsOf(events))
    expect(stored.items.every((i) => i.claim)).toBe(true)
    waiting[0]({ status: 200 })
    await p.advance(1000)
    arrive()
    p.respond = () => ({ status: 200 })
    await p.advance(10 * 60_000)
    expect(p.requests).toHaveLength(1)
    expect(d.pending()).toBe(0)
    expect(outboxKeys(p.storageMap)).toEqual([])
  })

  it('a 429 answered before it came holds every tab back at once, and the sender too once it is here', async () => {
    const { p, track, arrive } = early()
    p.respond = answers({ status: 429, headers: { 'Retry-After': '120' } }, { status: 200 })
    const events = track(2)
    p.hide()
    await p.advance(0)
    expect(JSON.parse(p.storageMap.get(BACKOFF)!).retryAt).toBe(START + 120_000)
    await p.advance(1000)
    arrive()
    await p.advance(100_000)
    expect(p.requests).toHaveLength(1)
    await p.advance(30_000)
    expect(p.requests).toHaveLength(2)
    expect(idsIn(p.requests.slice(1))).toEqual(idsOf(events))
  })

  it('flush() hands the queue over at once and resolves once answered, the answer applied', async () => {
    const { p, d, track, arrive } = early()
    const events = track(3)
    await d.flush()
    expect(idsIn(p.requests)).toEqual(idsOf(events))
    expect(d.pending()).toBe(0)
    arrive()
    await p.advance(0)
    expect(d.pending()).toBe(0)
    await p.advance(60_000)
    expect(p.requests).toHaveLength(1)
  })

  it('flush() on a page that lives on gives beacons nothing (they cannot be retried): what is over the keepalive quota waits for it', async () => {
    const { p, d, track, arrive } = early()
    const events = track(40, { note: 'x'.repeat(4000) })
    await d.flush()
    expect(p.beacons).toHaveLength(0)
    const first = idsIn(p.requests)
    expect(first.length).toBeGreaterThan(0)
    expect(first.length).toBeLessThan(events.length)
    // What the collector took left the queue as the answer came, not once the sender is here.
    expect(d.pending()).toBe(events.length - first.length)
    arrive()
    await p.advance(60_000)
    expect(idsIn(p.requests).sort()).toEqual(idsOf(events).sort())
    expect(d.pending()).toBe(0)
  })

  it('flush() honours the collector’s wait even where storage refuses the outbox', async () => {
    const { p, d, track } = early()
    p.storageMap.set(BACKOFF, JSON.stringify({ failures: 1, retryAt: START + 600_000 }))
    const set = p.storage.set
    p.storage.set = (k, v) => (k.startsWith('linger:outbox:') ? false : set(k, v))
    track(2)
    await p.advance(WRITE_DELAY_MS)
    await d.flush()
    expect(p.requests).toHaveLength(0)
  })

  it('if it never loads, that is reported once, and the queue still leaves: on its own, and when the page is hidden, once each', async () => {
    const { p, d, errors, track, fail } = early()
    const events = track(2)
    fail(new Error('chunk failed to load'))
    await p.advance(0)
    expect(errors.map((e) => [e.code, e.message])).toEqual([['internal', 'delivery: sender: Error: chunk failed to load']])
    // A page that stays open (a dashboard left on) does not keep its queue until it is hidden.
    expect(idsIn(p.requests)).toEqual(idsOf(events))
    expect(p.requests[0].init.keepalive).toBe(true)
    await p.advance(60_000)
    expect(p.requests).toHaveLength(1)
    expect(d.pending()).toBe(0)
    const later = track(1)
    p.hide()
    expect(idsIn(p.requests.slice(1))).toEqual(idsOf(later))
    // The collector took them: the next time the page is hidden they are not sent again.
    await p.advance(CLAIM_MS + 1000)
    p.hide()
    expect(p.requests).toHaveLength(2)
    expect(d.pending()).toBe(0)
    expect(errors).toHaveLength(1)
  })

  it('a page that navigates right after flush() resolved leaves nothing delivered behind for the next page to send again', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const late = lateSender()
    const first = setup({ platform: createFakePlatform({ shared, clock, seed: 1 }), sender: late.sender })
    first.p.onPageHide!(() => first.d.flushOnHide(true))
    const events = first.track(2)
    // An OAuth redirect, a sign-out page: flush(), then away.
    await first.d.flush()
    expect(first.d.pending()).toBe(0)
    first.p.pageHide()
    first.p.close()
    const next = setup({ platform: createFakePlatform({ shared, clock, seed: 2 }) })
    for (let t = 0; t < CLAIM_MS + 20_000; t += 1000) await next.p.advance(1000)
    expect(idsIn(first.p.requests)).toEqual(idsOf(events))
    expect(next.p.requests).toHaveLength(0)
  })

  it('a 429 answered before it came holds this page’s next flush() back, and once it is here the collector’s own wait applies', async () => {
    const { p, d, track, arrive } = early()
    p.respond = answers({ status: 429, headers: { 'Retry-After': '120' } }, { status: 200 })
    const events = track(2)
    await d.flush()
    const more = track(2)
    await p.advance(1000)
    await d.flush()
    expect(p.requests).toHaveLength(1)
    arrive()
    await p.advance(100_000)
    expect(p.requests).toHaveLength(1)
    await p.advance(30_000)
    expect(idsIn(p.requests.slice(1)).sort()).toEqual(idsOf([...events, ...more]).sort())
    expect(d.pending()).toBe(0)
  })

  it('an answer slower than the claim does not free what a newer request still carries', async () => {
    const { p, track, arrive } = early()
    const [event] = track(1)
    const waiting = held(p)
    p.hide()
    // A hidden tab's timers run late: that request is still unanswered when its claim lapses, and
    // the queue leaves again without the sender.
    await p.advance(CLAIM_MS + HEARTBEAT_MS)
    expect(p.requests).toHaveLength(2)
    waiting[0]({ status: 503 })
    arrive()
    await p.advance(5000)
    expect(idsIn(p.requests).filter((id) => id === event.messageId)).toHaveLength(2)
    waiting[1]({ status: 200 })
    await p.advance(60_000)
    expect(idsIn(p.requests).filter((id) => id === event.messageId)).toHaveLength(2)
  })

  it('a chunk that never comes: the queue leaves on its own after a while, and what the collector took is neither kept nor dropped', async () => {
    const { p, d, drops, track } = early()
    const events = track(5)
    await p.advance(HEARTBEAT_MS - 1)
    expect(p.requests).toHaveLength(0)
    await p.advance(1)
    expect(idsIn(p.requests)).toEqual(idsOf(events))
    // A bounded outbox filled by delivered events would drop (and report) events not yet sent.
    const tight = setup({ sender: lateSender().sender, maxQueue: 10 })
    const sent: LingerEvent[] = []
    for (let round = 0; round < 3; round++) {
      sent.push(...tight.track(5))
      await tight.d.flush()
      await tight.p.advance(CLAIM_MS + 1)
    }
    expect(tight.drops).toEqual([])
    expect(tight.d.pending()).toBe(0)
    expect(idsIn(tight.p.requests).sort()).toEqual(idsOf(sent).sort())
    expect(drops).toEqual([])
    expect(d.pending()).toBe(0)
  })

  it.each([
    { form: 'in seconds', retryAfter: '610' },
    { form: 'as a date', retryAfter: new Date(START + 10 * 60_000 + HEARTBEAT_MS).toUTCString() },
  ])('a chunk that failed: the collector’s Retry-After ($form) holds the page back, and every other tab', async ({ retryAfter }) => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const late = lateSender()
    const { p, track } = setup({ platform: createFakePlatform({ shared, clock, seed: 1 }), sender: late.sender })
    p.respond = answers({ status: 429, headers: { 'Retry-After': retryAfter } }, { status: 200 })
    track(2)
    late.fail(new Error('chunk failed to load'))
    await p.advance(HEARTBEAT_MS)
    expect(p.requests).toHaveLength(1)
    // Another tab (or the next page) of the same site honours it too.
    const other = setup({ platform: createFakePlatform({ shared, clock, seed: 2 }) })
    other.track(1)
    await other.p.advance(590_000)
    await p.advance(0)
    expect(p.requests).toHaveLength(1)
    expect(other.p.requests).toHaveLength(0)
    await other.p.advance(20_000)
    await p.advance(0)
    expect(p.requests).toHaveLength(2)
    expect(other.p.requests).toHaveLength(1)
  })

  it('a 4xx answered before it came (the chunk failed) drops the batch and says so', async () => {
    const { p, d, errors, track, fail } = early()
    p.respond = () => ({ status: 401 })
    track(2)
    fail(new Error('chunk failed to load'))
    await p.advance(0)
    expect(p.requests).toHaveLength(1)
    expect(errors.map((e) => e.code)).toEqual(['internal', 'rejected'])
    expect(errors[1].message).toBe('the collector rejected 2 event(s) with HTTP 401')
    expect(d.pending()).toBe(0)
  })

  it('stop() leaves no timer of its own behind, nor does a sender that came', async () => {
    const pending = (p: FakePlatform) => {
      const ids = new Set<unknown>()
      const [set, clear] = [p.setTimeout.bind(p), p.clearTimeout.bind(p)]
      p.setTimeout = (fn, ms) => {
        const id: unknown = set(() => (ids.delete(id), fn()), ms)
        ids.add(id)
        return id
      }
      p.clearTimeout = (id) => (ids.delete(id), clear(id))
      return ids
    }
    const stalled = createFakePlatform()
    const waiting = pending(stalled)
    setup({ platform: stalled, sender: lateSender().sender }).d.stop()
    expect(waiting.size).toBe(0)
    const arrived = createFakePlatform()
    const timers = pending(arrived)
    const late = lateSender()
    const { d } = setup({ platform: arrived, sender: late.sender })
    late.arrive()
    await arrived.advance(0)
    d.stop()
    expect(timers.size).toBe(0)
  })

  it.each([{ sender: 'still missing' }, { sender: 'here since' }])('flush() waits for what is already on its way (the sender $sender): a page that navigates once it resolved leaves nothing for the next page to send again', async ({ sender }) => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const late = lateSender()
    const first = setup({ platform: createFakePlatform({ shared, clock, seed: 1 }), sender: late.sender })
    first.p.onPageHide!(() => first.d.flushOnHide(true))
    first.p.respond = () => new Promise((r) => first.p.setTimeout(() => r({ status: 200 }), 300))
    const events = first.track(2)
    // A stalled chunk: the queue is on its way without it, answered in 300 ms.
    await first.p.advance(HEARTBEAT_MS)
    expect(first.p.requests).toHaveLength(1)
    if (sender === 'here since') {
      late.arrive()
      await first.p.advance(0)
    }
    let resolved = false
    const flushed = first.d.flush().then(() => (resolved = true))
    await first.p.advance(100)
    expect(resolved).toBe(false)
    await first.p.advance(200)
    await flushed
    expect(first.d.pending()).toBe(0)
    first.p.pageHide()
    first.p.close()
    const next = setup({ platform: createFakePlatform({ shared, clock, seed: 2 }) })
    for (let t = 0; t < CLAIM_MS + 20_000; t += 1000) await next.p.advance(1000)
    expect(idsIn(next.p.requests).filter((id) => idsOf(events).includes(id))).toEqual([])
    expect(first.p.requests).toHaveLength(1)
  })

  it('a chunk that never comes: a tab without Web Locks still tells the others it is alive, so none sends its queue again', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const bare = (seed: number) => {
      const p = createFakePlatform({ shared, clock, seed })
      p.withLock = undefined
      p.holdLock = undefined
      return p
    }
    const stalled = setup({ platform: bare(1), sender: lateSender().sender })
    // Its requests never come back: its events stay claimed, then queued.
    held(stalled.p)
    const events = stalled.track(2)
    const other = setup({ platform: bare(2) })
    for (let t = 0; t < 3 * CLAIM_MS; t += 1000) {
      await stalled.p.advance(0)
      await other.p.advance(1000)
    }
    expect(idsIn(other.p.requests).filter((id) => idsOf(events).includes(id))).toEqual([])
  })
})

describe('when the page is hidden', () => {
  const KIB64 = 64 * 1024

  function hidden() {
    const s = setup()
    s.p.onHide(() => s.d.flushOnHide())
    return s
  }

  it('a burst of tracks costs one storage write a second, and hiding the page right after it writes every event and hands it over', async () => {
    const { p, track } = hidden()
    const waiting = held(p)
    let writes = 0
    const set = p.storage.set
    p.storage.set = (k, v) => (k.startsWith('linger:outbox:') && writes++, set(k, v))
    // Ten tasks of ten events each, as a busy app tracks them; full batches leave at once.
    const events: LingerEvent[] = []
    for (let task = 0; task < 10; task++) {
      events.push(...track(10))
      await p.advance(20)
    }
    expect(p.requests.length).toBeGreaterThan(0)
    expect(writes).toBe(0)
    await p.advance(WRITE_DELAY_MS)
    expect(writes).toBe(1)
    events.push(...track(5))
    // The user leaves before the next write: storage holds every event, and all of them are on their way.
    p.hide()
    const stored = JSON.parse(p.storageMap.get(outboxKeys(p.storageMap)[0])!).items.map((row: unknown[]) => row[0])
    expect([...stored].sort()).toEqual(idsOf(events).sort())
    expect(idsIn(p.requests).sort()).toEqual(idsOf(events).sort())
    expect(waiting).toHaveLength(p.requests.length)
  })

  it('a page going away hands everything queued to keepalive requests within 64 KiB, and the rest to beacons', async () => {
    const { p, d, track } = hidden()
    p.onPageHide!(() => d.flushOnHide(true))
    const waiting = held(p)
    // Two-byte characters: the quota counts bytes, not characters.
    const events = track(40, { note: 'ü'.repeat(2000) })
    p.pageHide()
    const keepalive = p.requests
    expect(keepalive.length).toBeGreaterThan(0)
    for (const r of keepalive) expect(r.init.keepalive).toBe(true)
    expect(keepalive.reduce((n, r) => n + bytes(r.init.body!), 0)).toBeLessThanOrEqual(KIB64)
    expect(p.beacons.length).toBeGreaterThan(0)
    for (const b of p.beacons) {
      expect(b.url).toBe(`${ENDPOINT}/v1/batch`)
      expect(b.body.writeKey).toBe(KEY)
      expect(bytes(JSON.stringify(b.body))).toBeLessThanOrEqual(KIB64)
    }
    const handed = [...idsIn(keepalive), ...idsIn(p.beacons)]
    expect(handed.sort()).toEqual(idsOf(events).sort())
    expect(waiting).toHaveLength(keepalive.length)
  })

  it('a tab switched away from gives beacons a copy of what the keepalive quota cannot take, and keeps every event until the collector answers', async () => {
    const { p, d, track } = hidden()
    const waiting = held(p)
    const events = track(40, { note: 'x'.repeat(4000) })
    p.hide()
    expect(p.beacons.length).toBeGreaterThan(0)
    expect([...idsIn(p.requests), ...idsIn(p.beacons)].sort()).toEqual(idsOf(events).sort())
    // Nothing leaves the outbox on a beacon's word: it is never answered.
    expect(d.pending()).toBe(events.length)
    waiting.forEach((answer) => answer({ status: 200 }))
    p.respond = () => ({ status: 200 })
    await p.advance(60_000)
    expect(d.pending()).toBe(0)
  })
  it('a page that leaves while the collector is failing loses nothing to its beacons: the outbox keeps every event for the next page', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const first = setup({ platform: createFakePlatform({ shared, clock }) })
    first.p.onPageHide!(() => first.d.flushOnHide(true))
    first.p.onHide(() => first.d.flushOnHide())
    // The collector is down: the first send fails, and its retry hangs once the wait is over.
    first.p.respond = () => 'network-error'
    const early = first.track(2)
    await first.p.advance(2000)
    const waiting = held(first.p)
    await first.p.advance(60_000)
    expect(first.p.requests.length).toBeGreaterThan(1)
    const later = first.track(40, { note: 'x'.repeat(4000) })
    first.p.pageHide()
    expect(first.p.beacons.length).toBeGreaterThan(0)
    // The keepalive requests and the retry never come back, the beacons went into the outage.
    waiting.forEach((answer) => answer('network-error'))
    first.p.close()
    // The next page, with the collector back: every event arrives, none was thrown into the outage.
    const second = setup({ platform: createFakePlatform({ shared, clock, seed: 7 }) })
    await second.p.advance(5 * 60_000)
    const delivered = new Set(idsIn(second.p.requests))
    expect(idsOf([...early, ...later]).filter((id) => !delivered.has(id))).toEqual([])
  })

  it('where beacons share the keepalive quota (Chromium), the keepalive requests are not starved', async () => {
    const { p, d, track } = hidden()
    const waiting = held(p)
    // Chromium: keepalive fetches and beacons draw on one 64 KiB budget; whoever asks first wins.
    let inFlight = 0
    const request = p.request
    p.request = (url, init) => {
      const size = init.keepalive ? bytes(init.body!) : 0
      if (inFlight + size > KIB64) return Promise.reject(new TypeError('keepalive quota exceeded'))
      inFlight += size
      return request(url, init).finally(() => (inFlight -= size))
    }
    const beacon = p.beacon!
    p.beacon = (url, body) => (inFlight + bytes(body) > KIB64 ? false : ((inFlight += bytes(body)), beacon(url, body)))
    const events = track(40, { note: 'x'.repeat(4000) })
    p.hide()
    const onUnload = idsIn(p.requests)
    expect(onUnload.length).toBeGreaterThan(0)
    // The page lived on: the keepalive answer arrives, and the rest follows normally, once.
    waiting.forEach((answer) => answer({ status: 200 }))
    p.respond = () => ({ status: 200 })
    await p.advance(60_000)
    const sent = [...idsIn(p.requests), ...idsIn(p.beacons)]
    expect(sent.sort()).toEqual(idsOf(events).sort())
    expect(d.pending()).toBe(0)
  })

  it('a keepalive request that succeeded is never sent again', async () => {
    const { p, d, track } = hidden()
    const waiting = held(p)
    track(3)
    p.hide()
    p.hide() // pagehide and visibilitychange both fire on unload
    expect(p.requests).toHaveLength(1)
    waiting[0]({ status: 200 })
    await p.advance(10 * 60_000)
    expect(p.requests).toHaveLength(1)
    expect(d.pending()).toBe(0)
  })

  it('if the page lives on and the keepalive request failed, the events are retried with the same ids', async () => {
    const { p, d, track } = hidden()
    p.respond = answers('network-error', { status: 200 })
    const events = track(3)
    p.hide()
    await p.advance(60_000)
    expect(p.requests).toHaveLength(2)
    expect(p.requests[1].init.keepalive).toBeFalsy()
    expect(idsIn([p.requests[1]])).toEqual(idsOf(events))
    expect(d.pending()).toBe(0)
  })

  it('does not send again what a normal request already has in flight', async () => {
    const { p, track } = hidden()
    const waiting = held(p)
    const inFlight = track(2)
    await p.advance(2000)
    const fresh = track(1)
    p.hide()
    expect(idsIn(p.requests)).toEqual(idsOf([...inFlight, ...fresh]))
    waiting.forEach((answer) => answer({ status: 200 }))
    await p.advance(60_000)
    expect(p.requests).toHaveLength(2)
  })

  it('without sendBeacon, what exceeds the keepalive quota waits in the outbox for the next send', async () => {
    const { p, d, track } = hidden()
    p.beacon = undefined
    const waiting = held(p)
    const events = track(40, { note: 'x'.repeat(4000) })
    p.hide()
    const handed = idsIn(p.requests)
    expect(handed.length).toBeLessThan(events.length)
    expect(d.pending()).toBe(events.length)
    waiting.forEach((answer) => answer({ status: 200 }))
    p.respond = () => ({ status: 200 })
    await p.advance(60_000)
    const later = idsIn(p.requests.slice(waiting.length))
    expect([...handed, ...later].sort()).toEqual(idsOf(events).sort())
    expect(d.pending()).toBe(0)
  })

  it('keeps honouring a 429 wait, since the outbox will outlive the page', async () => {
    const { p, d, track } = hidden()
    p.respond = answers({ status: 429, headers: { 'Retry-After': '120' } }, { status: 200 })
    track(1)
    await p.advance(2000)
    p.hide()
    expect(p.requests).toHaveLength(1)
    expect(p.beacons).toHaveLength(0)
    expect(d.pending()).toBe(1)
  })
})

/** An offline tab whose storage refused one write (the host filled it for a moment), then works again. */
async function refusedOnce(shared: Map<string, string>, clock: { now: number }) {
  const tab = setup({ platform: createFakePlatform({ shared, clock, seed: 2 }) })
  tab.p.respond = () => 'network-error'
  tab.p.failStorage = true
  tab.track(1)
  await tab.p.advance(WRITE_DELAY_MS)
  tab.p.failStorage = false
  return tab
}

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
    const b = await refusedOnce(shared, clock)
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
    const b = await refusedOnce(shared, clock)
    const later = b.track(5)
    await b.p.advance(60_000)
    b.p.close() // a crash: no pagehide
    const c = setup({ platform: createFakePlatform({ shared, clock, seed: 3 }) })
    await c.p.advance(60_000)
    expect(idsIn(c.p.requests)).toEqual(expect.arrayContaining(later.map((e) => e.messageId)))
  })
})

describe('a device clock that is wrong, or set right while the page is open', () => {
  /** The device's clock, `skew` ms off the real time its timers run on (setTimeout does not follow the wall clock). */
  function skewed(p: FakePlatform) {
    const real = p.now
    const clock = { skew: 0 }
    p.now = () => real() + clock.skew
    return clock
  }

  /**
   * Where a collector places an event: its timestamp moved onto the collector's clock by
   * `receivedAt - sentAt` (the Segment rule; the reference collector's eventTime), the message's
   * own sentAt first, then the batch's, and never after it was received.
   */
  const placedAt = (event: any, body: any, receivedAt: number) =>
    Math.min(receivedAt, Date.parse(event.timestamp) + receivedAt - Date.parse(event.sentAt ?? body.sentAt))

  it('events queued offline on a clock an hour fast, sent once the clock was set right: the collector places each when it happened', async () => {
    const p = createFakePlatform()
    const real = p.now
    const device = skewed(p)
    device.skew = 60 * 60_000
    // performance.now(): setting the device's clock does not move it.
    const { track, errors } = setup({ platform: p, elapsed: () => real() - START })
    p.respond = () => 'network-error'
    const before = track(1)
    const happened = [real()]
    await p.advance(5 * 60_000)
    // Back online: the network time service puts the clock right, and the outage ends.
    device.skew = 0
    const after = track(1)
    happened.push(real())
    let receivedAt = NaN
    p.respond = () => ((receivedAt = real()), { status: 200 })
    await p.advance(2 * 60_000)
    const last = p.requests[p.requests.length - 1]
    const placed = new Map(last.body.batch.map((e: LingerEvent) => [e.messageId, placedAt(e, last.body, receivedAt) - receivedAt]))
    // Relative to when the collector got them.
    expect([...before, ...after].map((e) => placed.get(e.messageId))).toEqual(happened.map((t) => t - receivedAt))
    expect(errors).toEqual([])
  })

  it('a tab whose sending code never came, closed after its clock an hour fast was set right: the tab that adopts its events has the collector place each when it happened', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const HOUR = 60 * 60_000
    const gone = createFakePlatform({ shared, clock, seed: 1 })
    const device = skewed(gone)
    device.skew = HOUR
    // performance.now() is the page's own: it starts at 0 with each page.
    gone.elapsed = () => clock.now - START
    const a = setup({ platform: gone, elapsed: gone.elapsed, sender: lateSender().sender })
    // Offline meanwhile.
    gone.respond = () => 'network-error'
    const before = a.track(1)
    const happened = clock.now
    await gone.advance(60_000)
    device.skew = 0
    const after = a.track(1)
    await gone.advance(WRITE_DELAY_MS)
    gone.close()
    const open = createFakePlatform({ shared, clock, seed: 2 })
    const openedAt = clock.now
    open.elapsed = () => clock.now - openedAt
    let receivedAt = NaN
    open.respond = () => ((receivedAt = clock.now), { status: 200 })
    setup({ platform: open, elapsed: open.elapsed })
    await open.advance(HEARTBEAT_MS + 5000)
    const [req] = open.requests
    const placed = new Map(req.body.batch.map((e: LingerEvent) => [e.messageId, placedAt(e, req.body, receivedAt)]))
    expect([...before, ...after].map((e) => placed.get(e.messageId))).toEqual([happened, happened + 60_000])
  })

  it('a laptop that slept an hour with an event queued (its clock moved on, performance.now() did not): the collector places the event before the sleep, where it happened', async () => {
    const p = createFakePlatform()
    const HOUR = 60 * 60_000
    const asleepAt = START + 30_000
    // Stands still from asleepAt for the hour the laptop slept.
    const elapsed = () => Math.min(p.now(), asleepAt) - START + Math.max(0, p.now() - asleepAt - HOUR)
    const { d, track } = setup({ platform: p, elapsed, flushIntervalMs: 10 * HOUR })
    let receivedAt = NaN
    p.respond = () => ((receivedAt = p.now()), { status: 200 })
    const [event] = track(1)
    await p.advance(30_000 + HOUR + 5_000)
    await d.flush()
    const [req] = p.requests
    expect(placedAt(req.body.batch[0], req.body, receivedAt)).toBe(Date.parse(event.timestamp))
  })

  it('a full queue offline, then the clock set back an hour: the event tracked next is kept, the oldest is dropped', async () => {
    const p = createFakePlatform()
    const real = p.now
    const device = skewed(p)
    device.skew = 60 * 60_000
    const { d, drops, track } = setup({ platform: p, elapsed: () => real() - START, maxQueue: 3 })
    p.respond = () => 'network-error'
    const early = track(3)
    await p.advance(60_000)
    device.skew = 0
    const latest = track(1)
    await p.advance(1000)
    expect(drops).toEqual([[1, 'queue-full']])
    const delivered: Array<{ body: any }> = []
    p.respond = (req) => (delivered.push(req), { status: 200 })
    await p.advance(10 * 60_000)
    await d.flush()
    expect(idsIn(delivered)).toEqual(idsOf([...early.slice(1), ...latest]))
  })

  it('a page going away with a queue as large as keepalive takes, queued before the clock was set back: no request over the browser’s 64 KiB', async () => {
    const p = createFakePlatform()
    const real = p.now
    const device = skewed(p)
    device.skew = 60 * 60_000
    const { d, track } = setup({ platform: p, elapsed: () => real() - START, flushIntervalMs: 600_000 })
    track(200, { note: 'x'.repeat(400) })
    device.skew = 0
    d.flushOnHide(true)
    const keepalive = p.requests.filter((r) => r.init.keepalive)
    expect(keepalive.length).toBeGreaterThan(0)
    expect(keepalive.reduce((n, r) => n + bytes(r.init.body!), 0)).toBeLessThanOrEqual(KEEPALIVE_QUOTA)
    expect(keepalive.flatMap((r) => r.body.batch).every((e: any) => e.sentAt)).toBe(true)
  })

  it('a clock set back 30 minutes after a failed send: the retry goes after its backoff, not half an hour later', async () => {
    const p = createFakePlatform()
    const device = skewed(p)
    const { d, track } = setup({ platform: p })
    p.respond = answers('network-error', { status: 200 })
    track(1)
    await p.advance(2000)
    expect(p.requests).toHaveLength(1)
    // The user (or the network time service) puts a fast clock right.
    device.skew = -30 * 60_000
    await p.advance(5_000)
    expect(p.requests).toHaveLength(2)
    expect(d.pending()).toBe(0)
  })

  it.each([
    { clock: '10 minutes behind the server', skew: -10 * 60_000 },
    { clock: '10 minutes ahead of the server', skew: 10 * 60_000 },
  ])('a 503 saying "retry at <date>" on a device $clock waits the 45 s the server meant (its Date header is its now)', async ({ skew }) => {
    const p = createFakePlatform()
    const serverNow = p.now
    skewed(p).skew = skew
    const { d, track } = setup({ platform: p })
    let n = 0
    p.respond = () =>
      n++ ? { status: 200 } : { status: 503, headers: { Date: new Date(serverNow()).toUTCString(), 'Retry-After': new Date(serverNow() + 45_000).toUTCString() } }
    track(1)
    await p.advance(2000)
    expect(p.requests).toHaveLength(1)
    await p.advance(44_000)
    expect(p.requests).toHaveLength(1)
    await p.advance(2_000)
    expect(p.requests).toHaveLength(2)
    expect(d.pending()).toBe(0)
  })
})

describe('what the vendor is told was dropped', () => {
  it('a full tab adopting a closed tab’s outbox, handed to the collector as it closed: no event the collector got is reported dropped', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const got = new Set<string>()
    const collector = (p: FakePlatform) => (p.respond = (req) => (req.body.batch.forEach((e: LingerEvent) => got.add(e.messageId)), { status: 200 }))
    // Tab A queues 4 events and closes: they leave by keepalive, and the collector takes them,
    // but the page is gone before the answer, so its outbox in storage still holds them, claimed.
    const a = setup({ platform: createFakePlatform({ shared, clock, seed: 1 }) })
    const fromA = a.track(4)
    await a.p.advance(WRITE_DELAY_MS)
    a.p.respond = (req) => (req.body.batch.forEach((e: LingerEvent) => got.add(e.messageId)), new Promise(() => {}))
    a.d.flushOnHide(true)
    a.p.close()
    expect(fromA.every((e) => got.has(e.messageId))).toBe(true)
    // Tab B, bounded at 4, is hidden as A closes: its own 4 events are on their way by keepalive
    // to a slow collector as it adopts A's.
    const b = setup({ platform: createFakePlatform({ shared, clock, seed: 2 }), maxQueue: 4 })
    const waiting = held(b.p)
    const fromB = b.track(4)
    b.d.flushOnHide()
    await b.p.advance(ADOPT_AFTER_START_MS + 100)
    // A's outbox is B's now.
    expect(outboxKeys(shared)).toHaveLength(1)
    waiting.forEach((answer) => answer({ status: 200 }))
    fromB.forEach((e) => got.add(e.messageId))
    collector(b.p)
    await b.p.advance(60_000)
    const reported = b.drops.reduce((n, [count]) => n + count, 0)
    const lost = [...fromA, ...fromB].filter((e) => !got.has(e.messageId)).length
    expect(reported).toBe(lost)
  })
})

describe('a queue that grows old', () => {
  const DAY = 24 * 3600_000

  it('a laptop closed for 8 days with events unsent wakes before its network is back: the first try fails, and the events reach the collector once it is', async () => {
    const clock = { now: START }
    const { p, drops, track } = setup({ platform: createFakePlatform({ clock }) })
    const events = track(2)
    // The lid closes before the 2 s flush; the device sleeps (its timers with it).
    clock.now += 8 * DAY
    // Awake, the first request finds no network yet; a second later it is back.
    p.respond = answers('network-error', { status: 200 })
    await p.advance(2 * 60_000)
    expect(drops).toEqual([])
    expect(idsIn(p.requests.slice(1))).toEqual(idsOf(events))
  })

  it('a page whose browser says it is offline for hours after a week asleep keeps its events, and sends them once back online', async () => {
    const clock = { now: START }
    const { p, drops, track } = setup({ platform: createFakePlatform({ clock }) })
    const events = track(2)
    clock.now += 8 * DAY
    // A flight without Wi-Fi: every try fails, and the browser knows why.
    p.offline = true
    p.respond = () => 'network-error'
    await p.advance(3 * 3600_000)
    expect(drops).toEqual([])
    p.offline = false
    p.respond = () => ({ status: 200 })
    const before = p.requests.length
    await p.advance(2 * 60_000)
    expect(idsIn(p.requests.slice(before))).toEqual(idsOf(events))
    expect(drops).toEqual([])
  })

  it('events a tab left a week ago, adopted by the next page of their collector, which asks once to wait 5 s (429): all delivered, none dropped', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const gone = setup({ platform: createFakePlatform({ shared, clock, seed: 1 }) })
    gone.p.respond = () => 'network-error'
    const events = gone.track(3)
    await gone.p.advance(5 * 60_000)
    gone.p.close()
    clock.now += 8 * DAY
    const page = setup({ platform: createFakePlatform({ shared, clock, seed: 2 }) })
    page.p.respond = answers({ status: 429, headers: { 'Retry-After': '5' } }, { status: 200 })
    // The wait: 5 s, or longer as the failures the old tab counted say (up to a minute).
    await page.p.advance(ADOPT_AFTER_START_MS + 2 * 60_000)
    expect(page.drops).toEqual([])
    expect(idsIn(page.p.requests.slice(1)).sort()).toEqual(idsOf(events).sort())
  })

  it('a laptop woken a week on fails its first try, is closed again for a day, and then fails once more before its network is back: the events still reach the collector', async () => {
    const clock = { now: START }
    const { p, drops, track } = setup({ platform: createFakePlatform({ clock }) })
    const events = track(2)
    clock.now += 8 * DAY
    // Awake, no Wi-Fi yet: the first try fails, and the lid closes before the next.
    p.respond = () => 'network-error'
    while (!p.requests.length) await p.advance(100)
    clock.now += DAY
    // Awake again, the Wi-Fi a second late this time too.
    p.respond = answers('network-error', { status: 200 })
    await p.advance(2 * 60_000)
    expect(drops).toEqual([])
    expect(idsIn(p.requests.slice(-1))).toEqual(idsOf(events))
  })

  it('events a week old on a flaky network for 30 min, then told for 40 min to wait (429), then answered one 502: none dropped, all delivered once the collector takes them', async () => {
    const clock = { now: START }
    const { p, drops, track } = setup({ platform: createFakePlatform({ clock }) })
    const events = track(2)
    clock.now += 8 * DAY
    p.respond = () => 'network-error'
    await p.advance(30 * 60_000)
    // The collector is up, only busy: not a failure that says it does not take events.
    p.respond = () => ({ status: 429, headers: { 'Retry-After': '60' } })
    await p.advance(40 * 60_000)
    p.respond = answers({ status: 502 }, { status: 200 })
    const before = p.requests.length
    await p.advance(2 * 60_000)
    expect(drops).toEqual([])
    expect(idsIn(p.requests.slice(before + 1))).toEqual(idsOf(events))
  })

  it('a collector unreachable for an hour of tries drops its week-old events though the device clock was set a day back meanwhile', async () => {
    const clock = { now: START }
    // The device's clock, `skew` off the time its timers run on (setTimeout does not follow the wall clock).
    const device = createFakePlatform({ clock })
    const skew = { ms: 0 }
    device.now = () => clock.now + skew.ms
    const { p, drops, track } = setup({ platform: device })
    track(2)
    clock.now += 8 * DAY
    p.respond = () => 'network-error'
    await p.advance(20 * 60_000)
    // The network time service sets the clock a day back.
    skew.ms = -DAY
    await p.advance(30 * 60_000)
    expect(drops).toEqual([])
    await p.advance(20 * 60_000)
    expect(drops).toEqual([[2, 'expired']])
  })

  it('a page left open for more than a week, its collector unreachable though the browser is online, drops each event a week old once an hour of failed tries since showed that, reports it, and keeps sending the rest', async () => {
    const clock = { now: START }
    const { p, drops, track } = setup({ platform: createFakePlatform({ clock }) })
    p.respond = () => 'network-error'
    const first = track(2)
    await p.advance(5 * 60_000)
    // The laptop sleeps for days at a time (its timers with it), and the page tries again as it wakes.
    clock.now += 6 * DAY
    const later = track(1)
    await p.advance(5 * 60_000)
    clock.now = START + 7 * DAY - 5 * 60_000
    await p.advance(4 * 60_000)
    // Not a week old yet: nothing is given up.
    expect(drops).toEqual([])
    const tries = p.requests.length
    await p.advance(3 * 60_000)
    // A week old, its next try failed: one failure is no proof the collector is gone.
    expect(p.requests.length).toBeGreaterThan(tries)
    expect(idsIn(p.requests.slice(tries))).toEqual(expect.arrayContaining(idsOf(first)))
    expect(drops).toEqual([])
    await p.advance(AGED_FOR_MS - 5 * 60_000)
    expect(drops).toEqual([])
    // An hour of failed tries on: that was its last.
    await p.advance(10 * 60_000)
    expect(drops).toEqual([[2, 'expired']])
    p.respond = () => ({ status: 200 })
    const before = p.requests.length
    await p.advance(2 * 60_000)
    expect(idsIn(p.requests.slice(before))).toEqual(idsOf(later))
    expect(drops).toEqual([[2, 'expired']])
  })

  it('a page of another collector adopting what a closed tab left gives each event a try of its own before dropping it for age, though a wait the old tab was told runs past the week', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const old = setup({ platform: createFakePlatform({ shared, clock, seed: 1 }), endpoint: 'https://old.example.com' })
    old.p.respond = () => 'network-error'
    const events = old.track(3)
    await old.p.advance(5 * 60_000)
    // Its timers asleep with the laptop, the tab wakes days later, still offline.
    clock.now = START + 7 * DAY - 40 * 60_000
    await old.p.advance(60_000)
    // Its collector, busy, asks for an hour: a wait that ends after the events are a week old.
    old.p.respond = () => ({ status: 429, headers: { 'Retry-After': '3600' } })
    await old.p.advance(2 * 60_000)
    old.p.close()
    expect(old.drops).toEqual([])
    // A day later a page of another collector opens; the old one takes events again.
    clock.now += DAY
    const page = setup({ platform: createFakePlatform({ shared, clock, seed: 2 }) })
    page.p.respond = () => ({ status: 200 })
    await page.p.advance(ADOPT_AFTER_START_MS + HEARTBEAT_MS * 2)
    expect(page.drops).toEqual([])
    expect(idsIn(page.p.requests.filter((r) => r.url.startsWith('https://old.example.com')))).toEqual(idsOf(events))
  })
})

describe('an event too large for any request', () => {
  it('one event made 600 KB by its page address (its context): one clear error for it, the events around it delivered, nothing left stuck', async () => {
    const { p, d, errors, track } = setup()
    const LIMIT = 512 * 1024
    const got: string[] = []
    p.respond = (req) => (bytes(req.init.body!) > LIMIT ? { status: 413 } : (got.push(...req.body.batch.map((e: LingerEvent) => e.messageId)), { status: 200 }))
    const before = track(3)
    const huge = envelope(p, { anonymousId: 'anon-1' }, { type: 'track', event: 'Report Viewed' })
    // Its own page (events of one page may share one object): only this event is huge.
    huge.context = { ...huge.context, page: { ...huge.context.page, url: `https://app.example.com/r?state=${'x'.repeat(600_000)}` } }
    d.enqueue(huge)
    const after = track(3)
    // The page goes away and comes back meanwhile: its unload requests cannot take it either.
    d.flushOnHide()
    await p.advance(60_000)
    expect(got.sort()).toEqual(idsOf([...before, ...after]).sort())
    expect(errors).toEqual([expect.objectContaining({ code: 'rejected', details: { status: 413, count: 1 } })])
    expect(d.pending()).toBe(0)
  })
})

describe('the localStorage the host shares', () => {
  it('1,000 events of 4 KB queued offline leave the host room for its own 1 MB draft, and all of them arrive once online', async () => {
    const p = createFakePlatform()
    // An origin's quota, in characters of keys and values, as browsers count it.
    const QUOTA = 5_000_000
    const set = p.storage.set
    p.storage.set = (k, v) => [...p.storageMap].reduce((n, [key, value]) => n + (key === k ? 0 : key.length + value.length), k.length + v.length) <= QUOTA && set(k, v)
    const got = new Set<string>()
    p.respond = () => 'network-error'
    const { d, track } = setup({ platform: p })
    const events = track(1000, { results: 'x'.repeat(4000) })
    await p.advance(30_000)
    expect(d.pending()).toBe(1000)
    expect(p.storage.set('host:draft', 'y'.repeat(1_000_000))).toBe(true)
    p.respond = (req) => (req.body.batch.forEach((e: LingerEvent) => got.add(e.messageId)), { status: 200 })
    await p.advance(120_000)
    expect(got).toEqual(new Set(idsOf(events)))
    expect(d.pending()).toBe(0)
  })
})

describe('a queue longer than storage holds', () => {
  it('built up offline over minutes, then the tab is closed still offline: the next page sends what storage held (what the page handed the browser as it left, and the newest), and the vendor hears of every other one', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const first = setup({ platform: createFakePlatform({ shared, clock }) })
    first.p.respond = () => 'network-error'
    // Chromium counts beacons against the keepalive quota the page's requests took.
    first.p.beacon = () => false
    // 4 KB each, one every 2 s for 10 minutes: 300 events, more than twice what storage may hold
    // (STORED_MAX_CHARS: about 128 of them); the sender tries meanwhile, claiming and releasing.
    const events: LingerEvent[] = []
    for (let i = 0; i < 300; i++) {
      events.push(...first.track(1, { results: 'x'.repeat(4000) }))
      await first.p.advance(2000)
    }
    expect(first.d.pending()).toBe(300)
    const before = first.p.requests.length
    // Offline still: what the page hands the browser as it leaves never arrives.
    first.p.respond = () => new Promise(() => {})
    first.d.flushOnHide(true)
    // The oldest, handed to keepalive as the page left.
    const handed = idsIn(first.p.requests.slice(before))
    first.p.close()
    const second = setup({ platform: createFakePlatform({ shared, clock, seed: 7 }) })
    await second.p.advance(120_000)
    const received = new Set(idsIn(second.p.requests))
    const reported = [...first.drops, ...second.drops].reduce((n, [count]) => n + count, 0)
    // Every one of the 300 arrived, or the vendor was told it was dropped: none lost unsaid.
    expect(received.size + reported).toBe(300)
    // At least half of what storage fits arrives: those the browser was given, lost on the way, and the newest.
    expect(received.size).toBeGreaterThanOrEqual(64)
    expect(handed).toEqual(idsOf(events.slice(0, handed.length)))
    expect(received).toEqual(new Set([...handed, ...idsOf(events.slice(handed.length - received.size))]))
    // 300 tracks of 4 KB and ten minutes of retries: 4 s of CPU alone, over vitest's 5 s on a shared machine.
  }, 30_000)

  it('a collector down for days, on a site whose visits last half a minute and whose events are 2 KB each: once it is back it gets the latest ones, and the vendor hears of every one lost', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const days: LingerEvent[][] = []
    let reported = 0
    for (let day = 0; day < 6; day++) {
      const visit = setup({ platform: createFakePlatform({ shared, clock, seed: day + 1 }) })
      // Chromium counts beacons against the keepalive quota the page's requests took.
      visit.p.beacon = () => false
      visit.p.respond = () => 'network-error'
      days.push(visit.track(80, { results: 'x'.repeat(2000) }))
      await visit.p.advance(30_000)
      // The collector still down: what the page hands the browser as it leaves never arrives.
      visit.p.respond = () => new Promise(() => {})
      visit.d.flushOnHide(true)
      visit.p.close()
      reported += visit.drops.reduce((n, [count]) => n + count, 0)
      clock.now += 24 * 3600_000
    }
    // The collector is back.
    const back = setup({ platform: createFakePlatform({ shared, clock, seed: 99 }) })
    await back.p.advance(2 * 60_000)
    const received = new Set(idsIn(back.p.requests))
    reported += back.drops.reduce((n, [count]) => n + count, 0)
    // Recent behaviour matters most: the last visit's events all arrive.
    expect(idsOf(days[5]).filter((id) => !received.has(id))).toEqual([])
    // Every one of the 480 arrived, or the vendor was told it was dropped: none lost unsaid.
    expect(received.size + reported).toBe(480)
  }, 30_000)

  it('a page leaving offline whose host, in its own pagehide listener after Linger’s, saves a draft that fills storage and tracks one more event: the next page sends what storage held, and the vendor hears of every other one', async () => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const { p, d, drops, track } = setup({ platform: createFakePlatform({ shared, clock }) })
    // Chromium counts beacons against the keepalive quota the page's requests took.
    p.beacon = () => false
    // The origin's storage quota, in characters.
    const room = 2_000_000
    const used = (but = '') => [...shared].reduce((n, [k, v]) => n + (k === but ? 0 : k.length + v.length), 0)
    const { set } = p.storage
    p.storage.set = (k, v) => used(k) + k.length + v.length <= room && set(k, v)
    p.respond = () => 'network-error'
    // 200 of 4 KB: more than storage holds.
    const events = track(200, { results: 'x'.repeat(4000) })
    await p.advance(5000)
    // What the page hands the browser as it leaves never arrives.
    p.respond = () => new Promise(() => {})
    p.onPageHide!(() => d.flushOnHide(true))
    p.onPageHide!(() => {
      p.storage.set('host:draft', 'x'.repeat(room - used() - 'host:draft'.length - 100))
      events.push(...track(1))
    })
    p.pageHide()
    await Promise.resolve()
    p.close()
    const next = setup({ platform: createFakePlatform({ shared, clock, seed: 7 }) })
    await next.p.advance(3 * 60_000)
    const received = new Set(idsIn(next.p.requests))
    const reported = [...drops, ...next.drops].reduce((n, [count]) => n + count, 0)
    expect(received.size).toBeGreaterThan(0)
    // Every one of the 201 arrived, or the vendor was told it was dropped: none lost unsaid.
    expect(idsOf(events).filter((id) => received.has(id)).length + reported).toBe(201)
  }, 30_000)

  it('a burst of large events still uploading as the user follows a link, then taken by the collector: none of them is reported dropped', async () => {
    const { p, d, drops, track } = setup()
    // Chromium counts beacons against the keepalive quota the page's requests took.
    p.beacon = () => false
    const waiting = held(p)
    // 150 of 4 KB: more than storage holds, in requests larger than the keepalive quota.
    const events = track(150, { results: 'x'.repeat(4000) })
    await p.advance(0)
    const uploading = waiting.length
    const inFlight = new Set(idsIn(p.requests))
    d.flushOnHide(true)
    const stored = new Set(readOutbox(p.storage, outboxKeys(p.storageMap)[0] ?? '').items.map((i) => i.event.messageId))
    const handed = new Set(idsIn(p.requests.slice(uploading)))
    // The uploads had got through: the collector takes them.
    waiting.splice(0, uploading).forEach((answer) => answer({ status: 200 }))
    await p.advance(0)
    expect(inFlight.size).toBeGreaterThan(100)
    expect(drops).toEqual([])
    // Not one the page lost: each was uploading, handed to keepalive, or left in storage.
    expect(idsOf(events).filter((id) => !inFlight.has(id) && !handed.has(id) && !stored.has(id))).toEqual([])
  })
})

describe('the back/forward cache', () => {
  it('a page going into the back/forward cache holds no Web Lock (Chromium evicts a page whose lock another tab asks for: Back loads it again), and holds its tab’s lock again once shown', async () => {
    const p = createFakePlatform()
    const held = new Set<string>()
    const hold = p.holdLock!
    p.holdLock = (name) => {
      held.add(name)
      const letGo = hold(name)
      return () => (held.delete(name), letGo())
    }
    const { d, track } = setup({ platform: p })
    p.onPageHide!(() => d.flushOnHide(true))
    track(1)
    await p.advance(2000)
    expect(held.size).toBe(1)
    p.pageHide()
    expect([...held]).toEqual([])
    // Restored from the cache: it is a live tab again, its outbox its own.
    p.show()
    expect(held.size).toBe(1)
    d.stop()
    expect([...held]).toEqual([])
  })

  it('a tab switched away from while its collector is down, the host clearing its storage meanwhile (a sign-out in another tab): back, it still sends what it had queued', async () => {
    const { p, d, track } = setup()
    p.beacon = () => false
    p.respond = () => 'network-error'
    const events = track(3)
    await p.advance(WRITE_DELAY_MS)
    d.flushOnHide()
    // Its outbox gone from storage, though no tab took it: the page held its tab's lock all along.
    p.storageMap.clear()
    p.show()
    const received = new Set<string>()
    p.respond = (req) => (req.body.batch.forEach((e: LingerEvent) => received.add(e.messageId)), { status: 200 })
    await p.advance(2 * 60_000)
    expect(received).toEqual(new Set(idsOf(events)))
  })

  it('a page that left offline with more than storage holds, brought Back once the collector is up: it sends every event the vendor was not told was lost, and none it was', async () => {
    const { p, d, drops, track } = setup()
    // Chromium counts beacons against the keepalive quota the page's requests took.
    p.beacon = () => false
    p.onPageHide!(() => d.flushOnHide(true))
    p.respond = () => 'network-error'
    // 150 of 4 KB: more than storage holds.
    const events = track(150, { results: 'x'.repeat(4000) })
    await p.advance(5000)
    // Still offline as the user follows a link: what the page hands the browser never arrives.
    p.respond = () => new Promise(() => {})
    p.pageHide()
    const told = drops.reduce((n, [count]) => n + count, 0)
    // Back, and the collector is up again.
    p.show()
    const received = new Set<string>()
    p.respond = (req) => (req.body.batch.forEach((e: LingerEvent) => received.add(e.messageId)), { status: 200 })
    await p.advance(2 * 60_000)
    expect(told).toBeGreaterThan(0)
    // Each of the 150 arrived or was reported lost: not both, not neither.
    expect(idsOf(events).filter((id) => received.has(id)).length + told).toBe(150)
  })
})

describe('storage refusing the outbox’s writes as the page leaves, under the collector’s wait', () => {
  it.each([
    { refused: 'the last write, as the page leaves', lastWrite: 0 },
    { refused: 'a write a second before it leaves', lastWrite: WRITE_DELAY_MS },
  ])('storage refused $refused: the events it could not take leave with the page, the ones it holds wait for the next page, each arrives once, none is dropped', async ({ lastWrite }) => {
    const shared = new Map<string, string>()
    const clock = { now: START }
    const first = setup({ platform: createFakePlatform({ shared, clock }) })
    first.p.respond = answers({ status: 429, headers: { 'Retry-After': '120' } }, { status: 200 })
    const events = first.track(3)
    await first.p.advance(2000 + WRITE_DELAY_MS)
    expect(first.p.requests).toHaveLength(1)
    // The host fills localStorage to its quota (its drafts): from now on the outbox cannot grow.
    const used = () => [...shared].reduce((n, [k, v]) => n + k.length + v.length, 0)
    const quota = used()
    const set = first.p.storage.set
    first.p.storage.set = (k, v) => used() - (shared.get(k)?.length ?? -k.length) + v.length <= quota && set(k, v)
    events.push(...first.track(2))
    await first.p.advance(lastWrite)
    // The user leaves before the collector's two minutes are over.
    first.d.flushOnHide(true)
    first.p.close()
    const stored = idsOf(readOutbox(first.p.storage, outboxKeys(shared)[0]).items.map((i) => i.event))
    const leftWith = idsIn(first.p.requests.slice(1))
    // What storage could not hold went with the page, the oldest; nothing of what it holds, under the wait.
    expect(leftWith.length).toBeGreaterThan(0)
    expect(leftWith).toEqual(idsOf(events).filter((id) => !stored.includes(id)))
    const second = setup({ platform: createFakePlatform({ shared, clock, seed: 7 }) })
    await second.p.advance(180_000)
    expect(idsIn(second.p.requests)).toEqual(stored)
    expect([...first.drops, ...second.drops]).toEqual([])
  })

  it('Back from the back/forward cache, the events that left with the page but got no answer are sent again once their claim lapses, not lost', async () => {
    const { p, d, drops, track } = setup()
    p.onPageHide!(() => d.flushOnHide(true))
    p.respond = answers({ status: 429, headers: { 'Retry-After': '120' } })
    const events = track(3)
    await p.advance(2000 + WRITE_DELAY_MS)
    // Storage is full from now on (the host's drafts), and what the page sends as it leaves never gets an answer.
    const set = p.storage.set
    p.storage.set = (k, v) => !k.startsWith('linger:outbox:') && set(k, v)
    events.push(...track(2))
    p.respond = () => new Promise(() => {})
    p.pageHide()
    const leftWith = idsIn(p.requests.slice(1))
    expect(leftWith.length).toBeGreaterThan(0)
    p.show()
    const received = new Set<string>()
    p.respond = (req) => (req.body.batch.forEach((e: LingerEvent) => received.add(e.messageId)), { status: 200 })
    await p.advance(180_000)
    expect([...received].sort()).toEqual(idsOf(events).sort())
    expect(drops).toEqual([])
  })
})
