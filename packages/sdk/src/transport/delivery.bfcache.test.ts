import { describe, expect, it } from 'vitest'
import { envelope, type LingerEvent } from '../events'
import { createFakePlatform, type FakeAnswer, type FakePlatform } from '../fake-platform'
import { createDelivery, REQUEST_TIMEOUT_MS } from './delivery'
import * as sending from './sender'

// A page the user leaves with a request unanswered, restored by Back from the back/forward
// cache: what it tracks then must not wait for that request, and what that request or its
// keepalive copy may still deliver must not go a second time meanwhile.

function setup(batchSize?: number) {
  const p = createFakePlatform()
  const errors: unknown[] = []
  const d = createDelivery({ sender: async () => sending, endpoint: 'https://collect.example.com', writeKey: 'pk_test', batchSize, platform: p, onError: (e) => errors.push(e) })
  p.onPageHide!(() => d.flushOnHide(true))
  p.onHide(() => d.flushOnHide())
  const track = (n: number, event = 'Project Created', properties: Record<string, unknown> = {}): LingerEvent[] =>
    Array.from({ length: n }, (_, i) => {
      const e = envelope(p, { anonymousId: 'anon-1' }, { type: 'track', event, properties: { i, ...properties } })
      d.enqueue(e)
      return e
    })
  return { p, d, errors, track }
}

/** Every request waits for the test to answer it: the network is still busy with it. */
function held(p: FakePlatform) {
  const waiting: Array<(a: FakeAnswer) => void> = []
  p.respond = () => new Promise<FakeAnswer>((r) => waiting.push(r))
  return waiting
}

const BACKOFF = `linger:backoff:pk_test:@${encodeURIComponent('https://collect.example.com/v1/batch')}`
const idsIn = (reqs: Array<{ body: any }>) => reqs.flatMap((r) => r.body.batch.map((e: LingerEvent) => e.messageId))
const idsOf = (events: LingerEvent[]) => events.map((e) => e.messageId)

describe('Back from the back/forward cache with a request the page left unanswered', () => {
  it('an event tracked right after Back leaves on schedule, not once that request is answered, and nothing goes twice', async () => {
    const { p, d, errors, track } = setup()
    const waiting = held(p)
    const before = track(2)
    await p.advance(2000)
    expect(p.requests).toHaveLength(1)
    // The user follows a link: the request is cut off, its events go again by keepalive.
    p.pageHide()
    expect(p.requests).toHaveLength(2)
    expect(p.requests[1].init.keepalive).toBe(true)
    // The keepalive copy lands while the page sits in the cache; the original never answers.
    waiting[1]({ status: 200 })
    p.respond = () => ({ status: 200 })
    p.show()
    const after = track(1, 'Checklist Opened')
    await p.advance(2000)
    expect(idsIn(p.requests.slice(2))).toEqual(idsOf(after))
    // The original's answer, late: applied, nothing sent again.
    waiting[0]({ status: 200 })
    await p.advance(60_000)
    expect(idsIn(p.requests)).toEqual([...idsOf(before), ...idsOf(before), ...idsOf(after)])
    expect(d.pending()).toBe(0)
    expect(errors).toEqual([])
  })

  it('its keepalive copy still on its way too: what the page tracks leaves, and the copy’s events are not sent again while it may land', async () => {
    const { p, d, track } = setup()
    const waiting = held(p)
    const before = track(2)
    await p.advance(2000)
    p.pageHide()
    p.respond = () => ({ status: 200 })
    p.show()
    const after = track(1, 'Checklist Opened')
    await p.advance(2000)
    expect(idsIn(p.requests.slice(2))).toEqual(idsOf(after))
    // Well within the keepalive copy's claim: its events stay with it.
    await p.advance(20_000)
    expect(p.requests).toHaveLength(3)
    waiting[1]({ status: 200 })
    await p.advance(60_000)
    expect(p.requests).toHaveLength(3)
    expect(d.pending()).toBe(0)
    // The original fails as its timeout cuts it: nothing goes again.
    waiting[0]('network-error')
    await p.advance(60_000)
    expect(idsIn(p.requests)).toEqual([...idsOf(before), ...idsOf(before), ...idsOf(after)])
  })

  it('a request sent after Back is still waited for when the user only switches tabs and back', async () => {
    const { p, d, track } = setup()
    const waiting = held(p)
    const before = track(2)
    await p.advance(2000)
    p.pageHide()
    p.show()
    // The keepalive copy fails once the page is back: its events go again, the original still open.
    waiting[1]('network-error')
    await p.advance(3000)
    expect(p.requests).toHaveLength(3)
    expect(idsIn(p.requests.slice(2))).toEqual(idsOf(before))
    // Another tab for a moment: that request was not cut off, so the sender still waits for it.
    p.hide()
    p.show()
    const after = track(1, 'Checklist Opened')
    await p.advance(2000)
    expect(p.requests).toHaveLength(3)
    p.respond = () => ({ status: 200 })
    waiting[2]({ status: 200 })
    await p.advance(2000)
    expect(idsIn(p.requests.slice(3))).toEqual(idsOf(after))
    waiting[0]({ status: 200 })
    await p.advance(60_000)
    expect(d.pending()).toBe(0)
  })

  describe('the sender’s next batch planned but not sent when the user left under another tab’s retry wait', () => {
    function plannedThenLeft(p: FakePlatform, track: (n: number) => LingerEvent[]) {
      const tasks: Array<() => void> = []
      p.yieldTask = () => new Promise<void>((r) => tasks.push(r))
      const events = track(10)
      return { tasks, events }
    }

    it('Back after the wait, then a tab switch while its request is out: each event sent once', async () => {
      const { p, track } = setup(10)
      const { tasks } = plannedThenLeft(p, track)
      await p.advance(0)
      expect(tasks).toHaveLength(1)
      p.storageMap.set(BACKOFF, JSON.stringify({ failures: 1, retryAt: p.now() + 3000, status: null }))
      p.pageHide()
      expect(p.requests).toHaveLength(0)
      held(p)
      await p.advance(5000)
      p.show()
      tasks[0]()
      await p.advance(0)
      p.hide()
      await p.advance(0)
      // The sender's tasks, as the browser runs them.
      while (tasks.length) tasks.shift()!(), await p.advance(0)
      const ids = idsIn(p.requests)
      expect(ids).toHaveLength(10)
      expect(new Set(ids).size).toBe(10)
    })

    it('Back after the wait: they leave, once', async () => {
      const { p, d, track } = setup(10)
      const { tasks, events } = plannedThenLeft(p, track)
      await p.advance(0)
      p.storageMap.set(BACKOFF, JSON.stringify({ failures: 1, retryAt: p.now() + 3000, status: null }))
      p.pageHide()
      await p.advance(5000)
      p.show()
      p.yieldTask = undefined
      tasks[0]()
      await p.advance(10_000)
      expect(idsIn(p.requests)).toEqual(idsOf(events))
      expect(d.pending()).toBe(0)
    })
  })

  describe('a backlog larger than keepalive takes', () => {
    async function leftAndBack() {
      const s = setup(40)
      const { p, track } = s
      p.beacon = undefined
      const waiting = held(p)
      const backlog = track(40, 'Project Created', { note: 'x'.repeat(4000) })
      await p.advance(0)
      expect(idsIn(p.requests)).toEqual(idsOf(backlog))
      const sentAt = p.now()
      p.pageHide()
      const handed = idsIn(p.requests.slice(1))
      expect(handed.length).toBeGreaterThan(0)
      expect(handed.length).toBeLessThan(40)
      waiting[1]({ status: 200 })
      p.respond = () => ({ status: 200 })
      await p.advance(1000)
      p.show()
      const after = s.track(1, 'Checklist Opened')
      await p.advance(2000)
      expect(idsIn(p.requests.slice(2))).toEqual(idsOf(after))
      return { ...s, waiting, backlog, handed, sentAt }
    }

    it('the rest is not sent again while the request that carries it may still be answered; answered, it leaves the queue', async () => {
      const { p, d, waiting } = await leftAndBack()
      waiting[0]({ status: 200 })
      await p.advance(60_000)
      expect(p.requests).toHaveLength(3)
      expect(d.pending()).toBe(0)
    })

    it('cut off for good (its timeout), the rest leaves then, each event once', async () => {
      const { p, d, waiting, backlog, handed, sentAt } = await leftAndBack()
      await p.advance(sentAt + REQUEST_TIMEOUT_MS - 1 - p.now())
      expect(p.requests).toHaveLength(3)
      waiting[0]('network-error')
      await p.advance(5000)
      const rest = idsIn(p.requests.slice(3))
      expect([...handed, ...rest].sort()).toEqual(idsOf(backlog).sort())
      expect(d.pending()).toBe(0)
    })
  })
})
