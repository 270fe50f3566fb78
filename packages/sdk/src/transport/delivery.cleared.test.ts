import { expect, it } from 'vitest'
import { envelope, type LingerError, type LingerEvent } from '../events'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import { createDelivery, HEARTBEAT_MS, QUEUE_MAX_AGE_MS, TAKEN } from './delivery'
import { CLAIM_MS, WRITE_DELAY_MS } from './outbox'
import * as sending from './sender'
import { ADOPT_AFTER_START_MS } from './sender'
import './adopt'

// A page served over plain http (no secure context), or a browser from before Web Locks: tabs
// tell a gone tab from a live one only by its outbox's heartbeat in storage.
const withoutWebLocks = (p: FakePlatform) => ((p.withLock = undefined), (p.holdLock = undefined), p)

function tab(shared: Map<string, string>, clock: { now: number }, seed: number) {
  const p = withoutWebLocks(createFakePlatform({ shared, clock, seed }))
  const errors: LingerError[] = []
  const d = createDelivery({ sender: async () => sending, endpoint: 'https://collect.example.com', writeKey: 'pk_test', platform: p, onError: (e) => errors.push(e) })
  const track = (n: number): LingerEvent[] =>
    Array.from({ length: n }, (_, i) => {
      const e = envelope(p, { anonymousId: 'anon-1' }, { type: 'track', event: 'Report Exported', properties: { i } })
      d.enqueue(e)
      return e
    })
  // What the collector got: the requests answered 2xx.
  const delivered: string[] = []
  const answer = (ok: boolean) => (p.respond = (req) => (ok ? (delivered.push(...req.body.batch.map((e: LingerEvent) => e.messageId)), { status: 200 }) : 'network-error'))
  return { p, d, errors, track, delivered, answer }
}

it('a tab without Web Locks, in the background while the site clears localStorage (a sign-out in another tab), keeps the events it had queued and sends them once the user is back', async () => {
  const shared = new Map<string, string>()
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  const page = tab(shared, clock, 1)
  page.answer(false)
  const events = page.track(3)
  await page.p.advance(WRITE_DELAY_MS)
  // The user switches tabs: the page writes its queue as it goes hidden.
  page.d.flushOnHide()
  // Another tab of the site signs out and wipes the site's storage.
  shared.clear()
  page.answer(true)
  page.p.show()
  await page.p.advance(2 * 60_000)
  expect(page.delivered).toEqual(events.map((e) => e.messageId))
  expect(page.errors).toEqual([])
  // Nothing left in storage that a later page would send again or report.
  expect([...shared.keys()].filter((k) => k.startsWith('linger:outbox:'))).toEqual([])
})

it('a tab without Web Locks whose queue another tab took while it sat silent in the background does not send that queue a second time once shown', async () => {
  const shared = new Map<string, string>()
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  const hidden = tab(shared, clock, 1)
  hidden.answer(false)
  const events = hidden.track(3)
  await hidden.p.advance(WRITE_DELAY_MS)
  hidden.d.flushOnHide()
  // Its timers stand still in the background: silent past CLAIM_MS, it looks gone, and the open tab takes its queue.
  const open = tab(shared, clock, 2)
  open.answer(true)
  for (let t = 0; t < ADOPT_AFTER_START_MS + CLAIM_MS + HEARTBEAT_MS * 2; t += 1000) await open.p.advance(1000)
  expect(open.delivered).toEqual(events.map((e) => e.messageId))
  hidden.answer(true)
  hidden.p.show()
  await hidden.p.advance(2 * 60_000)
  expect(hidden.delivered).toEqual([])
  // The note the taking left for it is gone with its reading: nothing stays in the host's storage.
  expect([...shared.keys()].filter((k) => !k.startsWith('linger:backoff:'))).toEqual([])
})

it('a tab without Web Locks sitting in the background while 25 short visits leave queues too (the collector down): the tab that takes all 26 sends each once, and the background tab, shown, does not send its own a second time', async () => {
  const shared = new Map<string, string>()
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  const hidden = tab(shared, clock, 1)
  hidden.answer(false)
  const events = hidden.track(3)
  await hidden.p.advance(WRITE_DELAY_MS)
  hidden.d.flushOnHide()
  // 25 visits of a few seconds each, each leaving one event unsent.
  for (let visit = 0; visit < 25; visit++) {
    const short = tab(shared, clock, 100 + visit)
    short.answer(false)
    short.track(1)
    await short.p.advance(WRITE_DELAY_MS)
    short.d.flushOnHide()
  }
  const open = tab(shared, clock, 2)
  open.answer(true)
  for (let t = 0; t < ADOPT_AFTER_START_MS + CLAIM_MS + HEARTBEAT_MS * 2; t += 1000) await open.p.advance(1000)
  expect(open.delivered).toHaveLength(3 + 25)
  expect(open.delivered).toEqual(expect.arrayContaining(events.map((e) => e.messageId)))
  hidden.answer(true)
  hidden.p.show()
  await hidden.p.advance(2 * 60_000)
  expect(hidden.delivered).toEqual([])
})

it('a note left for a tab that never came back is removed once past the queue’s maximum age', async () => {
  const shared = new Map<string, string>()
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  const gone = tab(shared, clock, 1)
  gone.answer(false)
  gone.track(1)
  await gone.p.advance(WRITE_DELAY_MS)
  gone.d.flushOnHide()
  const open = tab(shared, clock, 2)
  open.answer(true)
  for (let t = 0; t < ADOPT_AFTER_START_MS + CLAIM_MS + HEARTBEAT_MS * 2; t += 1000) await open.p.advance(1000)
  expect([...shared.keys()].filter((k) => k.startsWith(TAKEN))).toHaveLength(1)
  // A week later, another visit leaves a queue of its own, taken by the next page that opens.
  clock.now += QUEUE_MAX_AGE_MS
  const later = tab(shared, clock, 3)
  later.answer(false)
  later.track(1)
  await later.p.advance(WRITE_DELAY_MS)
  later.d.flushOnHide()
  const next = tab(shared, clock, 4)
  next.answer(true)
  for (let t = 0; t < ADOPT_AFTER_START_MS + CLAIM_MS + HEARTBEAT_MS * 2; t += 1000) await next.p.advance(1000)
  expect(next.delivered).toHaveLength(1)
  // Only the note for the visit just taken is left.
  expect([...shared.keys()].filter((k) => k.startsWith(TAKEN))).toHaveLength(1)
})
